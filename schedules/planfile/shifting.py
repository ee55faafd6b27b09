"""Moving a plan in time: every date of a document by the same number of days.

A plan written for one season (the demo's seed plans) can be loaded on any day: moved by
whole weeks, each date keeps its weekday, so weekly rules, closed days and the spacing
between the plan's dates read as they did in the file.
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

from .model import PlanDocument, StationSpec


def shift_dates(doc: PlanDocument, days: int) -> PlanDocument:
    """``doc`` with every date moved ``days`` later (earlier when negative).

    The dates are the plan's and the requirements' ``report_due``, the requirements'
    ``from``/``to``, the episodes' ``available_from``/``expires``, the stations' closed days,
    their windows' seasonal ``from``/``to``, the areas' ``ended`` and the devices' ``retired``.
    Absent dates stay absent.
    """
    if days == 0:
        return doc
    delta = timedelta(days=days)

    def moved(day: date | None) -> date | None:
        return None if day is None else day + delta

    def station(spec: StationSpec) -> StationSpec:
        windows = tuple(dataclasses.replace(w, valid_from=moved(w.valid_from), valid_to=moved(w.valid_to))
                        for w in spec.windows)
        return dataclasses.replace(spec, windows=windows, closed=tuple(day + delta for day in spec.closed))

    return dataclasses.replace(
        doc,
        plan=dataclasses.replace(doc.plan, report_due=moved(doc.plan.report_due)),
        areas=tuple(dataclasses.replace(a, ended=moved(a.ended)) for a in doc.areas),
        devices=tuple(dataclasses.replace(d, retired=moved(d.retired)) for d in doc.devices),
        stations=tuple(station(s) for s in doc.stations),
        episodes=tuple(dataclasses.replace(e, available_from=moved(e.available_from), expires=moved(e.expires))
                       for e in doc.episodes),
        requirements=tuple(dataclasses.replace(r, date_from=r.date_from + delta, date_to=r.date_to + delta,
                                               report_due=moved(r.report_due))
                           for r in doc.requirements),
    )


def days_to_season(doc: PlanDocument, today: date, ahead: timedelta = timedelta(weeks=5)) -> int:
    """The shift, in whole weeks of days, that makes the plan's season live on ``today``.

    The season runs from the requirements' first ``from`` to their last ``to``. A plan keeps
    its dates (0) when its season opens within the coming week or has opened, and still runs
    ``ahead`` after today (a season shorter than twice ``ahead``: its first half). Any other plan
    moves so that its season opens on today's weekday or in the six days before it: today and
    the weeks after it fall inside its first weeks. A plan without requirements has no season: 0.
    """
    if not doc.requirements:
        return 0
    start = min(r.date_from for r in doc.requirements)
    end = max(r.date_to for r in doc.requirements)
    if start - timedelta(weeks=1) <= today <= end - min(ahead, (end - start) / 2):
        return 0
    return (today - start).days // 7 * 7
