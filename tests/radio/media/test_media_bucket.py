"""The audio store in an S3-compatible bucket (MEDIA_URL), served app on loopback against moto's
real S3 server: devices are sent presigned links, everything that reads or writes audio goes
through the bucket, and a node with an empty cache folder still has every file."""
from __future__ import annotations

import hashlib
import shutil
import subprocess
import zipfile
from datetime import time, timedelta

import pytest
from radio.device_client.cache import file_sha256
from tests.device_client.kit import at, link, run_until, schedule, slow_polls, start_receiver  # noqa: F401 (fixtures)
from tests.factories.apps import separate_app
from tests.factories.servers import served, throwaway_database
from tests.radio.api_kit import START, TODAY, Api, Clock, seed, tones  # noqa: F401 (fixtures)
from tests.s3_kit import s3, s3_endpoint  # noqa: F401 (fixtures)

pytestmark = pytest.mark.db


@pytest.fixture
def api(tmp_path, tones, s3):
    clock = Clock(START)
    with throwaway_database(tmp_path) as url, \
            separate_app(tmp_path / "instance", DATABASE_URL=url, MEDIA_DIR=str(tmp_path / "media"), CLOCK=clock,
                         MEDIA_URL=f"s3://{s3.bucket}/audio", S3_ENDPOINT_URL=s3.endpoint) as app:
        with app.app_context():
            from radio import db

            world = seed(db.session(), tones)
            db.session().commit()
        with served(app) as base:
            yield Api(base, app, clock, world)


def test_the_seeded_audio_is_in_the_bucket(api, s3):
    assert s3.keys() == sorted(f"audio/{sha[:2]}/{sha}.mp3" for sha in api.world.media.values())


def test_a_device_is_sent_a_short_lived_link_to_the_bucket_and_a_stranger_nothing(api, s3):
    sha = api.world.media["ep-1"]
    answer = api.get(f"/media/{sha}", device="loa-01", allow_redirects=False)
    assert answer.status_code == 302 and answer.headers["Location"].startswith(f"{s3.endpoint}/{s3.bucket}/audio/")
    assert "X-Amz-Expires=900" in answer.headers["Location"] and "no-store" in answer.headers["Cache-Control"]
    followed = api.get(f"/media/{sha}", device="loa-01")
    assert hashlib.sha256(followed.content).hexdigest() == sha and followed.headers["Content-Type"] == "audio/mpeg"
    ranged = api.get(f"/media/{sha}", device="loa-01", headers={"Range": "bytes=1000-"})
    assert ranged.status_code == 206 and ranged.content == followed.content[1000:]
    assert api.get(f"/media/{sha}", device="loa-xa", allow_redirects=False).status_code == 403
    assert api.get(f"/media/{sha}", allow_redirects=False).status_code == 401


def test_a_file_gone_from_the_bucket_is_a_404(api, s3):
    sha = api.world.media["ep-1"]
    s3.client().delete_object(Bucket=s3.bucket, Key=f"audio/{sha[:2]}/{sha}.mp3")
    shutil.rmtree(api.app.config["MEDIA_DIR"])
    assert api.get(f"/media/{sha}", device="loa-01", allow_redirects=False).status_code == 404


def test_the_receiver_fetches_its_audio_from_the_bucket(api, link, tmp_path):
    slow_polls(api, 900)
    receiver = start_receiver(api, link, tmp_path / "cache", "--bulletin-seconds", "300")
    run_until(receiver, api.clock, at(TODAY, 5, 0))
    ep1 = api.world.media["ep-1"]
    assert file_sha256(tmp_path / "cache" / "media" / ep1) == ep1
    assert not [a for a in link.answers if b"Content-Type: audio/mpeg" in a]  # no audio through the app


def test_added_audio_goes_to_the_bucket_and_a_day_pack_is_made_on_a_node_with_an_empty_cache(api, s3, tmp_path):
    source = tmp_path / "Tin mới.wav"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=550:duration=2", "-y", str(source)],
                   check=True)
    added = api.cli("audio", "add", str(source), "--series", "cds", "--code", "tin-moi", "--as", "vanhoa")
    assert added.exit_code == 0, added.output
    sha = added.output.rsplit("sha256 ", 1)[1].strip()
    assert f"audio/{sha[:2]}/{sha}.mp3" in s3.keys()
    later = TODAY + timedelta(days=2)
    schedule(api, "st-tk", [(later, time(17, 0), "tin-moi")])
    shutil.rmtree(api.app.config["MEDIA_DIR"])  # another web node, or the folder lost: the bucket has it all
    out = tmp_path / "day.zip"
    made = api.cli("export", "day", "--station", "st-tk", "--date", later.isoformat(), "--format", "zip",
                   "--out", str(out))
    assert made.exit_code == 0, made.output
    with zipfile.ZipFile(out) as pack:
        sounds = [pack.read(n) for n in pack.namelist() if n.startswith("audio/")]
    assert [hashlib.sha256(sound).hexdigest() for sound in sounds] == [sha]
