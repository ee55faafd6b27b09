"""`radio user …`: accounts and their area-scoped roles."""
from __future__ import annotations

import sys

import click

from .. import clock, db, lookups
from ..auth import operations as ops
from ..cli_support import as_option, refusals_as_errors, resolve_actor
from ..models import ROLES


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@click.group("user")
def user_group():
    """Add users, grant and revoke roles, set passwords."""


@user_group.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--area", "area_code", required=True, metavar="CODE", help="The role covers this area and below.")
@click.option("--name", "display_name", help="Full name shown in the pages.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@as_option
@refusals_as_errors()
def add_command(username, role, area_code, display_name, password_stdin, as_user):
    """Create a user with one role on one area."""
    session = db.session()
    ops.add_user(session, resolve_actor(as_user), username, _password(password_stdin), role, area_code, display_name,
                 now=clock.now())
    session.commit()
    click.echo(f"user {username} added: {role} on {area_code}")


@user_group.command("grant")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--area", "area_code", required=True, metavar="CODE")
@as_option
@refusals_as_errors()
def grant_command(username, role, area_code, as_user):
    """Give a user a role on an area (and everything below it)."""
    session = db.session()
    ops.grant_role(session, resolve_actor(as_user), lookups.user(session, username), role, area_code,
                   now=clock.now())
    session.commit()
    click.echo(f"{username}: {role} on {area_code}")


@user_group.command("revoke")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--area", "area_code", required=True, metavar="CODE")
@as_option
@refusals_as_errors()
def revoke_command(username, role, area_code, as_user):
    """Take a role on an area away from a user."""
    session = db.session()
    ops.revoke_role(session, resolve_actor(as_user), lookups.user(session, username), role, area_code,
                    now=clock.now())
    session.commit()
    click.echo(f"{username}: {role} on {area_code} revoked")


@user_group.command("passwd")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@as_option
@refusals_as_errors()
def passwd_command(username, password_stdin, as_user):
    """Set a user's password. Unless it is the user's own (--as the same user), they must change
    it at their next login."""
    session = db.session()
    user = lookups.user(session, username)
    ops.set_password(session, resolve_actor(as_user), user, _password(password_stdin), now=clock.now())
    session.commit()
    must = "; it must be changed at the next login" if user.must_change_password else ""
    click.echo(f"password of {username} changed{must}")


@user_group.command("email")
@click.argument("username")
@click.argument("address", required=False, default="")
@as_option
@refusals_as_errors()
def email_command(username, address, as_user):
    """Set the address a user's notices are mailed to (none given: clear it)."""
    session = db.session()
    user = lookups.user(session, username)
    ops.set_email(session, resolve_actor(as_user), user, address, now=clock.now())
    session.commit()
    click.echo(f"e-mail of {username}: {user.email or 'none'}")


@user_group.command("list")
def list_command():
    """Users and their roles."""
    from sqlalchemy import select

    from ..models import User

    for user in db.session().scalars(select(User).order_by(User.username)):
        roles = ", ".join(f"{g.role}@{g.area.code}" for g in user.grants) or "no roles"
        click.echo(f"{user.username}\t{'active' if user.is_active else 'disabled'}\t{user.email or '-'}\t{roles}")
