"""Benchmark: the device poll, against a static file served by the same server in the same run.

    python benchmarks/bench_devices.py [--seconds 5] [--rounds 3] [--connections 16] [--workers 2]
                                       [--days 14] [--database-url URL]

Builds a database with one station (two windows a day, ``--days`` days of entries, 8 items a
window), serves the app with gunicorn on 127.0.0.1, and loads it with ``wrk`` (Debian package
``wrk``) on three loads, each ``--rounds`` times taken in turns (the best run of each counts: the
machine may be busy with other work), in one run:

- baseline: a small static file served by the same Flask app (``send_from_directory``);
- the 304 schedule poll (the device sends its ETag; nothing changed);
- the 200 schedule (the whole ``--days`` schedule as JSON).

Prints requests/s and p99 latency of each and their ratios to the baseline (the goal: the
304 poll at least 0.5× the static file), requests per CPU-second of the app's workers (steadier
when the machine is busy with other work), then the bytes one device spends a day polling an
unchanged schedule at the advertised interval. Nothing here asserts on timings.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from _common import Databases

WSGI = '''"""gunicorn entry of the benchmark: the app, plus one static file served by Flask itself."""
from flask import send_from_directory
from radio import create_app

app = create_app()
app.add_url_rule("/bench/static.txt", "bench_static",
                 lambda: send_from_directory({folder!r}, "static.txt", max_age=60))
'''
TCP_OVERHEAD_BYTES = 10 * 52  # SYN, SYN-ACK, ACK, FIN×2, ACK×2, plus data ACKs: ~10 IPv4 packets of 52 B headers


def seed(url: str, instance: Path, days: int) -> tuple[str, str]:
    """One station with a full schedule and one device; returns (device token, device code)."""
    from radio import create_app, db, schema
    from radio.devices.operations import issue_token
    from radio.models import (Area, BroadcastWindow, Device, Episode, MediaFile, Plan, ScheduleEntry, Series,
                              Station)

    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": str(instance), "SECRET_KEY": "bench"})
    tz = ZoneInfo(app.config["TIMEZONE"])
    with app.app_context():
        schema.upgrade(db.engine())
        session = db.session()
        commune = Area(code="xa", name="Xã Thanh Kỳ", level="commune")
        village = Area(code="xa-01", name="Thôn Một", level="village", parent=commune)
        station = Station(code="st", name="Đài truyền thanh xã Thanh Kỳ", area=commune, schedule_version=1)
        for name, start, end in (("sang", 5, 6), ("chieu", 17, 18)):
            station.windows.append(BroadcastWindow(name=name, days=("MO", "TU", "WE", "TH", "FR", "SA", "SU"),
                                                   start_time=datetime(2000, 1, 1, start).time(),
                                                   end_time=datetime(2000, 1, 1, end).time()))
        series = Series(plan=Plan(code="kh", title="Kế hoạch chuyển đổi số", issued_by=commune), code="cds",
                        title="Chuyên mục Chuyển đổi số")
        session.add_all([village, station, series])
        session.add(Device(code="loa-01", area=village, station=station))
        now = datetime.now(tz)  # the benchmark is a command: it reads now once
        today = now.date()
        for n in range(days * 16):
            media = MediaFile(sha256=f"{n:064x}", suffix="mp3", bytes=2_400_000, duration_s=150.0, codec="mp3",
                              sample_rate=44100, channels=1, created_at=now)
            episode = Episode(series=series, code=f"ep-{n}", title=f"Bản tin Chuyển đổi số số {n}", media=media,
                              created_at=now)
            day = today + timedelta(days=n // 16)
            start = datetime.combine(day, datetime(2000, 1, 1, 5 if n % 16 < 8 else 17).time(), tzinfo=tz) + \
                timedelta(minutes=3 * (n % 8))
            session.add(ScheduleEntry(station=station, start_at=start, end_at=start + timedelta(seconds=150),
                                      local_date=day, window_name="sang" if n % 16 < 8 else "chieu",
                                      kind="episode", title=episode.title, episode=episode, series=series,
                                      created_at=now))
        session.flush()
        token = issue_token(session, None, "loa-01", now=now)
        session.commit()
    app.extensions["radio.engine"].dispose()
    return token, "loa-01"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(workdir: Path, env: dict, workers: int):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
         "--chdir", str(workdir), "--log-level", "warning", "bench_wsgi:app"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process)
        yield base, process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_until_up(base: str, process) -> None:
    import urllib.request

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn stopped: {process.stderr.read()}")
        try:
            urllib.request.urlopen(f"{base}/bench/static.txt", timeout=1).read()
            return
        except OSError:
            time.sleep(0.2)
    sys.exit("gunicorn did not answer within 30 s")


def workers_cpu_seconds(master_pid: int) -> float:
    """CPU time (user + system) used so far by the gunicorn master's workers (Linux /proc)."""
    tick, total = os.sysconf("SC_CLK_TCK"), 0
    for pid in Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split():
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / tick


def wrk_with_cpu(url: str, seconds: int, connections: int, headers: dict, master_pid: int,
                 script: str | None = None) -> dict:
    """wrk's figures, plus requests per CPU-second of the app's workers: steadier than requests/s
    on a machine busy with other work (it leaves out the database server's own CPU)."""
    cpu = workers_cpu_seconds(master_pid)
    result = wrk(url, seconds, connections, headers, script)
    used = workers_cpu_seconds(master_pid) - cpu
    return {**result, "per_cpu_s": result["rate"] * seconds / used if used > 0 else float("nan")}


def wrk(url: str, seconds: int, connections: int, headers: dict, script: str | None = None) -> dict:
    """requests/s and p99 (ms) from one wrk run (bounded: ``seconds`` long, loopback only); `script`:
    a wrk Lua file (a POST's method and body)."""
    command = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--latency", "--timeout", "10s"]
    if script:
        command += ["-s", script]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", output)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {"rate": rate, "p99_ms": float(p99.group(1)) * scale, "bad": int(errors.group(1)) if errors else 0}


def exchange_bytes(base: str, path: str, headers: dict) -> tuple[int, int, int]:
    """Bytes a device sends and receives for one request, on a fresh connection (as a device 60 s
    after its last poll would make), and the status code."""
    host, port = base.removeprefix("http://").split(":")
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}:{port}", "Connection: close",
             *(f"{k}: {v}" for k, v in headers.items())]
    request = ("\r\n".join(lines) + "\r\n\r\n").encode()
    with socket.create_connection((host, int(port))) as sock:
        sock.sendall(request)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    return len(request), len(received), int(received.split(b" ", 2)[1])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5, help="length of each wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each load, in turns; the best counts")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--days", type=int, default=14, help="days of schedule in the 200 answer")
    parser.add_argument("--database-url", help="sqlite:///NEW_FILE or postgresql://USER@HOST:PORT/NEW_DB")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install -y wrk")
    with tempfile.TemporaryDirectory(prefix="bench-devices-") as tmp:
        workdir = Path(tmp)
        databases = Databases(args.database_url, workdir, prefix="bench_devices")
        try:
            with databases.fresh() as url:
                run(args, workdir, url)
        finally:
            databases.close()
    return 0


def run(args, workdir: Path, url: str) -> None:
    (workdir / "static").mkdir()
    (workdir / "static" / "static.txt").write_text("x" * 512)
    (workdir / "bench_wsgi.py").write_text(WSGI.format(folder=str(workdir / "static")))
    instance = workdir / "instance"
    token, device = seed(url, instance, args.days)
    env = {**os.environ, "DATABASE_URL": url, "RADIO_INSTANCE_PATH": str(instance), "SECRET_KEY": "bench",
           "PYTHONPATH": os.pathsep.join([str(Path(__file__).resolve().parent.parent), str(workdir)])}
    auth = {"Authorization": f"Bearer {token}"}
    with gunicorn(workdir, env, args.workers) as (base, master_pid):
        schedule = f"/api/v1/devices/{device}/schedule?days={args.days}"
        import urllib.request

        first = urllib.request.urlopen(urllib.request.Request(base + schedule, headers=auth))
        etag, body = first.headers["ETag"], first.read()
        poll = f"/api/v1/devices/{device}/schedule"
        poll_etag = urllib.request.urlopen(urllib.request.Request(base + poll, headers=auth)).headers["ETag"]
        loads = {
            "static file (baseline)": (base + "/bench/static.txt", {}),
            "schedule 304 (poll)": (base + poll, {**auth, "If-None-Match": poll_etag}),
            f"schedule 200 ({args.days} days)": (base + schedule, auth),
        }
        runs = {name: [] for name in loads}
        for _ in range(args.rounds):  # taken in turns, so that a busy spell of the machine hits all
            for name, (url, headers) in loads.items():
                runs[name].append(wrk_with_cpu(url, args.seconds, args.connections, headers, master_pid))
        results = {name: {**max(found, key=lambda r: r["rate"]), "runs": [r["rate"] for r in found],
                          "per_cpu_s": max(r["per_cpu_s"] for r in found)}
                   for name, found in runs.items()}
        sent, received, status = exchange_bytes(base, poll, {**auth, "If-None-Match": poll_etag,
                                                              "User-Agent": "loa/1.0"})
    report(args, results, len(body), sent, received, status, etag)


def report(args, results: dict, body_bytes: int, sent: int, received: int, status: int, etag: str) -> None:
    from radio.config import defaults

    poll_s = defaults(Path("."))["DEVICE_POLL_SECONDS"]
    baseline = results["static file (baseline)"]
    print(f"gunicorn {args.workers} sync workers, wrk {args.connections} connections × {args.seconds} s each, "
          f"best of {args.rounds} runs taken in turns, 127.0.0.1")
    print(f"{'':32} {'req/s':>9} {'p99 ms':>8} {'× static':>9} {'non-2xx/3xx':>12} {'req/cpu-s':>10} "
          f"{'× static':>9}  runs (req/s)")
    for name, r in results.items():
        print(f"{name:32} {r['rate']:9.0f} {r['p99_ms']:8.1f} {r['rate'] / baseline['rate']:9.2f} {r['bad']:12d} "
              f"{r['per_cpu_s']:10.0f} {r['per_cpu_s'] / baseline['per_cpu_s']:9.2f}  "
              f"{', '.join(f'{rate:.0f}' for rate in r['runs'])}")
    print("req/cpu-s: requests per CPU-second of the gunicorn workers (best run), steadier than req/s on a "
          "busy machine; it leaves out the database server's own CPU")
    poll, full = results["schedule 304 (poll)"], results[f"schedule 200 ({args.days} days)"]
    print(f"304 poll / 200 schedule: {poll['rate'] / full['rate']:.1f}×; goal 304 ≥ 0.5× static: "
          f"{'met' if poll['rate'] >= 0.5 * baseline['rate'] else 'NOT met'}")
    polls = 86400 // poll_s
    http = sent + received
    print(f"200 body: {body_bytes} bytes for {args.days} days (ETag {etag})")
    print(f"idle day at poll_seconds={poll_s}: {polls} polls × {http} B (request {sent} + {status} answer "
          f"{received}) = {polls * http / 1024:.0f} KiB of HTTP; about "
          f"{polls * (http + TCP_OVERHEAD_BYTES) / 1024:.0f} KiB with TCP/IP headers (new connection each poll, "
          "no TLS)")


if __name__ == "__main__":
    sys.exit(main())
