"""radio.clock: a request is one instant however often it asks; a command reads when it asks."""
from datetime import datetime, timedelta, timezone

from radio import clock

START = datetime(2026, 11, 24, 1, 0, tzinfo=timezone.utc)


def test_a_request_reads_the_clock_once_and_the_next_request_reads_it_again(app, monkeypatch):
    readings = iter(START + timedelta(minutes=n) for n in range(10))
    monkeypatch.setitem(app.config, "CLOCK", lambda: next(readings))
    with app.test_request_context("/"):  # inside the app context the test holds, as test-client requests are
        assert clock.now() == clock.now() == START
    with app.test_request_context("/"):
        assert clock.now() == START + timedelta(minutes=1)
    assert (clock.now(), clock.now()) == (START + timedelta(minutes=2), START + timedelta(minutes=3))


def test_without_a_test_clock_it_is_the_utc_wall_clock(app, monkeypatch):
    monkeypatch.setitem(app.config, "CLOCK", None)
    before = datetime.now(timezone.utc)
    read = clock.now()
    assert read.tzinfo is not None and before <= read <= datetime.now(timezone.utc)
