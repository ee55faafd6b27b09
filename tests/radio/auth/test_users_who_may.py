"""users_who_may: who to tell about something in an area (radio/auth/scope.py)."""
from __future__ import annotations

from radio.auth.scope import users_who_may
from radio.models import RoleGrant
from tests.factories import create_tree, create_user


def test_the_roles_of_the_permission_on_the_area_or_above_it_active_accounts_only(db):
    tree = create_tree(db)
    here = create_user(db, "b-approver-commune", role="approver", area=tree["TH-NT-TK"])
    above = create_user(db, "a-approver-province", role="approver", area=tree["TH"])
    create_user(db, "approver-elsewhere", role="approver", area=tree["TH-TX"])
    create_user(db, "approver-below", role="approver", area=tree["TH-NT-TK-01"])
    create_user(db, "operator-here", role="operator", area=tree["TH-NT-TK"])
    create_user(db, "admin", role="admin", area=tree["TH"])
    create_user(db, "gone", role="approver", area=tree["TH-NT"]).is_active = False
    db.flush()
    assert users_who_may(db, "script.approve", tree["TH-NT-TK"].id) == [above, here]


def test_a_user_with_two_grants_on_the_chain_is_named_once(db):
    tree = create_tree(db)
    user = create_user(db, "two-grants", role="operator", area=tree["TH-NT-TK"])
    db.add(RoleGrant(user=user, role="operator", area=tree["TH"]))
    db.flush()
    assert users_who_may(db, "schedule.edit", tree["TH-NT-TK-01"].id) == [user]


def test_admins_are_told_only_where_the_table_names_them(db):
    tree = create_tree(db)
    admin = create_user(db, "admin-root", role="admin", area=tree["TH"])
    assert users_who_may(db, "users.manage", tree["TH-NT"].id) == [admin]
    assert users_who_may(db, "schedule.edit", tree["TH-NT"].id) == []
