"""Keeping Station.schedule_version honest: it is the devices' ETag, so anything that changes
what a device is sent must move it. Builds and hand edits move it themselves; new audio for an
episode that is already scheduled (re-voicing, a re-import) is caught here, whichever code path
made it, so that devices fetch the new file instead of keeping the old one.

A flush has no caller to hand it the time: it asks radio.clock, which gives the request's one
instant (or the command's clock), as the code that changed the audio would have."""
from __future__ import annotations

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from .. import clock
from .content import Episode
from .schedule import ScheduleEntry
from .stations import Station


@event.listens_for(Session, "before_flush")
def _episode_audio_changed(session: Session, _flush_context, _instances) -> None:
    changed = [obj.id for obj in session.dirty
               if isinstance(obj, Episode) and obj.id is not None and _audio_changed(obj)]
    if not changed:
        return
    now = clock.now()
    with session.no_autoflush:
        airing = select(ScheduleEntry.station_id).where(
            ScheduleEntry.episode_id.in_(changed), ScheduleEntry.status == "planned",
            ScheduleEntry.end_at > now)
        for station in session.scalars(select(Station).where(Station.id.in_(airing))):
            station.schedule_changed(now)


def _audio_changed(episode: Episode) -> bool:
    attrs = inspect(episode).attrs
    return attrs.media_sha256.history.has_changes() or attrs.media.history.has_changes()
