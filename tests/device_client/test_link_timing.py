"""When the real receiver asks the real server again, counted at the relay on the app's clock:
the schedule every `poll_seconds` as the server's last answer advertised it (a 304, and a
restart, keep the figure of the schedule held), and after failures a backoff that grows
until the server answers again (a tick that asked the server nothing does not reset it).
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

import pytest

from radio.device_client.receiver import Receiver
from tests.device_client.kit import link, run_until, slow_polls, start_receiver
from tests.radio.api_kit import api, tones  # noqa: F401 (fixtures)

pytestmark = pytest.mark.db
AUDIO = b"Content-Type: audio/mpeg"


def requests_at(receiver: Receiver, clock, link, until: datetime, path: bytes, after_tick=None) -> list[datetime]:
    """Run the receiver until `until`; the moments at which it sent requests for `path`."""
    moments = []

    def note() -> None:
        sent = sum(1 for line in link.requests if path in line)
        moments.extend([clock.now] * (sent - seen[0]))
        seen[0] = sent
        if after_tick is not None:
            after_tick()

    seen = [sum(1 for line in link.requests if path in line)]
    run_until(receiver, clock, until, after_tick=note)
    return moments


def test_the_schedule_is_polled_again_after_the_interval_its_answer_advertised(api, link, tmp_path):
    slow_polls(api, 900)  # not the receiver's 60 s until the server says otherwise
    start = api.clock.now
    receiver = start_receiver(api, link, tmp_path / "cache", "--bulletin-seconds", "300")
    polls = requests_at(receiver, api.clock, link, start + timedelta(seconds=2000), b"/schedule?")
    assert polls == [start + timedelta(seconds=s) for s in (0, 900, 1800)]
    receiver.close()
    sent = len(link.requests)
    restarted = start_receiver(api, link, tmp_path / "cache", "--bulletin-seconds", "300")
    polls = requests_at(restarted, api.clock, link, start + timedelta(seconds=3000), b"/schedule?")
    assert polls == [start + timedelta(seconds=s) for s in (2000, 2900)]  # the held schedule's figure
    first_schedule = next(answer for request, answer in zip(link.requests[sent:], link.answers[sent:])
                          if b"/schedule?" in request)
    assert first_schedule == b"HTTP/1.1 304 NOT MODIFIED"  # which does not repeat the figure


def test_the_backoff_grows_until_the_server_answers_even_with_nothing_else_due(api, link, tmp_path, caplog):
    caplog.set_level(logging.DEBUG, logger="radio.device_client.receiver")  # the quiet retries too
    slow_polls(api, 3600)  # no poll and no heartbeat falls due while the downloads fail
    start = api.clock.now
    receiver = start_receiver(api, link, tmp_path / "cache", "--bulletin-seconds", "3600")
    link.cut_after(AUDIO, 500)  # every audio answer is cut off a few hundred bytes into the file
    attempts = requests_at(receiver, api.clock, link, start + timedelta(seconds=100), b"/media/",
                           after_tick=lambda: link.cut_after(AUDIO, 500))
    waits = [(later - earlier).total_seconds() for earlier, later in zip(attempts, attempts[1:])]
    assert len(waits) == 3 and receiver.link.failures == 4
    assert waits[1:] == [pytest.approx(2 * waits[0], abs=0.001), pytest.approx(4 * waits[0], abs=0.001)]
    link.cut_after(None, 0)
    run_until(receiver, api.clock, start + timedelta(seconds=300))
    media = tmp_path / "cache" / "media"
    assert receiver.link.failures == 0 and all((media / api.world.media[ep]).exists() for ep in ("ep-1", "ep-2"))
    messages = [(r.levelname, r.getMessage()) for r in caplog.records]
    assert [level for level, text in messages if "playing on from the cache" in text] == ["WARNING"] + ["DEBUG"] * 3
    assert [text for _, text in messages if "reachable again" in text] == [
        "server reachable again after 4 failed attempts"]


@pytest.mark.parametrize("advertised", [-5, 0, 10 ** 9])
def test_an_unsound_poll_interval_is_refused_and_the_schedule_still_taken(api, link, tmp_path, caplog, advertised):
    caplog.set_level(logging.ERROR, logger="radio.device_client")
    slow_polls(api, advertised)  # a misconfigured server
    start = api.clock.now
    receiver = start_receiver(api, link, tmp_path / "cache", "--bulletin-seconds", "300")
    polls = requests_at(receiver, api.clock, link, start + timedelta(seconds=150), b"/schedule?")
    assert polls == [start + timedelta(seconds=s) for s in (0, 60, 120)]  # its own 60 s, not every tick
    assert receiver.state["schedule"]["items"] and receiver.poll_seconds == 60
    assert any("keeping the poll interval of 60 s" in r.getMessage() for r in caplog.records)
