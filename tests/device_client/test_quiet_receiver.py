"""Issue #23: a quiet receiver costs at most 300 KB a day on the wire, everything counted, and
still hears an emergency within 10 s. The real receiver talks HTTPS to the served app and MQTT
over TLS to a real mosquitto, each through a relay that counts what the kernel sent and received
(wire.py says what is measured and what is added for a real link).

The day is simulated: the receiver runs on the app's clock, which jumps to its next wake-up,
so its HTTP of a whole day is measured as it happens. MQTT keeps real time (paho's keepalive):
it runs with a 1 s keepalive for the test's few seconds, and the bytes of one keepalive are
multiplied by the keepalives of a day at the default 300 s.
"""
from __future__ import annotations

import ssl
import threading
import time
import uuid
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import select

from radio.device_client.cli import build, listen
from radio.models import Station
from tests.device_client.kit import issue_emergency, run_until, stored_heartbeat
from tests.device_client.wire import CountingRelay, self_signed
from tests.loopback import server_process, serving, wsgi_server
from tests.radio.api_kit import api, tones  # noqa: F401 (fixtures)
from tests.radio.notices_kit import free_port

pytestmark = pytest.mark.db
BUDGET_BYTES = 300_000
EMERGENCY_BOUND_S = 10
KEEPALIVE_S = 300  # the receiver's default --mqtt-keepalive
QUIET_POLL_S = 7200  # its default --quiet-poll-seconds
MQTT_WINDOW_S = 6  # real seconds of 1 s keepalives measured


@contextmanager
def mosquitto(folder, cert, key):
    """A broker with a TLS listener (the receivers') and a plain one on loopback (the server's)."""
    tls_port, plain_port = free_port(), free_port()
    config = folder / "mosquitto.conf"
    config.write_text(f"user root\npersistence false\nallow_anonymous true\n"
                      f"listener {tls_port} 127.0.0.1\ncertfile {cert}\nkeyfile {key}\n"
                      f"listener {plain_port} 127.0.0.1\n")
    with server_process(["/usr/sbin/mosquitto", "-c", str(config)], plain_port):
        yield tls_port, plain_port


class HandshakeInHandler(ssl.SSLContext):
    """werkzeug's TLS server shakes hands in its accepting thread, one connection at a time: here
    each handler thread does it for its own connection, so none waits for another's."""

    def wrap_socket(self, sock, server_side=False, **options):
        options["do_handshake_on_connect"] = False
        return super().wrap_socket(sock, server_side=server_side, **options)


def tls_server(app, cert, key):
    context = HandshakeInHandler(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return wsgi_server(app, ssl_context=context)


def woken_until(receiver, wake: threading.Event, done, bound_s: float = EMERGENCY_BOUND_S) -> bool:
    """What run_forever does when woken (poll, fetch the audio, play), until `done()` or `bound_s`
    pass: a wake may also come from the link (a reconnect), not only from the notice awaited."""
    deadline = time.monotonic() + bound_s
    while not done() and wake.wait(max(0.0, deadline - time.monotonic())):
        wake.clear()
        receiver.tick()
    return done()


def test_a_quiet_receiver_costs_under_300_kb_a_day_and_hears_an_emergency_within_10_s(api, tmp_path):
    cert, key = self_signed(tmp_path)
    https = tls_server(api.app, cert, key)
    with mosquitto(tmp_path, cert, key) as (tls_port, plain_port), serving(https):
        web, broker = CountingRelay(("127.0.0.1", https.server_address[1])), CountingRelay(("127.0.0.1", tls_port))
        prefix = f"radio-test-{uuid.uuid4().hex[:8]}"
        api.app.config.update(MQTT_URL=f"mqtt://127.0.0.1:{plain_port}", MQTT_TOPIC_PREFIX=prefix)
        token_file = tmp_path / "loa-01.token"
        token_file.write_text(api.world.tokens["loa-01"])
        receiver, args = build(["--server", f"https://127.0.0.1:{web.port}", "--ca-file", str(cert),
                                "--code", "loa-01", "--token-file", str(token_file), "--cache", str(tmp_path / "cache"),
                                "--player", "none", "--mqtt", f"mqtts://127.0.0.1:{broker.port}",
                                "--mqtt-prefix", prefix, "--mqtt-keepalive", "1"], clock=api.clock)
        wake = threading.Event()
        notices = listen(receiver, args, wake)
        try:
            assert notices.subscribed.wait(10) and receiver.quiet
            run_until(receiver, api.clock, api.clock.now + timedelta(minutes=10))  # first sync: schedule, audio
            http_before, mqtt_before, pings_before = web.traffic(), broker.traffic(), broker.chunks_in
            started = time.monotonic()
            run_until(receiver, api.clock, api.clock.now + timedelta(days=1))
            threading.Event().wait(max(0.0, MQTT_WINDOW_S - (time.monotonic() - started)))
            http_day, mqtt_idle = web.traffic() - http_before, broker.traffic() - mqtt_before
            pings = broker.chunks_in - pings_before
            per_keepalive = mqtt_idle.wire_bytes / pings
            mqtt_day = mqtt_before.wire_bytes + per_keepalive * 86400 / KEEPALIVE_S
            total = http_day.wire_bytes + mqtt_day
            print(f"\nquiet day: HTTPS {http_day.wire_bytes} B ({http_day.connections} connections, "
                  f"{http_day.payload} B TLS payload, {http_day.segments} segments); MQTT connect "
                  f"{mqtt_before.wire_bytes} B + {per_keepalive:.0f} B a keepalive x {86400 // KEEPALIVE_S} = "
                  f"{mqtt_day:.0f} B; total {total:.0f} B a day")
            assert pings >= MQTT_WINDOW_S - 1  # the keepalives were measured, not guessed
            assert http_day.connections <= 2 * 86400 / QUIET_POLL_S + 2  # a safety poll and a heartbeat every 2 hours
            assert total <= BUDGET_BYTES
            assert stored_heartbeat(api)["contact_s"] == QUIET_POLL_S

            etag = receiver.state["schedule_etag"]
            with api.session() as session:  # a hand edit, say: the new version is told at once
                session.scalar(select(Station).where(Station.code == "st-tk")).schedule_changed(api.clock.now)
                session.commit()
            assert woken_until(receiver, wake, lambda: receiver.state["schedule_etag"] != etag)

            posted = time.monotonic()
            bulletin = issue_emergency(api, "TH-NT-TK")
            assert woken_until(receiver, wake, lambda: (receiver.state["playing"] or {}).get("id") == bulletin)
            heard_s = time.monotonic() - posted
            print(f"emergency heard {heard_s:.2f} s after it was issued")
            assert receiver.state["playing"]["id"] == bulletin
            assert heard_s < EMERGENCY_BOUND_S
        finally:
            notices.close()
            receiver.close()
            web.close()
            broker.close()
