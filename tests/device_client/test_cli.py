"""`radio-device` as an installer runs it: `--once` against the real server, and plain errors."""
from __future__ import annotations

from datetime import timedelta

import pytest

from radio.device_client.cli import main
from tests.device_client.kit import link, watch_logs  # noqa: F401 (fixture)
from tests.radio.api_kit import api, tones  # noqa: F401 (fixtures)

pytestmark = pytest.mark.db


def options(api, link, tmp_path, token: str) -> list[str]:
    token_file = tmp_path / "token"
    token_file.write_text(token)
    return ["--server", link.url, "--code", "loa-01", "--token-file", str(token_file),
            "--cache", str(tmp_path / "cache"), "--player", "none", "--once"]


def test_once_syncs_the_schedule_and_audio_and_says_so(api, link, tmp_path, caplog):
    watch_logs(caplog)
    assert main(options(api, link, tmp_path, api.world.tokens["loa-01"]), clock=api.clock) == 0  # the server's now
    cached = sorted(p.name for p in (tmp_path / "cache" / "media").iterdir())
    assert cached == sorted([api.world.media["ep-1"], api.world.media["ep-2"]])
    assert (tmp_path / "cache" / "state.json").exists()
    assert "sync complete" in caplog.text and "off the server's" not in caplog.text
    with api.session() as session:
        from sqlalchemy import select

        from radio.models import Device

        heartbeat = session.scalar(select(Device.heartbeat).where(Device.code == "loa-01"))
    assert heartbeat["cached_items"] == 2 and heartbeat["firmware"].startswith("radio-device")


def test_once_with_a_revoked_token_fails_with_the_servers_reason(api, link, tmp_path, caplog):
    watch_logs(caplog)
    assert main(options(api, link, tmp_path, "not-the-token"), clock=api.clock) == 1
    assert "HTTP 401: unauthorized: the device token is wrong or has been revoked" in caplog.text
    assert "sync incomplete" in caplog.text


def test_once_with_the_server_down_fails(api, link, tmp_path, caplog):
    link.down()
    assert main(options(api, link, tmp_path, api.world.tokens["loa-01"]), clock=api.clock) == 1
    assert "playing on from the cache" in caplog.text


@pytest.mark.parametrize("content, message", [("", "found nothing"), ("two words", "found several words")])
def test_a_bad_token_file_is_named(api, link, tmp_path, capsys, content, message):
    assert main(options(api, link, tmp_path, content)) == 2
    error = capsys.readouterr().err
    assert f"--token-file {tmp_path / 'token'}: expected one token" in error and message in error


def test_the_installers_test_tone_plays_on_that_village_only(api, link, tmp_path):
    """README "Installing a village loudspeaker": the test tone, command by command."""
    import subprocess

    from tests.device_client.kit import run_until, start_receiver

    tone = tmp_path / "test-tone.mp3"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=1000:duration=5", str(tone)],
                   check=True)
    added = api.cli("audio", "add", str(tone), "--series", "cds", "--code", "test-tone", "--title", "Thử loa",
                    "--as", "vanhoa")
    assert added.exit_code == 0, added.output
    receivers = {code: start_receiver(api, link, tmp_path / code, "--bulletin-seconds", "30", device=code)
                 for code in ("loa-01", "loa-02")}
    for receiver in receivers.values():
        receiver.tick()
    issued = api.cli("bulletin", "issue", "--episode", "test-tone", "--areas", "TH-NT-TK-01",
                     "--priority", "emergency", "--until", "2026-11-24 04:30", "--as", "dai-tk")
    assert issued.exit_code == 0, issued.output
    bulletin = issued.output.split()[1]
    for receiver in receivers.values():
        run_until(receiver, api.clock, api.clock.now + timedelta(seconds=30))
    assert receivers["loa-01"].state["playing"]["id"] == bulletin
    assert receivers["loa-02"].state["playing"] is None
    run_until(receivers["loa-01"], api.clock, api.clock.now + timedelta(seconds=30))
    shown = api.cli("bulletin", "show", bulletin).output
    assert "device loa-01: fetched 24/11/2026 04:00, played 24/11/2026 04:00" in shown
    assert "loa-02" not in shown
