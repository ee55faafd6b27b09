"""gunicorn's settings for the radio app (`gunicorn --config deploy/gunicorn.conf.py wsgi:app`).

Sync workers behind nginx, which buffers requests and answers, so a slow village link never
holds a worker; audio and day downloads leave through nginx (RADIO_MEDIA_ACCEL=nginx).
RADIO_BIND and RADIO_WEB_WORKERS come from /etc/radio/radio.env (deploy/radio.env).
"""
import multiprocessing
import os

bind = os.environ.get("RADIO_BIND", "unix:/run/radio/gunicorn.sock")
workers = int(os.environ.get("RADIO_WEB_WORKERS") or multiprocessing.cpu_count() * 2 + 1)
worker_class = "sync"
# A window's MP3 or a day pack is rendered on its first download: give it time.
timeout = 300
graceful_timeout = 60
keepalive = 75  # nginx keeps its connections to the app open (upstream keepalive)
max_requests = 2000  # a worker is replaced now and then: no slow leak lives for months
max_requests_jitter = 200
forwarded_allow_ips = "127.0.0.1"
accesslog = "-"  # to journald with the service's other output
errorlog = "-"
loglevel = "info"
proc_name = "radio-web"
control_socket_disable = True  # systemd controls it; no socket in a home the unit does not let it write
