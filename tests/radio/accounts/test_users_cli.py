"""`radio user add|grant|revoke|passwd|list`: accounts, roles and their audit trail.

Setup data is committed (a savepoint release: the test's outer transaction still rolls it back)
because a refused command rolls its session back, and the setup must survive that.
"""
from __future__ import annotations

import pytest
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from radio.auth.operations import authenticate
from radio.models import AuditLog, RoleGrant, User
from tests.factories import create_tree, create_user

PASSWORD = "mat-khau-123"


@pytest.fixture
def tree(db):
    tree = create_tree(db)
    db.commit()
    return tree


@pytest.fixture
def admin(db, tree):
    user = create_user(db, "quantri", "admin", tree["TH"])
    db.commit()
    return user


def user_named(db, username) -> User | None:
    db.expire_all()
    return db.scalar(select(User).where(User.username == username))


def audit_rows(db, username) -> list[AuditLog]:
    return list(db.scalars(select(AuditLog).where(AuditLog.object_type == "user", AuditLog.object_key == username)
                           .order_by(AuditLog.id)))


def count(db, model) -> int:
    return db.scalar(select(func.count()).select_from(model))


def grants(db, user) -> set[tuple[str, str]]:
    db.expire_all()
    return {(g.role, g.area.code) for g in db.scalars(select(RoleGrant).where(RoleGrant.user_id == user.id))}


# --- add --------------------------------------------------------------------------------------

def test_add_with_password_stdin(runner, db, tree, admin):
    result = runner.invoke(args=["user", "add", "lan", "--role", "operator", "--area", "TH-NT-TK",
                                 "--name", "Nguyễn Thị Lan", "--password-stdin", "--as", "quantri"],
                           input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert "user lan added: operator on TH-NT-TK" in result.output
    lan = user_named(db, "lan")
    assert lan.display_name == "Nguyễn Thị Lan"
    assert lan.password_changed_at is not None
    assert grants(db, lan) == {("operator", "TH-NT-TK")}
    assert authenticate(db, "lan", PASSWORD) is not None
    assert [(r.actor, r.action, r.user_id) for r in audit_rows(db, "lan")] == [
        ("quantri", "user.add", admin.id), ("quantri", "user.grant", admin.id)]
    assert audit_rows(db, "lan")[1].after == {"role": "operator", "area": "TH-NT-TK"}


def test_password_is_stored_hashed_with_scrypt(runner, db, tree):
    result = runner.invoke(args=["user", "add", "lan", "--role", "operator", "--area", "TH",
                                 "--password-stdin"], input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    stored = user_named(db, "lan").password_hash
    assert stored.startswith("scrypt:")
    assert PASSWORD not in stored
    assert check_password_hash(stored, PASSWORD)


def test_add_without_as_is_recorded_as_system(runner, db, tree):
    result = runner.invoke(args=["user", "add", "lan", "--role", "approver", "--area", "TH",
                                 "--password-stdin"], input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    rows = audit_rows(db, "lan")
    assert [(r.actor, r.user_id, r.action) for r in rows] == [("system", None, "user.add"), ("system", None, "user.grant")]


def test_add_asks_for_the_password_twice_without_stdin(runner, db, tree):
    result = runner.invoke(args=["user", "add", "lan", "--role", "operator", "--area", "TH"],
                           input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert authenticate(db, "lan", PASSWORD) is not None


def test_mismatched_prompted_passwords_are_asked_again(runner, db, tree):
    result = runner.invoke(args=["user", "add", "lan", "--role", "operator", "--area", "TH"],
                           input=f"{PASSWORD}\nkhac-hoan-toan\nmat-khau-456\nmat-khau-456\n")
    assert result.exit_code == 0, result.output
    assert "do not match" in result.output
    assert authenticate(db, "lan", "mat-khau-456") is not None
    assert authenticate(db, "lan", PASSWORD) is None


def test_duplicate_user_is_refused(runner, db, tree, admin):
    before = count(db, AuditLog)
    result = runner.invoke(args=["user", "add", "quantri", "--role", "operator", "--area", "TH-NT",
                                 "--password-stdin"], input=PASSWORD + "\n")
    assert result.exit_code == 1
    assert "user 'quantri' exists already" in result.output
    assert count(db, User) == 1
    assert grants(db, admin) == {("admin", "TH")}
    assert count(db, AuditLog) == before


def test_unknown_role_is_refused(runner, db, tree):
    result = runner.invoke(args=["user", "add", "lan", "--role", "boss", "--area", "TH", "--password-stdin"],
                           input=PASSWORD + "\n")
    assert result.exit_code == 2
    assert "'boss' is not one of" in result.output
    assert user_named(db, "lan") is None


def test_unknown_area_is_refused_and_leaves_nothing(runner, db, tree):
    result = runner.invoke(args=["user", "add", "lan", "--role", "operator", "--area", "XX-99",
                                 "--password-stdin"], input=PASSWORD + "\n")
    assert result.exit_code == 1
    assert "no area with code 'XX-99'" in result.output
    assert user_named(db, "lan") is None  # the user row flushed before the grant failed is gone too
    assert audit_rows(db, "lan") == []


@pytest.mark.parametrize("password", ["ngan", "1234567", ""])
def test_short_password_is_refused(runner, db, tree, password):
    result = runner.invoke(args=["user", "add", "lan", "--role", "operator", "--area", "TH",
                                 "--password-stdin"], input=password + "\n")
    assert result.exit_code == 1
    assert "at least 8 characters" in result.output
    assert user_named(db, "lan") is None


def test_eight_characters_are_enough(runner, db, tree):
    result = runner.invoke(args=["user", "add", "lan", "--role", "operator", "--area", "TH",
                                 "--password-stdin"], input="12345678\n")
    assert result.exit_code == 0, result.output
    assert authenticate(db, "lan", "12345678") is not None


def test_as_unknown_user_is_refused(runner, db, tree):
    result = runner.invoke(args=["user", "add", "lan", "--role", "operator", "--area", "TH",
                                 "--password-stdin", "--as", "ma"], input=PASSWORD + "\n")
    assert result.exit_code == 1
    assert "--as ma: no active user by that name" in result.output
    assert user_named(db, "lan") is None


def test_as_inactive_user_is_refused(runner, db, tree, admin):
    admin.is_active = False
    db.commit()
    result = runner.invoke(args=["user", "grant", "quantri", "--role", "approver", "--area", "TH",
                                 "--as", "quantri"])
    assert result.exit_code == 1
    assert "no active user" in result.output


# --- grant / revoke ---------------------------------------------------------------------------

def test_grant_writes_an_audit_row(runner, db, tree, admin):
    lan = create_user(db, "lan", "operator", tree["TH-NT-TK"])
    db.commit()
    result = runner.invoke(args=["user", "grant", "lan", "--role", "approver", "--area", "TH-NT", "--as", "quantri"])
    assert result.exit_code == 0, result.output
    assert "lan: approver on TH-NT" in result.output
    assert grants(db, lan) == {("operator", "TH-NT-TK"), ("approver", "TH-NT")}
    last = audit_rows(db, "lan")[-1]
    assert (last.actor, last.user_id, last.action, last.object_key) == ("quantri", admin.id, "user.grant", "lan")
    assert last.area_id == tree["TH-NT"].id
    assert last.after == {"role": "approver", "area": "TH-NT"}


def test_granting_an_existing_role_changes_nothing(runner, db, tree, admin):
    lan = create_user(db, "lan", "operator", tree["TH-NT"])
    db.commit()
    before = count(db, AuditLog)
    result = runner.invoke(args=["user", "grant", "lan", "--role", "operator", "--area", "TH-NT"])
    assert result.exit_code == 0, result.output
    assert grants(db, lan) == {("operator", "TH-NT")}
    assert count(db, AuditLog) == before


def test_grant_to_unknown_user_or_area_is_refused(runner, db, tree, admin):
    result = runner.invoke(args=["user", "grant", "ma", "--role", "operator", "--area", "TH"])
    assert result.exit_code == 1
    assert "no user named 'ma'" in result.output
    result = runner.invoke(args=["user", "grant", "quantri", "--role", "operator", "--area", "XX"])
    assert result.exit_code == 1
    assert "no area with code 'XX'" in result.output
    assert grants(db, admin) == {("admin", "TH")}


def test_revoke_writes_an_audit_row(runner, db, tree, admin):
    lan = create_user(db, "lan", "operator", tree["TH-NT"])
    db.commit()
    result = runner.invoke(args=["user", "revoke", "lan", "--role", "operator", "--area", "TH-NT", "--as", "quantri"])
    assert result.exit_code == 0, result.output
    assert "lan: operator on TH-NT revoked" in result.output
    assert grants(db, lan) == set()
    last = audit_rows(db, "lan")[-1]
    assert (last.actor, last.action, last.object_key) == ("quantri", "user.revoke", "lan")
    assert last.before == {"role": "operator", "area": "TH-NT"}


def test_revoking_a_role_not_held_is_refused(runner, db, tree, admin):
    lan = create_user(db, "lan", "operator", tree["TH-NT"])
    db.commit()
    before = count(db, AuditLog)
    result = runner.invoke(args=["user", "revoke", "lan", "--role", "operator", "--area", "TH-TX"])
    assert result.exit_code == 1
    assert "lan has no operator role on TH-TX" in result.output
    assert grants(db, lan) == {("operator", "TH-NT")}
    assert count(db, AuditLog) == before


# --- passwd -----------------------------------------------------------------------------------

def test_passwd_changes_the_password_and_writes_an_audit_row(runner, db, tree, admin):
    create_user(db, "lan", "operator", tree["TH-NT"], password=PASSWORD)
    db.commit()
    result = runner.invoke(args=["user", "passwd", "lan", "--password-stdin", "--as", "quantri"],
                           input="mat-khau-moi-456\n")
    assert result.exit_code == 0, result.output
    assert "password of lan changed" in result.output
    assert authenticate(db, "lan", "mat-khau-moi-456") is not None
    assert authenticate(db, "lan", PASSWORD) is None
    last = audit_rows(db, "lan")[-1]
    assert (last.actor, last.action, last.object_key) == ("quantri", "user.passwd", "lan")
    assert "mat-khau-moi-456" not in repr((last.before, last.after))


@pytest.mark.parametrize("as_user, must_change", [
    ("quantri", True),  # an admin reset someone else's password: they know it
    (None, True),  # the command line without --as (the system) as well
    ("lan", False),  # the user's own choice
])
def test_passwd_set_by_someone_else_must_be_changed_at_the_next_login(runner, db, tree, admin, as_user,
                                                                       must_change):
    create_user(db, "lan", "operator", tree["TH-NT"], password=PASSWORD)
    db.commit()
    result = runner.invoke(args=["user", "passwd", "lan", "--password-stdin", *(["--as", as_user] if as_user else [])],
                           input="mat-khau-moi-456\n")
    assert result.exit_code == 0, result.output
    assert user_named(db, "lan").must_change_password is must_change
    assert ("must be changed at the next login" in result.output) is must_change
    assert audit_rows(db, "lan")[-1].after == {"must_change_password": must_change}


def test_passwd_refuses_a_short_password_and_keeps_the_old_one(runner, db, tree, admin):
    create_user(db, "lan", "operator", tree["TH-NT"], password=PASSWORD)
    db.commit()
    before = count(db, AuditLog)
    result = runner.invoke(args=["user", "passwd", "lan", "--password-stdin"], input="ngan\n")
    assert result.exit_code == 1
    assert "at least 8 characters" in result.output
    assert authenticate(db, "lan", PASSWORD) is not None
    assert count(db, AuditLog) == before


def test_passwd_of_unknown_user_is_refused(runner, db, tree):
    result = runner.invoke(args=["user", "passwd", "ma", "--password-stdin"], input=PASSWORD + "\n")
    assert result.exit_code == 1
    assert "no user named 'ma'" in result.output


# --- list -------------------------------------------------------------------------------------

def test_list_shows_users_their_state_and_roles(runner, db, tree, admin):
    lan = create_user(db, "lan", "operator", tree["TH-NT"])
    lan.is_active = False
    db.commit()
    result = runner.invoke(args=["user", "list"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["lan\tdisabled\t-\toperator@TH-NT", "quantri\tactive\t-\tadmin@TH"]


def test_email_is_set_checked_shown_and_cleared(runner, db, tree, admin):
    create_user(db, "lan", "operator", tree["TH-NT"])
    db.commit()
    result = runner.invoke(args=["user", "email", "lan", "Lan.Nguyen@Example.VN"])
    assert result.exit_code == 0 and "e-mail of lan: Lan.Nguyen@example.vn" in result.output
    assert "lan\tactive\tLan.Nguyen@example.vn\toperator@TH-NT" in runner.invoke(args=["user", "list"]).output
    refused = runner.invoke(args=["user", "email", "lan", "not an address"])
    assert refused.exit_code != 0 and "not an e-mail address" in refused.output
    assert runner.invoke(args=["user", "email", "lan"]).output.strip() == "e-mail of lan: none"
