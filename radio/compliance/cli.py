"""`radio compliance [--area … --from … --to …]`, `… freeze`, `… frozen`, `… deadlines`, `… makegood`."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app

from audio_library.files import atomic_output

from .. import clock, db, lookups
from ..cli_support import DATE, refusals_as_errors, resolve_actor
from ..lookups import episode_key
from .documents import FORMATS, render, render_document
from .operations import (
    ComplianceError, compliance_report, freeze_report, frozen_reports, overview,
    schedule_makegoods,
)

required_as = click.option("--as", "as_user", metavar="USERNAME", required=True, help="Who does it (audited).")


def min_devices() -> int:
    return int(current_app.config["COMPLIANCE_MIN_DEVICES"])


@click.group("compliance", invoke_without_command=True)
@click.option("--area", "area_code", metavar="CODE", 
              help="The area to report on (its stations, or a village's own view).")
@click.option("--from", "start", type=DATE)
@click.option("--to", "end", type=DATE)
@click.option("--format", "fmt", type=click.Choice(("table",) + FORMATS), default="table", show_default=True)
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file (else stdout).")
@click.pass_context
@refusals_as_errors()
def compliance_group(ctx, area_code, start, end, fmt, out):
    """Required vs planned vs aired per requirement, station and period (whole periods touching
    --from..--to). XLSX and PDF are the report to hand in. Subcommands: freeze, deadlines, makegood."""
    if ctx.invoked_subcommand is not None:
        return
    missing = [name for name, value in (("--area", area_code), ("--from", start), ("--to", end)) if value is None]
    if missing:
        raise click.UsageError(f"missing {', '.join(missing)}")
    session, now, tz = db.session(), clock.now(), clock.station_tz()
    report = compliance_report(session, area=lookups.area(session, area_code), start=start.date(), end=end.date(),
                               now=now, tz=tz, min_devices=min_devices())
    if fmt == "table":
        _echo_table(report, out)
        return
    data = render(report, fmt, None, now, tz)
    if out is None:
        if fmt in ("xlsx", "pdf"):
            raise click.UsageError(f"--format {fmt} needs --out FILE")
        click.echo(data.decode("utf-8-sig"), nl=False)
        return
    with atomic_output(out) as temp:
        temp.write_bytes(data)
    click.echo(f"wrote {out} ({len(report.rows)} rows)")


def _echo_table(report, out) -> None:
    lines = [f"{'requirement':<28} {'station':<16} {'period':<23} {'req':>5} {'plan':>4} {'aired':>5} "
             f"{'new':>5}  status"]
    for row in report.rows:
        required = str(row.required_min) if row.required_max in (None, row.required_min) else \
            f"{row.required_min}-{row.required_max}"
        period = f"{row.period_start:%d/%m/%Y}-{row.period_end:%d/%m/%Y}" + ("*" if row.partial else "")
        lines.append(f"{row.requirement:<28} {row.station:<16} {period:<23} {required:>5} {row.planned:>4} "
                     f"{row.aired:>5} {f'{row.new_aired}/{row.new_required}':>5}  {row.status}"
                     + (f" — {'; '.join(row.reasons)}" if row.reasons else ""))
    for u in report.unscheduled:
        episode = report.episodes.get(u.episode_id)
        lines.append(f"unscheduled: {u.station} {episode_key(episode) if episode else '?'} at {u.started_at.isoformat()} "
                     f"({u.window or '-'})")
    text = "\n".join(lines) + "\n"
    if out is None:
        click.echo(text, nl=False)
    else:
        with atomic_output(out) as temp:
            temp.write_text(text, encoding="utf-8")


@compliance_group.command("freeze")
@click.option("--plan", "plan_code", required=True, metavar="CODE")
@click.option("--area", "area_code", required=True, metavar="CODE")
@required_as
@refusals_as_errors()
def freeze_command(plan_code, area_code, as_user):
    """Store the plan's report for the area as submitted (immutable; later logs never alter it)."""
    session = db.session()
    plan = lookups.plan(session, plan_code)
    frozen = freeze_report(session, plan=plan, area=lookups.area(session, area_code), user=resolve_actor(as_user),
                           now=clock.now(), tz=clock.station_tz(), min_devices=min_devices())
    session.commit()
    click.echo(f"frozen {frozen.uuid}: {plan_code} for {area_code}, {frozen.period_from:%d/%m/%Y}–"
               f"{frozen.period_to:%d/%m/%Y}, as of {frozen.frozen_at.astimezone(clock.station_tz()):%d/%m/%Y %H:%M}")


@compliance_group.command("frozen")
@click.option("--area", "area_code", required=True, metavar="CODE")
@click.option("--id", "frozen_id", metavar="UUID", help="Write this frozen report to --out.")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), help="FILE.xlsx, .pdf or .json")
@refusals_as_errors()
def frozen_command(area_code, frozen_id, out):
    """List the area's frozen reports, or write one out exactly as it was submitted."""
    session, tz = db.session(), clock.station_tz()
    found = frozen_reports(session, area=lookups.area(session, area_code))
    if frozen_id is None:
        for item in found:
            click.echo(f"{item.uuid}  {item.plan.code}  {item.period_from:%d/%m/%Y}–{item.period_to:%d/%m/%Y}  "
                       f"frozen {item.frozen_at.astimezone(tz):%d/%m/%Y %H:%M}")
        return
    chosen = next((item for item in found if str(item.uuid) == frozen_id), None)
    if chosen is None:
        raise ComplianceError(f"no frozen report {frozen_id} for {area_code}")
    if out is None or out.suffix.lstrip(".") not in ("xlsx", "pdf", "json"):
        raise click.UsageError("--out FILE.xlsx, FILE.pdf or FILE.json is needed with --id")
    with atomic_output(out) as temp:
        temp.write_bytes(render_document(chosen.document, out.suffix.lstrip(".")))
    click.echo(f"wrote {out}")


@compliance_group.command("deadlines")
@click.option("--area", "area_code", required=True, metavar="CODE")
@refusals_as_errors()
def deadlines_command(area_code):
    """Reports due for the area, soonest first, with the state of its rows."""
    session, tz = db.session(), clock.station_tz()
    for item in overview(session, area=lookups.area(session, area_code), now=clock.now(), tz=tz,
                         min_devices=min_devices()):
        state = ", ".join(f"{k} {v}" for k, v in sorted(item.statuses.items()))
        frozen = f"frozen {item.frozen_at.astimezone(tz):%d/%m/%Y}" if item.frozen_at else \
            ("OVERDUE" if item.is_overdue else "not frozen")
        click.echo(f"{item.due:%d/%m/%Y}  {item.plan}  {state or 'no rows'}  {frozen}")


@compliance_group.command("makegood")
@click.option("--requirement", "requirement_code", required=True, metavar="CODE", help="CODE or PLAN/CODE.")
@click.option("--station", "station_code", required=True, metavar="CODE")
@click.option("--date", "day", type=DATE, required=True, help="A day of the period to make good.")
@required_as
@refusals_as_errors()
def makegood_command(requirement_code, station_code, day, as_user):
    """Schedule the missing airings of a short or at-risk period in its remaining allowed slots."""
    session, tz = db.session(), clock.station_tz()
    entries = schedule_makegoods(session, requirement=lookups.requirement(session, requirement_code),
                                 station=lookups.station(session, station_code), day=day.date(), user=resolve_actor(as_user),
                                 now=clock.now(), tz=tz, min_devices=min_devices())
    session.commit()
    for entry in entries:
        click.echo(f"make-good {entry.uuid}: {entry.start_at.astimezone(tz):%d/%m/%Y %H:%M} {entry.window_name} "
                   f"{entry.title}")
    if not entries:
        sys.exit(1)
