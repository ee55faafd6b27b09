"""The periodic pull of the sources' CAP feeds (Atom or RSS): each entry's alert, inline or
behind its link, is received as if POSTed by the source; one already received is skipped. A feed
is read as an alert is (no DOCTYPE), at most FEED_MAX_ALERTS alerts of it per pull; a feed, a link
or an alert that fails is logged, and the other sources' feeds are pulled all the same."""
from __future__ import annotations

import logging
from collections.abc import Iterator

from flask import current_app
from sqlalchemy import select

from .. import clock, db, jobs, notices
from ..bulletins.operations import BulletinRules
from ..errors import RadioError
from ..models import CapSource
from ..notify import poll_now
from .document import FEED_MAX_ALERTS, Feed, InvalidFeed, read_feed
from .operations import AlertError, fetch, receive_alert

log = logging.getLogger(__name__)


def alerts_in_feed(data: bytes, url: str, limit: int) -> Iterator[bytes]:
    """The alerts of a pulled feed (document.py read_feed: InvalidFeed here, before any is taken),
    those behind links fetched one at a time, each at most `limit` bytes; a link that fails is
    logged and the others still read."""
    feed = read_feed(data)
    if feed.left_out:
        log.warning("CAP feed %s: %d alerts past the first %d left out", url, feed.left_out, FEED_MAX_ALERTS)
    return _fetched(feed, url, limit)


def _fetched(feed: Feed, url: str, limit: int) -> Iterator[bytes]:
    yield from feed.alerts
    for link in feed.links:
        try:
            yield fetch(link, limit)
        except AlertError as exc:
            log.warning("an alert of the CAP feed %s was not fetched: %s", url, exc)


def pull_cap_feeds() -> None:
    """Periodic: receive the new alerts of every source with a feed (a revoked source's is not
    pulled); a feed that fails is logged and tried again next time, without stopping the others."""
    session, now, tz = db.session(), clock.now(), clock.station_tz()
    rules, limit = BulletinRules.from_config(current_app.config), current_app.config["CAP_MAX_MB"] * 1024 * 1024
    devices: list[str] = []
    feeds = session.execute(select(CapSource.id, CapSource.feed_url)
                            .where(CapSource.feed_url.is_not(None), CapSource.revoked_at.is_(None))
                            .order_by(CapSource.code)).all()
    session.commit()  # no transaction held open while the feeds are fetched
    for source_id, url in feeds:
        try:
            _pull(session, source_id, url, devices, now=now, tz=tz, rules=rules, limit=limit)
        except Exception:  # noqa: BLE001 (whatever one feed does, the others are still pulled)
            session.rollback()
            log.exception("CAP feed %s: the pull stopped", url)
    notices.dispatch()
    if devices:
        jobs.enqueue(poll_now, sorted(set(devices)), "bulletin")


def _pull(session, source_id: int, url: str, devices: list[str], *, now, tz, rules: BulletinRules,
          limit: int) -> None:
    """One source's feed: each new alert received and committed on its own (its devices added to
    `devices`); a feed or an alert refused is logged."""
    try:
        alerts = alerts_in_feed(fetch(url, limit), url, limit)
    except (AlertError, InvalidFeed) as exc:
        log.warning("CAP feed %s not read: %s", url, exc)
        return
    for raw in alerts:
        try:
            received = receive_alert(session, session.get(CapSource, source_id), raw, now=now, tz=tz, rules=rules)
            session.commit()
            devices += received.devices
        except RadioError as exc:
            session.rollback()
            log.warning("an alert of the CAP feed %s was refused: %s", url, exc)
