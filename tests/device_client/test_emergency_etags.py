"""Both device polls carry the emergency bulletins, each behind its own ETag. The real receiver
against the real server: whichever poll brought an emergency, a cancellation reaches it on the
very next poll of either kind (a 304 never keeps a bulletin the server no longer sends), also
after a restart in between.

Polls here, from 04:00: emergency bulletins every 45 s, the schedule every 60 s (the server's
figure). A first emergency comes with the bulletins poll at 45 s and plays; a second, issued while
it plays, waits behind it (an emergency never interrupts another) and is cancelled before it can
start.
"""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from radio.device_client.receiver import Receiver
from tests.device_client.kit import (
    add_episode, issue_emergency, link, run_until, server_logs, slow_polls, start_receiver,
)
from tests.radio.api_kit import api, tones  # noqa: F401 (fixtures)

pytestmark = pytest.mark.db
VILLAGE = "TH-NT-TK-01"


def held_emergencies(receiver: Receiver) -> set[str]:
    """The emergency bulletins the receiver holds: in its state (what a restart reads) and among
    what it may play, which must agree."""
    held = {bulletin["id"] for bulletin in receiver.state["bulletins"]}
    assert held == {airing.id for airing in receiver.airings if airing.is_emergency}
    return held


def cancel(api, bulletin: str) -> None:
    result = api.cli("bulletin", "cancel", bulletin, "--as", "vanhoa")
    assert result.exit_code == 0, result.output


def first_emergency_playing(api, tmp_path, link, seconds: int) -> tuple[Receiver, str, datetime]:
    """A receiver started at 04:00 (both polls: nothing), then playing a first emergency of
    `seconds` that its bulletins poll at 45 s brought."""
    slow_polls(api, 60)
    add_episode(api, tmp_path, "ep-alert-1", seconds)
    add_episode(api, tmp_path, "ep-alert-2", 5)
    start = api.clock.now
    receiver = start_receiver(api, link, tmp_path / "cache", "--bulletin-seconds", "45")
    receiver.tick()
    first = issue_emergency(api, VILLAGE, "ep-alert-1")
    run_until(receiver, api.clock, start + timedelta(seconds=45))
    assert receiver.state["playing"]["id"] == first
    return receiver, first, start


def second_emergency_from_the_schedule(api, tmp_path, link) -> tuple[Receiver, str, str, datetime]:
    """The first emergency (60 s) plays from 45 s to 105 s; a second, issued at 45 s, comes with
    the schedule poll at 60 s and waits behind it; then it is cancelled."""
    receiver, first, start = first_emergency_playing(api, tmp_path, link, 60)
    second = issue_emergency(api, VILLAGE, "ep-alert-2")
    run_until(receiver, api.clock, start + timedelta(seconds=60))
    assert held_emergencies(receiver) == {first, second}
    assert receiver.state["playing"]["id"] == first
    cancel(api, second)
    return receiver, first, second, start


def test_an_emergency_the_schedule_brought_goes_at_the_next_bulletins_poll(api, link, tmp_path):
    receiver, first, second, start = second_emergency_from_the_schedule(api, tmp_path, link)
    run_until(receiver, api.clock, start + timedelta(seconds=90))  # a bulletins poll; the schedule's is at 120 s
    assert held_emergencies(receiver) == {first}
    run_until(receiver, api.clock, start + timedelta(seconds=180))  # the first ends at 105 s: nothing follows it
    assert [(bulletin, status) for bulletin, status, *_ in server_logs(api)] == [(first, "played")]


def test_an_emergency_the_bulletins_poll_brought_goes_at_the_next_schedule_poll(api, link, tmp_path):
    receiver, first, start = first_emergency_playing(api, tmp_path, link, 80)  # plays from 45 s to 125 s
    run_until(receiver, api.clock, start + timedelta(seconds=60))  # the schedule poll: the same emergency
    second = issue_emergency(api, VILLAGE, "ep-alert-2")
    run_until(receiver, api.clock, start + timedelta(seconds=90))  # the bulletins poll brings it: it waits
    assert held_emergencies(receiver) == {first, second}
    cancel(api, second)
    answered = len(link.answers)
    run_until(receiver, api.clock, start + timedelta(seconds=120))  # a schedule poll; the bulletins' is at 135 s
    assert b"HTTP/1.1 304 NOT MODIFIED" in link.answers[answered:]  # the schedule held is current again
    assert held_emergencies(receiver) == {first}
    run_until(receiver, api.clock, start + timedelta(seconds=200))  # the first ends at 125 s: nothing follows it
    assert [(bulletin, status) for bulletin, status, *_ in server_logs(api)] == [(first, "played")]


def test_a_restart_keeps_the_held_emergencies_and_their_etag_together(api, link, tmp_path):
    _, first, second, start = second_emergency_from_the_schedule(api, tmp_path, link)
    api.clock.now = start + timedelta(seconds=70)  # the power fails; back after the cancellation
    link.cut_after(b'"items":', 0)  # and the restarted receiver's schedule answer is cut off
    restarted = start_receiver(api, link, tmp_path / "cache", "--bulletin-seconds", "45")
    restarted.tick()  # a bulletins poll, then the schedule poll that fails
    assert restarted.link.failures == 1
    assert held_emergencies(restarted) == {first}
    assert restarted.state["playing"]["id"] == first  # played again from its start, not the cancelled one
    run_until(restarted, api.clock, start + timedelta(seconds=200))
    logs = [(bulletin, status, note) for bulletin, status, _, _, note in server_logs(api)]
    assert logs == [(first, "played", "played again after a restart")]


def test_cancelling_the_emergency_that_plays_stops_it_at_the_next_poll(api, link, tmp_path):
    receiver, first, start = first_emergency_playing(api, tmp_path, link, 120)  # would play 45 s to 165 s
    cancel(api, first)
    run_until(receiver, api.clock, start + timedelta(seconds=60))  # the schedule poll: it is withdrawn
    assert receiver.state["playing"] is None and receiver.playback is None
    assert held_emergencies(receiver) == set()
    run_until(receiver, api.clock, start + timedelta(seconds=200))  # it never starts again
    logs = [(bulletin, status, note) for bulletin, status, _, _, note in server_logs(api)]
    assert logs == [(first, "skipped", "stopped at 15 s: the server withdrew the bulletin (cancelled or expired)")]
