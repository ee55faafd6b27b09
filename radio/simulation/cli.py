"""`radio simulate`: a season against a throw-away instance (a temporary folder with its own
database and media; the configured database is never touched), printed as a table; exit
status 1 when an invariant failed."""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from .report import render
from .season import Options, run_season


def _every_week(day: date, violations: int) -> None:
    """A soak takes long: say on standard error how far it got, once a simulated week."""
    if day.weekday() == 6:
        click.echo(f"… {day:%d/%m/%Y} simulated, {violations} violation(s) so far", err=True)


@click.command("simulate")
@click.option("--communes", type=click.IntRange(1, 500), default=3, show_default=True)
@click.option("--days", type=click.IntRange(1, 3660), default=60, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--start", type=click.DateTime(["%Y-%m-%d"]), default="2026-11-02", show_default=True,
              help="First day of the season (YYYY-MM-DD).")
@click.option("--keep", type=click.Path(file_okay=False, path_type=Path),
              help="Run in this folder and keep it (database, media, receivers' caches) to look into.")
def simulate_command(communes: int, days: int, seed: int, start, keep: Path | None):
    """Run the product through a simulated season and check, every day, that nothing was lost."""
    options = Options(communes=communes, days=days, seed=seed, start=date.fromordinal(start.toordinal()))
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
    result = run_season(options, keep, progress=_every_week)
    click.echo(render(result))
    sys.exit(0 if result.ok else 1)
