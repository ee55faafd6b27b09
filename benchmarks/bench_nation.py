"""Benchmark: a synthetic nation on PostgreSQL, and the cores 100,000 receivers need.

    python benchmarks/bench_nation.py --database-url postgresql://USER@HOST:PORT[/NEW_DB]
                                      [--scale 1.0] [--seconds 5] [--rounds 3] [--connections 16] [--workers 2]
                                      [--mqtt mqtt://HOST:PORT] [--intakes 1] [--intake-workers 2]
                                      [--intake-batch 500]

Set-up (not measured): 5 provinces × 100 communes × 10 villages at --scale 1 (5,000 receivers;
--scale 0.2: 20 communes a province), one station a commune with 16 entries today, one device a
village, and every device's poll file written once (DEVICE_POLL_FILES_DIR, radio/devices/poll_files.py).
The app is served by gunicorn (--workers sync workers), a small static file and the poll files by
nginx (one worker, a generated config with deploy/nginx.conf's /poll/ location; plain HTTP: TLS is
left out of both), both loaded by the same ``wrk`` (Debian package ``wrk``), each load --rounds
times taken in turns (the best counts), in one run:

- baseline: nginx serving a 512-byte static file;
- the poll file's 304 from nginx (If-None-Match of its ETag, at the address the device's schedule
  answer names): the poll a receiver makes every interval when the server keeps poll files;
- the app's 304 schedule poll (a receiver's poll where there are no poll files, and the safety
  poll where there are), the app's 304 emergency-bulletins poll, and the heartbeat (a write), each
  for one device (the cost of a poll does not depend on which device polls);
- the burst after a 24-hour outage: every receiver uploads its day of play logs (16) at once,
  --connections at a time, each a real POST; then the same over MQTT (the receivers quiet on it
  send their logs there: a sealed message each, published by --connections clients to the local
  mosquitto, taken by --intakes ``radio device intake`` processes, timed until every receiver has
  its acknowledgement); each against a plain ``COPY`` of as many rows into play_logs itself (its
  keys, indexes and trigger: the same work, done the plainest way) and into a bare table without
  keys, indexes or trigger (the rows' plainest way into the database at all);
- the compliance report of one province-year at this scale (benchmarks/bench_compliance.py's
  province, 100 × --scale communes, on the partitions of its year).

Per-core throughput is requests per CPU-second of the serving processes (gunicorn's workers,
nginx's worker), read from /proc: steadier than requests/s on a busy machine; PostgreSQL's own
CPU is left out (printed apart for the burst). The goal's 304 is the poll file's. From these: the
cores 100,000 receivers need with poll files (the file every 30 s, nginx's CPU counted as cores
too; the app's safety poll and a heartbeat every 2 hours; the logs), and the app cores without:
at the default intervals (schedule and heartbeat every 60 s, bulletins every 30 s), and with
receivers quiet on MQTT (a safety poll and a heartbeat every 2 hours). Nothing here asserts.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from datetime import datetime, time as day_time, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import Databases  # noqa: E402 (beside this script)
from bench_devices import WSGI, free_port, gunicorn, workers_cpu_seconds, wrk_with_cpu  # noqa: E402
from tests.deploy_kit import mosquitto  # noqa: E402 (deploy/mosquitto.conf on a free port)

PROVINCES, COMMUNES, VILLAGES, ENTRIES = 5, 100, 10, 16
RECEIVERS = 100_000
HEARTBEAT_LUA = 'wrk.method = "POST"\nwrk.body = \'{"volume": 70}\'\nwrk.headers["Content-Type"] = "application/json"\n'
NGINX = """daemon off; worker_processes 1; user root; pid {dir}/nginx.pid; error_log {dir}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{ access_log off; sendfile on; keepalive_requests 1000000;
  server {{ listen 127.0.0.1:{port}; root {dir}/static; location / {{ }}
    location ~ "^/poll/([0-9a-f]{{40}}\\.json)$" {{
      alias {dir}/poll/$1; default_type application/json; add_header Cache-Control "no-cache"; }} }} }}
"""


def seed(url: str, instance: Path, polls: Path, communes: int) -> tuple[dict[str, str], dict[str, list[dict]]]:
    """The nation, and every device's poll file in `polls`; returns each device's token and the
    play logs of its day."""
    from radio import create_app, db, schema
    from radio.auth.tokens import hash_token
    from radio.devices.poll_files import refresh_poll_files
    from radio.models import (Area, BroadcastWindow, Device, Episode, MediaFile, Plan, ScheduleEntry, Series,
                              Station)

    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": str(instance), "SECRET_KEY": "bench",
                      "DEVICE_POLL_FILES_DIR": str(polls)})
    tz = ZoneInfo(app.config["TIMEZONE"])
    now = datetime.now(tz)  # the benchmark is a command: it reads now once
    yesterday = now.date() - timedelta(days=1)
    tokens, logs = {}, {}
    with app.app_context():
        schema.upgrade(db.engine())
        session = db.session()
        country = Area(code="vn", name="Việt Nam", level="province")
        plan = Plan(code="kh", title="Kế hoạch", issued_by=country)
        series = Series(plan=plan, code="cds", title="Chuyên mục Chuyển đổi số")
        episodes = [Episode(series=series, code=f"ep-{n}", title=f"Bản tin số {n}", created_at=now,
                            media=MediaFile(sha256=f"{n:064x}", suffix="mp3", bytes=2_400_000, duration_s=150.0,
                                            codec="mp3", sample_rate=44100, channels=1, created_at=now))
                    for n in range(ENTRIES)]
        session.add_all([country, plan, series, *episodes])
        for p in range(PROVINCES):
            province = Area(code=f"t{p}", name=f"Tỉnh {p}", level="province")
            for c in range(communes):
                commune = Area(code=f"t{p}-x{c}", name=f"Xã {p}-{c}", level="commune", parent=province)
                station = Station(code=f"st-{p}-{c}", name=f"Đài xã {p}-{c}", area=commune, schedule_version=1)
                for name, start in (("sang", 5), ("chieu", 17)):
                    station.windows.append(BroadcastWindow(name=name, days=("MO", "TU", "WE", "TH", "FR", "SA", "SU"),
                                                           start_time=day_time(start), end_time=day_time(start + 1)))
                entries = []
                for day in (yesterday, yesterday + timedelta(days=1)):
                    for n, episode in enumerate(episodes):
                        start = datetime.combine(day, day_time(5 if n < 8 else 17), tzinfo=tz) + \
                            timedelta(minutes=3 * (n % 8))
                        entries.append(ScheduleEntry(
                            station=station, start_at=start, end_at=start + timedelta(seconds=150), local_date=day,
                            window_name="sang" if n < 8 else "chieu", kind="episode", title=episode.title,
                            episode=episode, series=series, created_at=now))
                session.add_all([commune, station, *entries])
                for v in range(VILLAGES):
                    code = f"loa-{p}-{c}-{v}"
                    village = Area(code=f"t{p}-x{c}-{v}", name=f"Thôn {p}-{c}-{v}", level="village", parent=commune)
                    tokens[code] = f"token-{uuid.uuid4().hex}"
                    session.add(Device(code=code, area=village, station=station, token_hash=hash_token(tokens[code]),
                                       token_issued_at=now))
                    logs[code] = entries[:ENTRIES]  # yesterday's: the day the outage held back
            session.flush()
        session.flush()
        logs = {code: [{"uuid": str(uuid.uuid4()), "entry_id": str(e.uuid), "status": "played",
                        "started_at": e.start_at.isoformat(), "ended_at": e.end_at.isoformat()} for e in entries]
                for code, entries in logs.items()}
        session.commit()
        refresh_poll_files()
    app.extensions["radio.engine"].dispose()
    return tokens, logs


@contextmanager
def nginx(workdir: Path):
    port = free_port()
    config = workdir / "nginx.conf"
    config.write_text(NGINX.format(dir=workdir, port=port))
    process = subprocess.Popen(["/usr/sbin/nginx", "-c", str(config), "-p", str(workdir)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                requests.get(f"{base}/static.txt", timeout=1).raise_for_status()
                break
            except requests.RequestException:
                time.sleep(0.1)
        yield base, process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)


def burst(base: str, tokens: dict[str, str], logs: dict[str, list[dict]], connections: int, master_pid: int) -> dict:
    """Every receiver's day of logs at once, `connections` at a time: rows/s, p99, CPU."""
    def upload(code: str) -> float:
        began = time.perf_counter()
        answer = http.post(f"{base}/api/v1/devices/{code}/playlogs", json=logs[code], timeout=120,
                           headers={"Authorization": f"Bearer {tokens[code]}"})
        answer.raise_for_status()
        stored = len(answer.json().get("stored", []))
        if stored != len(logs[code]):
            sys.exit(f"{code}: {stored} of {len(logs[code])} logs stored: {answer.text[:300]}")
        return time.perf_counter() - began

    http = requests.Session()
    http.mount("http://", requests.adapters.HTTPAdapter(pool_maxsize=connections))
    cpu, db_cpu = workers_cpu_seconds(master_pid), postgres_cpu_seconds()
    began = time.perf_counter()
    with ThreadPoolExecutor(connections) as pool:
        latencies = sorted(pool.map(upload, tokens))
    wall = time.perf_counter() - began
    rows = sum(len(found) for found in logs.values())
    return {"rows": rows, "wall": wall, "requests": len(latencies),
            "p99_ms": latencies[max(int(len(latencies) * 0.99) - 1, 0)] * 1000,
            "app_cpu": workers_cpu_seconds(master_pid) - cpu, "db_cpu": postgres_cpu_seconds() - db_cpu}


def mqtt_burst(broker: str, prefix: str, env: dict, tokens: dict[str, str], logs: dict[str, list[dict]],
               publishers: int, intakes: int, workers: int, batch: int) -> dict:
    """Every receiver's day of logs at once over MQTT: rows/s until the last acknowledgement, CPU."""
    import paho.mqtt.client as mqtt

    from radio.auth.tokens import hash_token
    from radio.device_client.sealed import acks_topic, logs_topic, opened, seal
    from radio.devices.intake import device_key

    keys = {code: device_key("bench", SimpleNamespace(code=code, token_hash=hash_token(token)))
            for code, token in tokens.items()}
    payloads = [(logs_topic(prefix, code), seal(keys[code], {"batch": code, "logs": logs[code]})) for code in tokens]
    host, port = urlsplit(broker).hostname, urlsplit(broker).port or 1883
    acked, done = {}, threading.Event()

    def acknowledged(client, userdata, message):
        code = message.topic.split("/")[-3]
        body = opened(keys[code], message.payload)
        acked[code] = len(body["stored"]) if body else -1
        if len(acked) == len(tokens):
            done.set()

    listener = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"bench-acks-{uuid.uuid4().hex[:8]}")
    listener.on_message = acknowledged
    listener.connect(host, port)
    listener.subscribe(acks_topic(prefix, "+"), qos=1)
    listener.loop_start()
    command = [sys.executable, "-c", "from radio.cli import main; main()", "device", "intake", "--workers",
               str(workers), "--batch", str(batch)]
    consumers = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                 for _ in range(intakes)]
    try:
        for consumer in consumers:
            if not consumer.stdout.readline().startswith("taking play logs"):
                sys.exit(f"radio device intake did not start: {consumer.stdout.read()[:500]}")
        time.sleep(1)  # subscribed
        clients = []
        for n in range(publishers):
            client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"bench-loa-{n}-{uuid.uuid4().hex[:6]}")
            client.max_inflight_messages_set(1000)
            client.connect(host, port)
            client.loop_start()
            clients.append(client)
        cpu, db_cpu = sum(process_cpu_seconds(c.pid) for c in consumers), postgres_cpu_seconds()
        began = time.perf_counter()
        sent = [clients[n % publishers].publish(topic, payload, qos=1) for n, (topic, payload) in enumerate(payloads)]
        finished = done.wait(timeout=600)
        wall = time.perf_counter() - began
        used = sum(process_cpu_seconds(c.pid) for c in consumers) - cpu
        db_used = postgres_cpu_seconds() - db_cpu
        for message in sent:
            message.wait_for_publish(timeout=10)
        for client in clients:
            client.disconnect()
            client.loop_stop()
    finally:
        for consumer in consumers:
            consumer.terminate()
            consumer.wait(timeout=60)
        listener.disconnect()
        listener.loop_stop()
    rows = sum(len(found) for found in logs.values())
    stored = sum(n for n in acked.values() if n > 0)
    if not finished or stored != rows:
        sys.exit(f"MQTT burst: {len(acked)} of {len(tokens)} receivers acknowledged, {stored} of {rows} rows stored")
    return {"rows": rows, "wall": wall, "messages": len(payloads), "intake_cpu": used, "db_cpu": db_used}


def process_cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def plain_copies(url: str, received_since: datetime) -> dict:
    """As many rows as the burst stored, by COPY, best of 3 each: into play_logs itself (new
    uuids; rolled back after each run) and into a bare table without keys, indexes or trigger."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        data = bytearray()
        with connection.cursor().copy(
                "COPY (SELECT gen_random_uuid(), device_id, station_id, entry_id, episode_id, bulletin_id, started_at, "
                "ended_at, status, note, received_at FROM play_logs WHERE received_at >= %s) TO STDOUT",
                (received_since,)) as copy:
            for chunk in copy:
                data += chunk
        rows = data.count(b"\n")
        columns = "client_uuid, device_id, station_id, entry_id, episode_id, bulletin_id, started_at, ended_at, " \
                  "status, note, received_at"

        def copied(table: str) -> float:
            began = time.perf_counter()
            with connection.cursor().copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                copy.write(bytes(data))
            return time.perf_counter() - began

        walls = {"same table": float("inf"), "bare table": float("inf")}
        for _ in range(3):
            connection.execute("BEGIN")
            walls["same table"] = min(walls["same table"], copied("play_logs"))
            connection.execute("ROLLBACK")
            connection.execute("DROP TABLE IF EXISTS play_logs_copy")
            connection.execute("CREATE TABLE play_logs_copy (LIKE play_logs INCLUDING DEFAULTS)")
            walls["bare table"] = min(walls["bare table"], copied("play_logs_copy"))
        connection.execute("DROP TABLE play_logs_copy")
    return {"rows": rows, **walls}


def postgres_cpu_seconds() -> float:
    """CPU used so far by every postgres process of this machine (Linux /proc)."""
    tick, total = os.sysconf("SC_CLK_TCK"), 0
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and (entry / "comm").read_text().strip() == "postgres":
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                total += int(fields[11]) + int(fields[12])
        except OSError:
            continue
    return total / tick


def compliance_year(base_url: str, communes: int) -> dict:
    """bench_compliance's province-year, on monthly partitions made for its year."""
    import bench_compliance
    from radio import schema
    from radio.db import make_engine
    from radio.playlogs import partitions

    databases = Databases(base_url, Path(tempfile.gettempdir()), prefix="bench_nation_compliance")
    try:
        with databases.fresh() as url:
            engine = make_engine(url)
            schema.upgrade(engine)
            with engine.begin() as connection:
                start = datetime.combine(bench_compliance.START, day_time(), tzinfo=timezone.utc)
                partitions.make_ahead(connection, start - timedelta(days=1), months=13)
            engine.dispose()
            return bench_compliance.measure(url, communes, VILLAGES, repeat=1)
    finally:
        databases.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="postgresql://USER@HOST:PORT[/NEW_DB]")
    parser.add_argument("--scale", type=float, default=1.0, help="communes a province: 100 × scale")
    parser.add_argument("--seconds", type=int, default=5, help="length of each wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each load, in turns; the best counts")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--mqtt", help="the broker for the burst over MQTT (default: mosquitto run here from "
                                       "deploy/mosquitto.conf)")
    parser.add_argument("--intakes", type=int, default=1, help="`radio device intake` processes for it")
    parser.add_argument("--intake-workers", type=int, default=2, help="each intake's --workers")
    parser.add_argument("--intake-batch", type=int, default=500, help="each intake's --batch")
    args = parser.parse_args(argv)
    communes = max(1, round(COMMUNES * args.scale))
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install -y wrk")
    print(f"nation: {PROVINCES} provinces × {communes} communes × {VILLAGES} villages = "
          f"{PROVINCES * communes * VILLAGES} receivers; load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
          flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-nation-") as tmp:
        workdir = Path(tmp)
        databases = Databases(args.database_url, workdir, prefix="bench_nation")
        if databases.dialect != "postgresql":
            sys.exit("bench_nation runs on PostgreSQL (--database-url postgresql://…)")
        try:
            with databases.fresh() as url:
                served = serve_and_load(args, workdir, url, communes)
        finally:
            databases.close()
    print("compliance: one province-year …", flush=True)
    served["compliance"] = compliance_year(args.database_url, communes)
    report(args, served)
    return 0


def serve_and_load(args, workdir: Path, url: str, communes: int) -> dict:
    (workdir / "static").mkdir()
    (workdir / "static" / "static.txt").write_text("x" * 512)
    (workdir / "bench_wsgi.py").write_text(WSGI.format(folder=str(workdir / "static")))
    (workdir / "heartbeat.lua").write_text(HEARTBEAT_LUA)
    instance, polls = workdir / "instance", workdir / "poll"
    began = time.perf_counter()
    tokens, logs = seed(url, instance, polls, communes)
    print(f"  set-up: {len(tokens)} receivers, {len(list(polls.glob('*.json')))} poll files in "
          f"{time.perf_counter() - began:.0f} s", flush=True)
    env = {**os.environ, "DATABASE_URL": url, "RADIO_INSTANCE_PATH": str(instance), "SECRET_KEY": "bench",
           "RADIO_DEVICE_POLL_FILES_DIR": str(polls),
           "PYTHONPATH": os.pathsep.join([str(Path(__file__).resolve().parent.parent), str(workdir)])}
    code = next(iter(tokens))
    auth = {"Authorization": f"Bearer {tokens[code]}"}
    with gunicorn(workdir, env, args.workers) as (base, master_pid), nginx(workdir) as (static, nginx_pid):
        answers = {path: requests.get(f"{base}/api/v1/devices/{code}/{path}", headers=auth, timeout=30)
                   for path in ("schedule", "bulletins")}
        etags = {path: answer.headers["ETag"] for path, answer in answers.items()}
        poll_file = static + urlsplit(answers["schedule"].json()["poll_file"]).path  # the same path on nginx
        etags["poll file"] = requests.get(poll_file, timeout=30).headers["ETag"]
        loads = {
            "nginx static file (baseline)": (static + "/static.txt", {}, nginx_pid, None),
            "poll file 304 (nginx)": (poll_file, {"If-None-Match": etags["poll file"]}, nginx_pid, None),
            "schedule 304 (poll)": (f"{base}/api/v1/devices/{code}/schedule",
                                    {**auth, "If-None-Match": etags["schedule"]}, master_pid, None),
            "bulletins 304 (emergency poll)": (f"{base}/api/v1/devices/{code}/bulletins",
                                               {**auth, "If-None-Match": etags["bulletins"]}, master_pid, None),
            "heartbeat (a write)": (f"{base}/api/v1/devices/{code}/heartbeat", auth, master_pid,
                                    str(workdir / "heartbeat.lua")),
        }
        runs = {name: [] for name in loads}
        for _ in range(args.rounds):
            for name, (target, headers, pid, script) in loads.items():
                runs[name].append(wrk_with_cpu(target, args.seconds, args.connections, headers, pid, script))
        results = {name: {**max(found, key=lambda r: r["rate"]), "per_cpu_s": max(r["per_cpu_s"] for r in found)}
                   for name, found in runs.items()}
        print("  burst: every receiver uploads its day of logs …", flush=True)
        results["burst"] = burst(base, tokens, logs, args.connections, master_pid)
    print("  burst over MQTT: every receiver sends its day of logs (new ones) …", flush=True)
    prefix = f"bench-{uuid.uuid4().hex[:8]}"
    since = datetime.now(timezone.utc)  # the rows the MQTT burst stores are those received from now on
    again = {code: [{**item, "uuid": str(uuid.uuid4())} for item in found] for code, found in logs.items()}
    with ExitStack() as stack:
        broker = args.mqtt or stack.enter_context(mosquitto(workdir / "mosquitto"))
        results["mqtt"] = mqtt_burst(broker, prefix, {**env, "MQTT_URL": broker, "RADIO_PLAYLOG_INTAKE": "mqtt",
                                                      "RADIO_MQTT_TOPIC_PREFIX": prefix},
                                     tokens, again, args.connections, args.intakes, args.intake_workers,
                                     args.intake_batch)
    results["copy"] = plain_copies(url, since)
    return results


def report(args, r: dict) -> None:
    static = r["nginx static file (baseline)"]
    print(f"\ngunicorn {args.workers} sync workers; nginx 1 worker; wrk {args.connections} connections × "
          f"{args.seconds} s, best of {args.rounds} taken in turns; load now {os.getloadavg()[0]:.1f}")
    print(f"{'':32} {'req/s':>8} {'p99 ms':>8} {'req/cpu-s':>10} {'× nginx/cpu-s':>14} {'non-2xx/3xx':>12}")
    for name in ("nginx static file (baseline)", "poll file 304 (nginx)", "schedule 304 (poll)",
                 "bulletins 304 (emergency poll)", "heartbeat (a write)"):
        x = r[name]
        print(f"{name:32} {x['rate']:8.0f} {x['p99_ms']:8.1f} {x['per_cpu_s']:10.0f} "
              f"{x['per_cpu_s'] / static['per_cpu_s']:14.2f} {x['bad']:12d}")
    poll, filed = r["schedule 304 (poll)"], r["poll file 304 (nginx)"]
    print(f"goal 304 poll ≥ 0.5× nginx per core (the poll file's): {filed['per_cpu_s'] / static['per_cpu_s']:.2f}× — "
          f"{'met' if filed['per_cpu_s'] >= 0.5 * static['per_cpu_s'] else 'NOT met'}; without poll files (the "
          f"app's schedule 304): {poll['per_cpu_s'] / static['per_cpu_s']:.3f}×")
    b, m, c = r["burst"], r["mqtt"], r["copy"]
    burst_rate, mqtt_rate = b["rows"] / b["wall"], m["rows"] / m["wall"]
    same, bare = c["rows"] / c["same table"], c["rows"] / c["bare table"]
    print(f"plain COPY of {c['rows']} rows: into play_logs itself {c['same table']:.2f} s = {same:.0f} rows/s; "
          f"into a bare table {c['bare table']:.2f} s = {bare:.0f} rows/s")
    print(f"burst after a 24-hour outage over HTTP: {b['requests']} uploads, {b['rows']} rows in {b['wall']:.1f} s = "
          f"{burst_rate:.0f} rows/s = {burst_rate / same:.3f}× COPY into play_logs ({burst_rate / bare:.4f}× bare), "
          f"p99 {b['p99_ms']:.0f} ms per upload; CPU: app {b['app_cpu']:.1f} s, PostgreSQL {b['db_cpu']:.1f} s")
    print(f"burst over MQTT ({args.intakes} intake × {args.intake_workers} workers, batches of ≤ "
          f"{args.intake_batch}): {m['messages']} messages, {m['rows']} rows acknowledged in "
          f"{m['wall']:.2f} s = {mqtt_rate:.0f} rows/s; CPU: intake {m['intake_cpu']:.1f} s, PostgreSQL "
          f"{m['db_cpu']:.1f} s")
    print(f"goal burst ≥ 0.3× plain COPY: over MQTT {mqtt_rate / same:.2f}× COPY into play_logs itself "
          f"({'met' if mqtt_rate >= 0.3 * same else 'NOT met'}), {mqtt_rate / bare:.2f}× COPY into a bare table "
          f"({'met' if mqtt_rate >= 0.3 * bare else 'NOT met'})")
    comp = r["compliance"]
    print(f"compliance report of one province-year ({comp['rows']} rows, {comp.get('play_logs', '?')} play logs): "
          f"{comp['report']:.2f} s (goal < 3 s: {'met' if comp['report'] < 3 else 'NOT met'})")
    heartbeat, bulletins = r["heartbeat (a write)"], r["bulletins 304 (emergency poll)"]
    cpu_per_receiver = 1 / 60 / poll["per_cpu_s"] + 1 / 30 / bulletins["per_cpu_s"] + 1 / 60 / heartbeat["per_cpu_s"]
    quiet_per_receiver = (1 / poll["per_cpu_s"] + 1 / heartbeat["per_cpu_s"]) / 7200
    http_logs = ENTRIES / 86400 / (b["rows"] / max(b["app_cpu"], 1e-9))  # a receiver's day of logs, CPU-s
    mqtt_logs = ENTRIES / 86400 / (m["rows"] / max(m["intake_cpu"], 1e-9))
    nginx_cores = RECEIVERS / 30 / filed["per_cpu_s"]
    app_cores = RECEIVERS * (quiet_per_receiver + http_logs)
    print(f"cores for {RECEIVERS:,} receivers with poll files (the file every 30 s from nginx, at its CPU per "
          f"request here, counted as cores too; the app's safety poll and a heartbeat every 2 h; {ENTRIES} logs a "
          f"day by HTTP): {nginx_cores + app_cores:.2f} = nginx {nginx_cores:.2f} + app {app_cores:.2f} "
          f"(TLS and PostgreSQL apart)")
    polling = RECEIVERS * (cpu_per_receiver + http_logs)
    quiet = RECEIVERS * (quiet_per_receiver + mqtt_logs)
    print(f"without poll files, app cores for {RECEIVERS:,} receivers at the default intervals (schedule and "
          f"heartbeat 60 s, bulletins 30 s, {ENTRIES} logs a day): {polling:.1f}; "
          f"quiet on MQTT (a safety poll and a heartbeat every 2 h, logs to the intake): {quiet:.2f} "
          f"(the app's and the intake's CPU only; PostgreSQL's apart)")


if __name__ == "__main__":
    sys.exit(main())
