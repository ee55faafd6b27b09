"""`radio import`, `radio export-plan` and `radio plan draft`."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from sqlalchemy import select

from schedules.drafting import DraftError, draft_plan, plan_text, read_document
from schedules.planfile import PlanFileError, dump_plan

from .. import clock, db, lookups, notices
from ..models import Area
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


@click.group("plan")
def plan_group():
    """Official plan documents."""


@plan_group.command("draft")
@click.argument("document", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the draft plan file here; standard output otherwise.")
@click.option("--area", "area_code", metavar="CODE", help="The issuing area, when the document's is not found.")
@refusals_as_errors(DraftError)
def draft_command(document: Path, out: Path | None, area_code: str | None):
    """Read a plan document (.docx, .pdf, .txt) into a draft plan file to review and complete."""
    session = db.session()
    areas = [(area.code, area.name, area.level) for area in session.scalars(select(Area).order_by(Area.code))]
    draft = draft_plan(read_document(document.read_bytes(), document.name), areas)
    answers = {}
    if area_code is not None and "issued_by" not in draft.record("plan").fields:
        answers[("plan", "issued_by")] = lookups.area(session, area_code).code
    text = plan_text(draft, answers)
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
    counts = {}
    for record in draft.records:
        counts[record.section] = counts.get(record.section, 0) + 1
    open_questions = [(key, question) for key, question in draft.questions if (key, question.field) not in answers]
    summary = ", ".join(f"{n} {section}" for section, n in counts.items() if section != "plan")
    click.echo(f"{document}: drafted {summary}; {len(open_questions)} open question(s)"
               + (f"; wrote {out}" if out else ""), err=out is None)
    for key, question in open_questions:
        click.echo(f"  {key}.{question.field}: {question.code}"
                   + (f" ({', '.join(question.choices)})" if question.choices else ""), err=out is None)
