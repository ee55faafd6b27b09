"""The deploy/ files brought up on loopback: their @NAME@ placeholders filled in by the test, nginx
(Debian's /usr/sbin/nginx) run from a configuration in the test's folder, a self-signed certificate."""
from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.loopback import free_port, server_process

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
NGINX = "/usr/sbin/nginx"


def filled(name: str, **values) -> str:
    """deploy/`name` with each @NAME@ replaced by values[NAME]; fails on one left unfilled."""
    return re.sub(r"@([A-Z_]+)@", lambda m: str(values[m.group(1)]), (DEPLOY / name).read_text())


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key (openssl), for TLS on loopback."""
    cert, key = folder / "tls.crt", folder / "tls.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    return cert, key


@contextmanager
def nginx(folder: Path, app_address: str, media_dir: Path, export_dir: Path,
          poll_dir: Path | None = None) -> Iterator[str]:
    """deploy/nginx.conf served by nginx on free loopback ports (TLS with a self-signed
    certificate), proxying to `app_address`; yields the https base URL. The certificate is
    folder/tls.crt (give it to requests as `verify`). Without `poll_dir` (the app's
    DEVICE_POLL_FILES_DIR) /poll/ points at a folder that does not exist."""
    folder.mkdir(parents=True, exist_ok=True)
    cert, key = self_signed(folder)
    https, http = free_port(), free_port()
    site = filled("nginx.conf", APP_ADDRESS=app_address, HTTP_PORT=f"127.0.0.1:{http}",
                  HTTPS_PORT=f"127.0.0.1:{https}", SERVER_NAME="127.0.0.1", TLS_CERT=cert, TLS_KEY=key,
                  MAX_UPLOAD_MB=200, LOG_DIR=folder, STATIC_DIR=DEPLOY.parent / "static", MEDIA_DIR=media_dir,
                  EXPORT_DIR=export_dir, POLL_DIR=poll_dir or folder / "poll")
    (folder / "site.conf").write_text(site)
    user = "user root;" if os.geteuid() == 0 else ""  # workers must read the test's private folders
    (folder / "nginx.conf").write_text(f"""{user}
daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log info;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    sendfile on;
    access_log {folder}/access.log;
    client_body_temp_path {folder}/body; proxy_temp_path {folder}/proxy; fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi; scgi_temp_path {folder}/scgi;
    include {folder}/site.conf;
}}
""")
    with open(folder / "stderr.log", "wb") as log, \
            server_process([NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf")], https, stdout=log, stderr=log):
        yield f"https://127.0.0.1:{https}"


@contextmanager
def mosquitto(folder: Path) -> Iterator[str]:
    """deploy/mosquitto.conf run by Debian's mosquitto on a free loopback port; yields its mqtt:// URL."""
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    config = folder / "mosquitto.conf"
    config.write_text((DEPLOY / "mosquitto.conf").read_text().replace("listener 1883 ", f"listener {port} "))
    with server_process(["/usr/sbin/mosquitto", "-c", str(config)], port):
        yield f"mqtt://127.0.0.1:{port}"
