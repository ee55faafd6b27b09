"""What every CLI command shares: acting as a person (--as), dates as options, and turning
refusals into exit codes."""
from __future__ import annotations

import functools

import click
from sqlalchemy import select

from . import db
from .clock import DateOutOfRange, sensible_date
from .errors import RadioError
from .models import User


def resolve_actor(username: str | None) -> User | None:
    """The user a command acts for, or None (recorded as "system") when --as is not given."""
    if username is None:
        return None
    user = db.session().scalar(select(User).where(User.username == username))
    if user is None or not user.is_active:
        raise click.ClickException(f"--as {username}: no active user by that name")
    return user


class SensibleDateTime(click.DateTime):
    """A date, or date and time, typed as one of `formats`, in the years a date may be
    (clock.SENSIBLE_YEARS); a usage error naming the option otherwise."""

    def convert(self, value, param, ctx):
        moment = super().convert(value, param, ctx)
        try:
            sensible_date(moment.date())
        except DateOutOfRange as exc:
            self.fail(str(exc), param, ctx)
        return moment


DATE = SensibleDateTime(["%Y-%m-%d"])  # a day, YYYY-MM-DD


as_option = click.option("--as", "as_user", metavar="USERNAME", help="Act as this user (audited).")


def refusals_as_errors(*also: type[Exception]):
    """Print a refused operation's message and exit 1, after rolling back everything it did.

    Every `RadioError` is a refusal; `also` names the pure cores' own errors a command lets
    through the same way (an unreadable audio file, a failed tool)."""
    error_types = (RadioError, *also)

    def decorate(fn):
        @functools.wraps(fn)
        def run(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except (RadioError, *error_types) as exc:
                db.session().rollback()
                raise click.ClickException(str(exc)) from exc

        return run

    return decorate
