"""Watching the schedule polls receivers really make, to check that an ETag moves when, and
only when, what the device is sent moves.

Each poll is observed as it happens: after a 304, the schedule the server would send in full
at that very moment (built in-process by the feed the API uses, without the poll's
bookkeeping) must be what the device holds; a 304 hiding a change is a violation. A full answer
under a new ETag that carries exactly what the device held is counted as a needless change
(it costs a download, nothing is missed).
"""
from __future__ import annotations

from ..devices import feed, schemas
from ..devices.poll_files import device_key, poll_file_url
from ..devices.polling import poll_by_token
from ..models import Device

VOLATILE = ("generated_at", "schedule_version")  # when and which version, not what to play


def content(body: dict | None) -> dict | None:
    return None if body is None else {k: v for k, v in body.items() if k not in VOLATILE}


def server_schedule(instance, token: str, days: int) -> dict:
    """The full schedule answer the server would give this device now."""
    from flask import url_for

    from .. import clock, db

    with instance.app.test_request_context("/", base_url=instance.url):
        session = db.session()
        now = clock.now()
        poll = poll_by_token(session, token, now)
        data = feed.load_schedule(session, session.get(Device, poll.id), now, clock.station_tz(), days)
        prefix = url_for("media_api.media", sha256="-", _external=True)[:-1]
        return schemas.dump_schedule(data, lambda sha: prefix + sha, instance.app.config["DEVICE_POLL_SECONDS"],
                                     poll_file_url(device_key(poll)))


class EtagWatch:
    def __init__(self, instance, ledger, checked, fail):
        self.instance, self.ledger, self.checked, self.fail = instance, ledger, checked, fail

    def watch(self, speaker, token: str) -> None:
        """Route the receiver's schedule polls through `observe`."""
        server = speaker.receiver.server
        ask = server.schedule

        def watched(etag, days):
            held = speaker.receiver.state["schedule"]
            body, answered = ask(etag, days)
            self.observe(speaker.code, token, etag, held, body, answered, days)
            return body, answered

        server.schedule = watched

    def observe(self, device: str, token: str, sent: str | None, held: dict | None, body: dict | None,
                answered: str | None, days: int) -> None:
        self.ledger.counts["schedule polls"] += 1
        self.checked["etags_follow_content"] += 1
        if body is None:
            self.ledger.counts["schedule polls answered 304"] += 1
            now = content(server_schedule(self.instance, token, days))
            if now != content(held):
                self.fail("etags_follow_content", f"{device}: poll answered 304 for ETag {sent}, but the "
                          f"schedule the server holds differs from the device's ({_difference(content(held), now)})")
        elif sent is not None and content(body) == content(held):
            self.ledger.counts["ETag changes with the same content"] += 1


def _difference(held: dict | None, now: dict) -> str:
    if held is None:
        return "the device holds none"
    keys = sorted(k for k in set(held) | set(now) if held.get(k) != now.get(k))
    return "differs in " + ", ".join(keys)
