"""Benchmark: from a CAP 1.2 alert POSTed to the first real receiver starting to play it.

    python benchmarks/bench_cap.py [--rounds 3] [--mqtt mqtt://127.0.0.1:1883]

Serves the app on 127.0.0.1 (SQLite, jobs inline, MQTT "poll now" notices through the broker
given), with the tests' small world (tests/radio/api_kit.py) and a trusted alert source; runs a
real receiver (radio.device_client, player "none") on the wall clock, subscribed to the broker,
polling its bulletins only every hour; then, each round, POSTs a new alert (the OASIS
thunderstorm example in Vietnamese, a new headline each round: validated, voiced by
espeak-ng, issued) and waits until the
receiver plays it. Prints the seconds of each round and the worst (the goal: at most 15 s on
loopback). Nothing here asserts on timings.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from audio_library import probe  # noqa: E402
from radio import db  # noqa: E402
from radio.device_client.cli import build, run_forever  # noqa: E402
from radio.device_client.notices import PollNotices  # noqa: E402
from tests.factories import create_user  # noqa: E402
from tests.factories.apps import separate_app  # noqa: E402
from tests.factories.servers import served  # noqa: E402
from tests.radio.api_kit import seed  # noqa: E402
from tests.radio.cap.cap_kit import post_alert, storm  # noqa: E402

TIMEOUT_S = 120


def tones(folder: Path) -> dict:
    files = {}
    for code, frequency in (("ep-1", 440), ("ep-2", 660), ("ep-3", 880)):
        path = folder / f"{code}.mp3"
        subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", f"sine=frequency={frequency}:duration=2",
                        "-ac", "1", "-ar", "44100", "-b:a", "64k", "-y", str(path)], check=True)
        files[code] = (path, probe(path))
    return files


class Served:
    """What post_alert needs of the tests' Api: the base URL and a POST."""

    def __init__(self, base: str):
        self.base = base

    def post(self, path: str, headers=None, **kw):
        import requests

        return requests.post(f"{self.base}/api/v1{path}", headers=headers, timeout=60, **kw)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--mqtt", default="mqtt://127.0.0.1:1883")
    args = parser.parse_args()
    prefix = f"radio-bench-{uuid.uuid4().hex[:8]}"
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        with separate_app(tmp / "instance", MEDIA_DIR=str(tmp / "media"), MQTT_URL=args.mqtt,
                          MQTT_TOPIC_PREFIX=prefix) as app:
            from radio import schema
            from radio.cap.operations import add_source
            from radio.models import Area
            from sqlalchemy import select

            with app.app_context():
                schema.upgrade(db.engine())
                session = db.session()
                world = seed(session, tones(tmp))
                province = session.scalar(select(Area).where(Area.code == "TH"))
                session.scalar(select(Area).where(Area.code == "TH-NT-TK")).admin_code = "16279"
                admin = create_user(session, "bench-admin", "admin", province)
                _, token = add_source(session, admin, code="kttv", name="Đài KTTV", areas=[province], trusted=True,
                                      feed_url=None, now=datetime.now().astimezone())
                session.commit()
            with served(app) as base:
                (tmp / "loa-01.token").write_text(world.tokens["loa-01"] + "\n")
                receiver, _ = build(["--server", base, "--code", "loa-01", "--token-file", str(tmp / "loa-01.token"),
                                     "--cache", str(tmp / "cache"), "--player", "none", "--bulletin-seconds", "3600"])
                wake = threading.Event()
                notices = PollNotices(args.mqtt, prefix, "loa-01", lambda: (receiver.request_poll(), wake.set()))
                if not notices.subscribed.wait(10):
                    print(f"no MQTT broker answered at {args.mqtt}", file=sys.stderr)
                    return 1
                receiver.tick()
                threading.Thread(target=run_forever, args=(receiver, wake), daemon=True).start()
                seconds = []
                for n in range(args.rounds):
                    while receiver.state["playing"] is not None:  # the last round's alert plays to its end
                        time.sleep(0.1)
                    started = time.monotonic()
                    answer = post_alert(Served(base), token, storm(datetime.now().astimezone(), f"BENCH-{n}",
                                                                       headline=f"Cảnh báo dông mạnh, lần {n + 1}"))
                    bulletin = answer.json()["bulletin"]
                    while (receiver.state["playing"] or {}).get("id") != bulletin:
                        if time.monotonic() - started > TIMEOUT_S:
                            print(f"round {n + 1}: not playing after {TIMEOUT_S} s", file=sys.stderr)
                            return 1
                        time.sleep(0.02)
                    seconds.append(time.monotonic() - started)
                    print(f"round {n + 1}: CAP POST → receiver playing in {seconds[-1]:.2f} s")
                notices.close()
    print(f"worst {max(seconds):.2f} s (goal: at most 15 s on loopback)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
