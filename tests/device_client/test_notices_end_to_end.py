"""Issue #19 end to end: real receivers polling the served app through links a test cuts, the
periodic checks on the app's clock, and the people told through a real SMTP server and a real
webhook receiver on loopback, as the operator's and the admin's pages show it."""
from __future__ import annotations

import hashlib
import hmac
import json
import re
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from radio.auth.operations import set_email
from radio.models import Area, Delivery, Notice, OfflinePeriod, User, Webhook
from radio.notices import kinds
from tests.device_client.kit import (  # noqa: F401 (fixtures)
    at, issue_emergency, link, other_link, run_all, slow_polls, start_receiver,
)
from tests.device_client.test_network import fake_tree
from tests.factories import MADE, create_user
from tests.radio.api_kit import PASSWORD, TODAY, api, tones  # noqa: F401 (fixtures)
from tests.radio.notices_kit import Receiver, bell, free_port, mail_settings, receiving, smtp_server

pytestmark = pytest.mark.db
POLL_S = 600  # the server's poll interval: offline after 3 missed polls, that is 30 minutes
VILLAGE = "Khu TH-NT-TK-01"  # loa-01's village


def prepare(api, hook_url: str | None = None, hook_kinds=(kinds.DEVICE_OFFLINE, kinds.DEVICE_BACK)) -> Webhook | None:
    """Both communes' operators have an address; a webhook of the province hears `hook_kinds`."""
    with api.session() as session:
        for username in ("dai-tk", "dai-xa"):
            user = session.scalar(select(User).where(User.username == username))
            set_email(session, None, user, f"{username}@example.vn", now=MADE)
        hook = None
        if hook_url is not None:
            province = session.scalar(select(Area).where(Area.code == "TH"))
            hook = Webhook(name="Cổng SMS tỉnh", url=hook_url, secret="bi-mat-cua-cong-sms", kinds=hook_kinds,
                           area=province, active=True, created_at=MADE)
            session.add(hook)
        session.commit()
        return hook


def run_check(api, check) -> None:
    """A periodic check as the worker runs it: in the served app, on its clock, deliveries inline."""
    with api.app.app_context():
        check()


def told(api, username: str) -> list[tuple[str, dict]]:
    """(kind, values) of each notice `username` has, oldest first."""
    with api.session() as session:
        user = session.scalar(select(User).where(User.username == username))
        return [(n.kind, n.values) for n in session.scalars(
            select(Notice).where(Notice.recipient_id == user.id).order_by(Notice.id))]


def periods(api, device: str) -> list[tuple]:
    from radio.models import Device

    with api.session() as session:
        return session.execute(select(OfflinePeriod.offline_from, OfflinePeriod.back_at).join(Device)
                               .where(Device.code == device).order_by(OfflinePeriod.offline_from)).all()


def row(page: str, device: str) -> str:
    """The loudspeakers table's row of `device`, as HTML."""
    return re.search(rf'<tr data-device="{device}">(.*?)</tr>', page, re.S).group(1)


def availability(html_row: str) -> float:
    text = re.search(r'class="availability">([^<]*)<', html_row).group(1)
    return float(text.strip().rstrip("%").replace(",", "."))


def signed_by(secret: str, headers: dict, body: bytes) -> bool:
    expected = hmac.new(secret.encode(), headers["X-Radio-Timestamp"].encode() + b"." + body, hashlib.sha256)
    return hmac.compare_digest(headers["X-Radio-Signature"], f"sha256={expected.hexdigest()}")


def test_a_silent_loudspeaker_is_told_once_in_the_app_by_mail_and_webhook_and_so_is_its_return(
        api, link, other_link, tmp_path):
    from radio.devices.jobs import check_devices

    slow_polls(api, POLL_S)
    hook = Receiver()
    with smtp_server() as (mailbox, smtp_url), receiving(hook) as hook_url:
        api.app.config.update(mail_settings(smtp_url))
        secret = prepare(api, hook_url).secret
        one = start_receiver(api, link, tmp_path / "one", "--bulletin-seconds", "600")
        one.reports.system_root = fake_tree(tmp_path / "system", [("wlan0", "00000000", "0003", 600)],
                                            {"wlan0": None}, wireless="wlan0")
        two = start_receiver(api, other_link, tmp_path / "two", "--bulletin-seconds", "600", device="loa-02")
        receivers = [one, two]
        run_all(receivers, api.clock, at(TODAY, 4, 10))
        link.down()
        run_all(receivers, api.clock, at(TODAY, 4, 35))
        run_check(api, check_devices)  # silent 25 minutes: not yet three polls
        assert told(api, "dai-tk") == [] and mailbox.messages == [] and hook.requests == []

        run_all(receivers, api.clock, at(TODAY, 4, 50))
        run_check(api, check_devices)
        [(kind, values)] = told(api, "dai-tk")
        assert kind == kinds.DEVICE_OFFLINE and values["village"] == VILLAGE
        assert told(api, "dai-xa") == []  # another commune's loudspeaker is none of theirs
        [mail] = mailbox.messages
        assert (mail["To"], mail["Subject"]) == ("dai-tk@example.vn", "Loa mất liên lạc")
        assert f"({VILLAGE}, Đài Khu TH-NT-TK) không liên lạc từ 04:10 24/11/2026." in mail.get_content()
        [(status, headers, body)] = hook.requests
        assert status == 200 and signed_by(secret, headers, body)
        assert not signed_by("another secret", headers, body)
        assert json.loads(body)["kind"] == kinds.DEVICE_OFFLINE and json.loads(body)["values"]["village"] == VILLAGE
        [(offline_from, back_at)] = periods(api, "loa-01")
        assert back_at is None and periods(api, "loa-02") == []

        operator = api.login("dai-tk")
        page = operator.get(f"{api.base}/loudspeakers/station/st-tk").text
        assert bell(page) == "1"
        assert bell(api.login("dai-xa").get(f"{api.base}/").text) == ""
        silent = row(page, "loa-01")
        assert 'data-state="offline"' in silent and "từ 04:10 24/11/2026, vẫn chưa liên lạc lại" in silent
        assert availability(silent) < 100 and availability(row(page, "loa-02")) == 100

        link.up()
        run_all(receivers, api.clock, at(TODAY, 5, 15))  # polls again and, a poll later, sends its heartbeat
        run_check(api, check_devices)
        assert [kind for kind, _ in told(api, "dai-tk")] == [kinds.DEVICE_OFFLINE, kinds.DEVICE_BACK]
        [(_, back_at)] = periods(api, "loa-01")
        assert back_at is not None and back_at > offline_from
        page = operator.get(f"{api.base}/loudspeakers/station/st-tk").text
        assert bell(page) == "2"
        back = row(page, "loa-01")
        assert 'data-state="online"' in back and "Trình phát không chạy" in back
        assert "Kết nối: Wi-Fi, sóng -62 dBm" in back and re.search(r"Đã chạy 1 giờ \d+ phút", back)
        assert "từ 04:10 24/11/2026 đến" in back and availability(back) < 100
        assert len(mailbox.messages) == 1  # "back" is not mailed unless chosen
        assert [json.loads(body)["kind"] for _, _, body in hook.requests] == [kinds.DEVICE_OFFLINE, kinds.DEVICE_BACK]
        assert signed_by(secret, *hook.requests[1][1:])

        run_check(api, check_devices)  # again: nothing new to tell
        run_all(receivers, api.clock, at(TODAY, 5, 20))
        run_check(api, check_devices)
        assert len(told(api, "dai-tk")) == 2 and len(mailbox.messages) == 1 and len(hook.requests) == 2


def test_an_emergency_bulletin_a_cut_off_village_has_not_fetched_is_told_to_its_issuer(
        api, link, other_link, tmp_path):
    from radio.bulletins.jobs import check_unfetched_bulletins

    slow_polls(api, POLL_S)
    one = start_receiver(api, link, tmp_path / "one", "--bulletin-seconds", "30")
    two = start_receiver(api, other_link, tmp_path / "two", "--bulletin-seconds", "30", device="loa-02")
    run_all([one, two], api.clock, at(TODAY, 4, 5))
    link.down()
    bulletin = issue_emergency(api, "TH-NT-TK")
    issued_at = api.clock.now
    run_all([one, two], api.clock, issued_at + timedelta(minutes=9))
    run_check(api, check_unfetched_bulletins)
    assert told(api, "vanhoa") == []  # NOTICE_BULLETIN_UNFETCHED_MINUTES (10) have not passed
    run_all([one, two], api.clock, issued_at + timedelta(minutes=11))
    run_check(api, check_unfetched_bulletins)
    run_check(api, check_unfetched_bulletins)  # told once
    [(kind, values)] = told(api, "vanhoa")
    assert kind == kinds.BULLETIN_UNFETCHED and (values["unfetched"], values["devices"]) == (1, 2)
    assert values["villages"] == VILLAGE
    page = api.login("vanhoa").get(f"{api.base}/notices").text
    assert "còn 1 trong 2 loa chưa nhận: Khu TH-NT-TK-01." in page
    shown = api.cli("bulletin", "show", bulletin).output
    assert "device loa-02: fetched" in shown and "device loa-01: fetched" not in shown


def test_a_webhook_that_fails_once_gets_the_event_once_and_an_unreachable_one_is_retried_by_an_admin(
        api, link, tmp_path):
    from radio.devices.jobs import check_devices

    slow_polls(api, POLL_S)
    with api.session() as session:
        create_user(session, "quantri", "admin", session.scalar(select(Area).where(Area.code == "TH")), PASSWORD)
        session.commit()
    flaky, later = Receiver(answers=[500]), Receiver()
    port = free_port()  # nothing listens there until the admin's retry
    with receiving(flaky) as flaky_url:
        prepare(api, flaky_url, hook_kinds=(kinds.DEVICE_OFFLINE,))
        dead = prepare(api, f"http://127.0.0.1:{port}/hook", hook_kinds=(kinds.DEVICE_OFFLINE,))
        one = start_receiver(api, link, tmp_path / "one", "--bulletin-seconds", "600")
        one.tick()
        link.down()
        api.clock.now += timedelta(minutes=31)
        run_check(api, check_devices)  # the event: each hook tried at once
        assert [status for status, _, _ in flaky.requests] == [500]
        api.clock.now += timedelta(seconds=30)
        assert api.cli("notices", "send").output.strip() == "0 sent"  # the back-off (1 minute) has not passed
        for wait in (timedelta(seconds=30), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2)):
            api.clock.now += wait
            api.cli("notices", "send")
        assert [status for status, _, _ in flaky.requests] == [500, 200]  # after its back-off, once
        assert len({headers["X-Radio-Delivery"] for _, headers, _ in flaky.requests}) == 1

    admin = api.login("quantri")
    page = admin.get(f"{api.base}/office/deliveries").text
    assert "Không gửi được" in page and dead.name in page and "ConnectionError" in page
    form = re.search(r'<form method="post" action="([^"]+/retry)"[^>]*>\s*<input type="hidden" name="csrf_token" '
                     r'value="([^"]+)">', page)
    assert form and "Thử lại" in page[form.end():form.end() + 200]
    with receiving(later, port):
        answer = admin.post(f"{api.base}{form.group(1)}", data={"csrf_token": form.group(2)})
        assert answer.status_code == 200 and "/office/deliveries" in answer.url
        assert later.wait_for(1)  # sent once the page's answer has gone
        assert _settled(api)  # and marked sent by the server's thread (it commits after the POST returns)
        api.cli("notices", "send")
    assert len(later.delivered()) == 1 and len(later.requests) == 1
    assert "Không có gì đang chờ hay bị lỗi." in admin.get(f"{api.base}/office/deliveries").text
    with api.session() as session:
        assert session.scalar(select(func.count()).select_from(Notice)) == 1  # one event, told to dai-tk


def _settled(api, timeout_s: float = 10) -> bool:
    """Whether every delivery has left "pending" and "sending" within `timeout_s` (the job that
    runs after a page's answer finishes in the server's own thread)."""
    rest = threading.Event()
    for _ in range(int(timeout_s * 20)):
        with api.session() as session:
            if not session.scalar(select(func.count()).select_from(Delivery)
                                  .where(Delivery.status.in_(("pending", "sending")))):
                return True
        rest.wait(0.05)
    return False
