"""The production stack on loopback, brought up from deploy/ (its placeholders filled in by the
test): nginx (TLS, self-signed) → gunicorn → PostgreSQL, `radio worker` on Redis voicing the
demo's scripts, and `radio device intake` on mosquitto (deploy/mosquitto.conf); a real receiver
(`radio-device --once`) fetches its schedule and audio through nginx, and a play log sealed as
the heartbeat answer says is stored by the intake and acknowledged. PostgreSQL only: it is the
production database (SQLite's one writer at a time does not suit a worker running jobs in
parallel with the web app)."""
from __future__ import annotations

import json
import os
import queue
import secrets
import shlex
import shutil
import subprocess
import sys
import threading
import time
import uuid
from contextlib import ExitStack, contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import paho.mqtt.client as mqtt
import pytest
import requests
from sqlalchemy import func, or_, select
from sqlalchemy.engine import make_url

from radio.db import make_engine
from radio.device_client.cache import file_sha256
from radio.device_client.sealed import opened, seal
from radio.models import Device, Episode, ScheduleEntry
from tests.deploy_kit import DEPLOY, filled, mosquitto, nginx
from tests.factories.servers import empty_database
from tests.loopback import free_port, wait_for_port

pytestmark = [pytest.mark.db, pytest.mark.slow]
VENV = Path(sys.executable).parent.parent
VOICING_WAIT_S = 900


def settings(text: str) -> dict[str, str]:
    """deploy/radio.env's KEY=VALUE lines, as systemd's EnvironmentFile reads them."""
    pairs = (line.split("=", 1) for line in text.splitlines() if line.strip() and not line.startswith("#"))
    return {key.strip(): value.strip() for key, value in pairs}


def exec_start(unit: str, **values) -> tuple[list[str], Path]:
    """A systemd unit's ExecStart= (split as systemd does) and WorkingDirectory=."""
    lines = dict(line.split("=", 1) for line in filled(f"systemd/{unit}", **values).splitlines()
                 if "=" in line and not line.startswith("#"))
    return shlex.split(lines["ExecStart"]), Path(lines["WorkingDirectory"])


def sealed_exchange(broker: str, offer: dict, body: dict) -> dict | None:
    """Publish `body` sealed on the offer's topic, as a receiver does; the sealed answer, opened."""
    answers: queue.Queue[bytes] = queue.Queue()
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"stack-{secrets.token_hex(4)}")
    subscribed = threading.Event()
    client.on_subscribe = lambda *args: subscribed.set()
    client.on_message = lambda client, userdata, message: answers.put(message.payload)
    client.connect("127.0.0.1", urlsplit(broker).port)
    client.subscribe(offer["ack_topic"], qos=1)
    client.loop_start()
    try:
        assert subscribed.wait(30)
        client.publish(offer["topic"], seal(offer["key"], body), qos=1).wait_for_publish(30)
        return opened(offer["key"], answers.get(timeout=60))
    finally:
        client.disconnect()
        client.loop_stop()


@contextmanager
def running(command: list[str], cwd: Path, env: dict, log: Path):
    with open(log, "wb") as out:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        yield process
    finally:
        process.terminate()
        process.wait(timeout=120)


@pytest.mark.skipif(make_url(os.environ.get("DATABASE_URL") or "sqlite://").get_backend_name() != "postgresql",
                    reason="the production stack runs on PostgreSQL (DATABASE_URL)")
def test_a_receiver_gets_its_schedule_and_audio_through_nginx_gunicorn_and_the_worker(tmp_path):
    data, app_port = tmp_path / "data", free_port()
    with empty_database(tmp_path, "stack") as url, ExitStack() as stack:
        broker = stack.enter_context(mosquitto(tmp_path / "mosquitto"))
        values = dict(DATA_DIR=data, DATABASE_URL=url, REDIS_URL="redis://127.0.0.1:6379/0",
                      JOBS_QUEUE=f"stack-{secrets.token_hex(6)}", SECRET_KEY=secrets.token_hex(32),
                      SERVER_NAME="127.0.0.1", APP_ADDRESS=f"127.0.0.1:{app_port}", APP_DIR=DEPLOY.parent,
                      CONFIG_DIR=tmp_path, VENV=VENV, BACKUP_DIR=tmp_path, MQTT_URL=broker)
        env = dict(os.environ, **settings(filled("radio.env", **values)))
        prefix = "radio"  # MQTT_TOPIC_PREFIX's default: the broker is the test's own
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(DEPLOY.parent), os.environ.get("PYTHONPATH")]))
        radio = [str(VENV / "bin" / "radio")]
        subprocess.run([*radio, "init-db"], env=env, check=True, capture_output=True)
        examples = tmp_path / "examples"  # one commune's plan: its scripts voiced by the worker
        examples.mkdir()
        shutil.copy(DEPLOY.parent / "examples" / "002-thanh-ky.yaml", examples)
        demo = subprocess.run([*radio, "demo", "--examples", str(examples), "--history-weeks", "0"], env=env,
                              capture_output=True, text=True)
        assert demo.returncode == 0, demo.stderr[-3000:]

        worker, cwd = exec_start("radio-worker.service", **values)
        stack.enter_context(running(worker, cwd, env, tmp_path / "worker.log"))
        intake, cwd = exec_start("radio-intake.service", **values)
        stack.enter_context(running(intake, cwd, env, tmp_path / "intake.log"))
        web, cwd = exec_start("radio-web.service", **values)
        gunicorn = stack.enter_context(running(web, cwd, env, tmp_path / "gunicorn.log"))
        wait_for_port(app_port, gunicorn)
        front = stack.enter_context(nginx(tmp_path / "nginx", f"127.0.0.1:{app_port}", data / "media",
                                          data / "exports", data / "poll"))
        env["REQUESTS_CA_BUNDLE"] = str(tmp_path / "nginx" / "tls.crt")

        engine = make_engine(url)
        stack.callback(engine.dispose)
        silent = select(func.count()).select_from(Episode).where(Episode.script_id.is_not(None),
                                                                 Episode.media_sha256.is_(None))
        for _ in range(VOICING_WAIT_S):  # the worker voices what `radio demo` queued
            with engine.connect() as connection:
                if connection.scalar(silent) == 0:
                    break
            time.sleep(1)
        else:
            pytest.fail("the worker did not voice the demo's scripts: " + (tmp_path / "worker.log").read_text()[-3000:])
        today = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()  # the voiced episodes replace reservations
        build = subprocess.run([*radio, "schedule", "build", "--from", today.isoformat(),
                                "--to", (today + timedelta(days=2)).isoformat()], env=env, capture_output=True, text=True)
        # Built and stored either way; 2 says some period cannot be met, as on a day when a weekly
        # item's allowed days of this week have passed already (the plan starts today).
        assert build.returncode in (0, 2) and " created, " in build.stdout and not build.stderr, build.stderr[-3000:]
        with engine.connect() as connection:  # a loudspeaker with audio still to air
            device = connection.scalar(
                select(Device.code).join(ScheduleEntry, ScheduleEntry.station_id == Device.station_id)
                .join(Episode, Episode.id == ScheduleEntry.episode_id)
                .where(Episode.media_sha256.is_not(None), ScheduleEntry.status == "planned",
                       ScheduleEntry.end_at > datetime.now(timezone.utc),
                       or_(ScheduleEntry.target_area_id.is_(None), ScheduleEntry.target_area_id == Device.area_id))
                .order_by(Device.code).limit(1))
        assert device is not None, "no loudspeaker has voiced audio to air in the next days"

        token = subprocess.run([*radio, "device-token", device], env=env, check=True, capture_output=True, text=True)
        (tmp_path / "token").write_text(token.stdout.strip().splitlines()[-1])
        cache = tmp_path / "receiver"
        fetched = subprocess.run([str(VENV / "bin" / "radio-device"), "--server", front, "--code", device,
                                  "--token-file", str(tmp_path / "token"), "--cache", str(cache),
                                  "--player", "none", "--once"], env=env, capture_output=True, text=True,
                                 timeout=600)
        assert fetched.returncode == 0, fetched.stderr[-3000:]

        state = json.loads((cache / "state.json").read_text())
        audio = sorted((cache / "media").glob("*"))
        assert state and audio and all(file_sha256(path) == path.name for path in audio)
        served = (tmp_path / "nginx" / "radio-access.log").read_text()
        assert f"/api/v1/devices/{device}/schedule" in served and " /api/v1/media/" in served
        assert requests.get(f"{front}/healthz", timeout=30, verify=env["REQUESTS_CA_BUNDLE"]).status_code == 200
        ask = dict(timeout=30, verify=env["REQUESTS_CA_BUNDLE"])  # radio.env's poll folder is the one nginx serves
        auth = {"Authorization": f"Bearer {(tmp_path / 'token').read_text()}"}
        poll_file = requests.get(f"{front}/api/v1/devices/{device}/schedule", headers=auth, **ask).json()["poll_file"]
        first = requests.get(poll_file, **ask)
        assert first.json()["device"] == device and poll_file.startswith(f"{front}/poll/")
        assert requests.get(poll_file, headers={"If-None-Match": first.headers["ETag"]}, **ask).status_code == 304

        offer = requests.post(f"{front}/api/v1/devices/{device}/heartbeat", json={}, headers=auth,
                              **ask).json()["playlogs_mqtt"]
        assert offer["topic"] == f"{prefix}/devices/{device}/playlogs"
        played = {"uuid": str(uuid.uuid4()), "status": "played", "episode": audio[0].name,  # its sha256
                  "started_at": datetime.now(timezone.utc).isoformat()}
        answer = sealed_exchange(broker, offer, {"batch": "stack", "logs": [played]})
        assert answer == {"batch": "stack", "stored": [played["uuid"]], "duplicate": [], "refused": []}, \
            (tmp_path / "intake.log").read_text()[-3000:]
