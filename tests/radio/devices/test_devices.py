"""Device tokens: `radio device-token CODE` prints a secret once; only its SHA-256 is stored. A
retired device has none, gets none, and nobody waits for it to call."""
from __future__ import annotations

import hashlib
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from radio.auth.tokens import hash_token
from radio.devices.operations import DeviceError, device_for_token, issue_token, retire_device
from radio.devices.presence import mark_offline, presence, station_devices
from radio.models import AuditLog, Device
from tests.factories import MADE, create_device, create_station, create_tree, create_user


@pytest.fixture
def loa(db):
    tree = create_tree(db)
    station = create_station(db, tree["TH-NT-TK"], code="st-tk")
    device = create_device(db, station, tree["TH-NT-TK-01"], code="loa-01")
    db.commit()  # survives a refused command's rollback; the test's outer transaction still ends it
    return device


def issue(runner, code, *extra):
    result = runner.invoke(args=["device-token", code, *extra])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 1  # the token, and nothing else to copy by mistake
    return lines[0]


def stored_hash(db, code):
    db.expire_all()
    return db.scalar(select(Device.token_hash).where(Device.code == code))


def test_device_token_prints_a_token_and_stores_only_its_sha256(runner, db, loa):
    token = issue(runner, "loa-01")
    assert len(token) >= 43  # 256 random bits, URL-safe base64
    assert stored_hash(db, "loa-01") == hashlib.sha256(token.encode()).hexdigest()
    db.expire_all()
    assert loa.token_issued_at is not None
    row = db.execute(select(Device.__table__)).mappings().one()
    assert token not in {str(value) for value in row.values()}


def test_each_issue_gives_a_different_token(runner, loa):
    assert issue(runner, "loa-01") != issue(runner, "loa-01")


def test_device_for_token_accepts_the_new_token_only(runner, db, loa):
    old = issue(runner, "loa-01")
    assert device_for_token(db, "loa-01", old) is loa
    new = issue(runner, "loa-01")
    db.expire_all()
    assert device_for_token(db, "loa-01", new).id == loa.id
    assert device_for_token(db, "loa-01", old) is None
    assert device_for_token(db, "loa-01", new + "x") is None
    assert device_for_token(db, "loa-01", "") is None
    assert device_for_token(db, "loa-01", stored_hash(db, "loa-01")) is None  # the hash is no token


def test_a_token_works_for_its_own_device_only(runner, db, loa):
    other = create_device(db, loa.station, loa.area, code="loa-02")
    db.commit()
    token = issue(runner, "loa-01")
    other_token = issue(runner, "loa-02")
    assert device_for_token(db, "loa-02", token) is None
    assert device_for_token(db, "loa-01", other_token) is None
    assert device_for_token(db, "loa-02", other_token).id == other.id
    assert device_for_token(db, "loa-99", token) is None


def test_a_device_without_a_token_accepts_nothing(db, loa):
    assert loa.token_hash is None
    assert device_for_token(db, "loa-01", "") is None
    assert device_for_token(db, "loa-01", hash_token("")) is None


def test_unknown_device_is_refused(runner, db, loa):
    result = runner.invoke(args=["device-token", "loa-99"])
    assert result.exit_code == 1
    assert "no device with code 'loa-99'" in result.output
    assert stored_hash(db, "loa-01") is None


def test_issuing_a_token_is_audited_without_the_token(runner, db, loa):
    create_user(db, "kythuat", "operator", loa.area.parent)
    db.commit()
    token = issue(runner, "loa-01", "--as", "kythuat")
    row = db.scalar(select(AuditLog).where(AuditLog.action == "device.token"))
    assert (row.actor, row.object_type, row.object_key, row.area_id) == ("kythuat", "device", "loa-01", loa.area_id)
    assert token not in repr((row.before, row.after))


def test_device_token_as_unknown_user_is_refused(runner, db, loa):
    result = runner.invoke(args=["device-token", "loa-01", "--as", "ma"])
    assert result.exit_code == 1
    assert "no active user" in result.output
    assert stored_hash(db, "loa-01") is None


def test_issue_token_operation(db, loa):
    token = issue_token(db, None, "loa-01", now=MADE)
    assert loa.token_hash == hash_token(token) == hashlib.sha256(token.encode()).hexdigest()
    assert device_for_token(db, "loa-01", token) is loa


def test_a_retired_device_loses_its_token_and_gets_no_new_one(db, loa):
    token = issue_token(db, None, "loa-01", now=MADE)
    retire_device(db, None, "loa-01", on=date(2026, 11, 20), now=MADE)
    assert (loa.retired_on, loa.token_hash, device_for_token(db, "loa-01", token)) == (date(2026, 11, 20), None, None)
    retired = db.scalar(select(AuditLog).where(AuditLog.action == "device.retire"))
    assert (retired.object_key, retired.after, retired.area_id) == ("loa-01", {"retired_on": "2026-11-20"}, loa.area_id)
    with pytest.raises(DeviceError, match="retired on 20/11/2026"):
        issue_token(db, None, "loa-01", now=MADE)
    with pytest.raises(DeviceError, match="retired on 20/11/2026"):
        retire_device(db, None, "loa-01", on=date(2026, 11, 21), now=MADE)
    assert loa.token_hash is None and loa.retired_on == date(2026, 11, 20)


def test_a_retired_device_is_expected_no_more(db, loa):
    """Last seen online long ago: retired, it is neither offline nor listed with its station."""
    loa.last_seen_at, loa.status = MADE, "online"
    later = MADE + timedelta(days=1)
    assert presence(loa, later, 60) == "offline" and station_devices(db, loa.station_id) == [loa]
    retire_device(db, None, "loa-01", on=date(2026, 10, 1), now=MADE)
    assert presence(loa, later, 60) == "retired"
    assert station_devices(db, loa.station_id) == []
    assert mark_offline(db, later, 60) == [] and loa.status == "online"
