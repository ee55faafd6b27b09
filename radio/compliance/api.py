"""GET /api/v1/compliance[.csv|.xlsx|.pdf]?area=&from=&to=: the report for oversight users of
the area, as JSON rows or as the files the CLI writes. Load (400/404) → check scope (403) → call."""
from __future__ import annotations

import io
import json
from datetime import date

from flask import Response, current_app, request

from .. import clock, db, lookups
from ..api import api_blueprint
from ..api.access import authenticated_user
from ..api.schemas import Invalid
from ..downloads import send_download
from ..lookups import is_storable
from .documents import MIME_TYPES, render
from .operations import check_oversight, compliance_report

bp = api_blueprint("compliance_api", __name__)


def compliance(fmt: str = "json"):
    user = authenticated_user()
    area_code, start, end = _arguments()
    session = db.session()
    area = lookups.area(session, area_code)
    check_oversight(user, area)
    now, tz = clock.now(), clock.station_tz()
    report = compliance_report(session, area=area, start=start, end=end, now=now, tz=tz,
                               min_devices=int(current_app.config["COMPLIANCE_MIN_DEVICES"]))
    if fmt == "json":
        body = {"area": area.code, "from": start.isoformat(), "to": end.isoformat(), "as_of": now.isoformat(),
                "rows": report.json(),
                "unscheduled": [{"station": u.station, "episode_id": u.episode_id,
                                 "started_at": u.started_at.isoformat(), "window": u.window}
                                for u in report.unscheduled]}
        return Response(json.dumps(body, ensure_ascii=False), content_type="application/json; charset=utf-8")
    name = f"tuan-thu-{area.code}-{start:%Y%m%d}-{end:%Y%m%d}.{fmt}"
    return send_download(io.BytesIO(render(report, fmt, None, now, tz)), MIME_TYPES[fmt],
                     as_attachment=True, download_name=name)


def _arguments() -> tuple[str, date, date]:
    values = {}
    for name in ("area", "from", "to"):
        value = request.args.get(name, "")
        if not value.strip() or not is_storable(value):
            raise Invalid(f"{name}: required", "bad_request")
        values[name] = value
    start, end = _date(values, "from"), _date(values, "to")
    if end < start:
        raise Invalid(f"to {end} is before from {start}", "bad_request")
    if (end - start).days > 3 * 366:
        raise Invalid("from–to: at most three years at a time", "bad_request")
    return values["area"], start, end


def _date(values: dict[str, str], name: str) -> date:
    try:
        return clock.iso_date(values[name])
    except clock.DateOutOfRange as exc:
        raise Invalid(f"{name}: {exc}", "bad_request") from None
    except ValueError:
        raise Invalid(f"{name}: a date as YYYY-MM-DD", "bad_request") from None


bp.add_url_rule("/compliance", view_func=compliance)
bp.add_url_rule("/compliance.<any(csv, xlsx, pdf):fmt>", view_func=compliance)
