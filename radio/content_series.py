"""Which series a person's own content goes into.

A script, an upload or a recording is filed in a series of a plan of the person's areas, and
the page offers each with the requirements it serves, so that a one-off notice does not become
a new episode of a requirement's series by default. Each plan also offers a general series,
"Thông báo", which no requirement asks for: it is created the first time something is filed in
it, and what goes there airs only where a person puts it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from . import audit
from .models import Plan, Requirement, Series, User

GENERAL_CODE = "thong-bao"
GENERAL_TITLE = "Thông báo"


@dataclass(frozen=True)
class SeriesOffer:
    """One choice: a stored series, or a plan's general series not created yet (`series` None)."""

    key: str  # the form's value: the series id, or "general-<plan id>" for one not created yet
    plan: Plan
    series: Series | None
    requirements: tuple[Requirement, ...]  # those it serves from today on

    @property
    def title(self) -> str:
        return self.series.title if self.series is not None else GENERAL_TITLE

    @property
    def is_general(self) -> bool:
        """The plan's series for one-off notices: nothing filed there is meant for a requirement."""
        return self.series is None or self.series.code == GENERAL_CODE


def series_offers(session: Session, area_ids: set[int], today: date) -> list[SeriesOffer]:
    """The series of the plans issued in `area_ids`, each plan's general one first (created or
    not), then the others by title."""
    plans = session.scalars(select(Plan).where(Plan.issued_by_id.in_(area_ids))
                            .order_by(Plan.title, Plan.id)).all()
    series = session.scalars(select(Series).where(Series.plan_id.in_([p.id for p in plans]))
                             .order_by(Series.title, Series.id)).all()
    serving: dict[int, list[Requirement]] = {}
    for requirement in session.scalars(select(Requirement).where(
            Requirement.series_id.in_([s.id for s in series]), Requirement.date_to >= today)
            .options(selectinload(Requirement.series)).order_by(Requirement.code)):
        serving.setdefault(requirement.series_id, []).append(requirement)
    offers = []
    for plan in plans:
        own = [s for s in series if s.plan_id == plan.id]
        general = next((s for s in own if s.code == GENERAL_CODE), None)
        offers.append(SeriesOffer(str(general.id) if general else f"general-{plan.id}", plan, general,
                                  tuple(serving.get(general.id, ())) if general else ()))
        offers += [SeriesOffer(str(s.id), plan, s, tuple(serving.get(s.id, ()))) for s in own if s is not general]
    return offers


def offered_series(session: Session, actor: User, offer: SeriesOffer, *, now: datetime) -> Series:
    """The offer's series: a plan's general series is created (and audited) the first time."""
    if offer.series is not None:
        return offer.series
    series = Series(plan=offer.plan, code=GENERAL_CODE, title=GENERAL_TITLE)
    session.add(series)
    session.flush()
    audit.record(session, actor, "series.create", "series", f"{offer.plan.code}/{GENERAL_CODE}", at=now,
                 area=offer.plan.issued_by, after={"code": GENERAL_CODE, "title": GENERAL_TITLE})
    return series
