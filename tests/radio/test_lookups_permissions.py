"""The shared lookups (radio/lookups.py) and the permission table (radio/auth/permissions.py)."""
from __future__ import annotations

import pytest

from radio import lookups
from radio.auth.permissions import PERMISSIONS, area_ids_in_scope, may, roles_for
from radio.errors import NotFound, RadioError
from tests.factories import create_episode, create_plan, create_series, create_tree, create_user


def test_split_reference_takes_the_plan_before_the_last_slash():
    assert lookups.split_reference("kh-nt/req-1") == ("kh-nt", "req-1")
    assert lookups.split_reference("req-1") == ("", "req-1")


def test_each_lookup_says_what_is_missing_by_the_name_given(db):
    cases = [
        (lambda: lookups.area(db, "XX"), "no area with code 'XX'"),
        (lambda: lookups.station(db, "st-x"), "no station with code 'st-x'"),
        (lambda: lookups.plan(db, "kh-x"), "no plan with code 'kh-x'"),
        (lambda: lookups.device(db, "dv-x"), "no device with code 'dv-x'"),
        (lambda: lookups.user(db, "ai"), "no user named 'ai'"),
        (lambda: lookups.series(db, "cds"), "no series with code 'cds'"),
        (lambda: lookups.requirement(db, "kh/req"), "no requirement 'kh/req'"),
        (lambda: lookups.episode(db, "kh/cds/tap-1"), "no episode 'kh/cds/tap-1'"),
        (lambda: lookups.bulletin(db, "abc"), "'abc' is not a bulletin id (a UUID)"),
        (lambda: lookups.schedule_entry(db, "00000000-0000-0000-0000-000000000000"),
         "no schedule entry 00000000-0000-0000-0000-000000000000"),
    ]
    for lookup, message in cases:
        with pytest.raises(NotFound) as refused:
            lookup()
        assert refused.value.message == message


def test_an_episode_code_in_two_plans_asks_for_the_full_reference(db):
    tree = create_tree(db)
    for plan_code in ("kh-a", "kh-b"):
        create_episode(db, create_series(db, create_plan(db, tree["TH"], plan_code), "cds"), "tap-1")
    with pytest.raises(RadioError, match="ambiguous .*kh-a/cds/tap-1, kh-b/cds/tap-1"):
        lookups.episode(db, "cds/tap-1")
    assert lookups.episode(db, "kh-b/cds/tap-1").series.plan.code == "kh-b"


def test_actions_follow_the_grant_down_the_tree_and_admin_covers_every_action(db):
    tree = create_tree(db)
    operator = create_user(db, role="operator", area=tree["TH-NT"])
    admin = create_user(db, role="admin", area=tree["TH"])
    assert may(operator, "schedule.edit", tree["TH-NT-TK"])
    assert not may(operator, "schedule.edit", tree["TH-TX"])
    assert not may(operator, "compliance.view", tree["TH-NT"])
    assert all(may(admin, action, tree["TH-TX-XA"]) for action in PERMISSIONS)
    assert area_ids_in_scope(db, operator, "compliance.view") == set()
    assert tree["TH-NT-TK"].id in area_ids_in_scope(db, operator, "playlog.confirm")
    with pytest.raises(KeyError):
        roles_for("no.such.action")
