"""`radio import` and `radio export-plan`."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from schedules.planfile import PlanFileError, dump_plan

from .. import clock, db, notices
from ..cli_support import as_option, refusals_as_errors, resolve_actor
from .export import find_plan, plan_document
from .operations import import_plan


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@as_option
@click.option("--prune", is_flag=True, help="Remove the plan's series, episodes and requirements the file no longer has.")
@refusals_as_errors()
def import_command(file: Path, as_user: str | None, prune: bool):
    """Validate a plan file (YAML or JSON) in full, then load it in one transaction."""
    session = db.session()
    try:
        summary = import_plan(session, file, resolve_actor(as_user), prune=prune, now=clock.now())
    except PlanFileError as exc:
        session.rollback()
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{file}: refused, {len(exc.problems)} problem(s); nothing was changed", err=True)
        sys.exit(1)
    session.commit()
    notices.dispatch()  # scripts the file submitted
    if not summary.changed:
        click.echo(f"{file}: no changes")
        return
    for label, counter in (("created", summary.created), ("updated", summary.updated), ("removed", summary.pruned)):
        if counter:
            click.echo(f"{label}: " + ", ".join(f"{n} {kind}" for kind, n in sorted(counter.items())))


@click.command("export-plan")
@click.option("--plan", "plan_code", metavar="CODE", help="Which plan (needed when there are several).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write here (audio goes to a media/ folder beside it); standard output otherwise.")
@refusals_as_errors()
def export_plan_command(plan_code: str | None, out: Path | None):
    """Write a plan from the database back out in the plan-file format."""
    session = db.session()
    plan = find_plan(session, plan_code)
    media_dir = out.parent / "media" if out else None
    text = dump_plan(plan_document(session, plan, media_dir))
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        click.echo(f"wrote {out}")
