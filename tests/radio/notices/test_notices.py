"""Notices end to end against real servers on loopback: e-mail through aiosmtpd, webhooks to an
http.server receiver; emit's idempotency, people's choices, the webhooks' area, exactly-once delivery."""
from __future__ import annotations

import hashlib
import hmac
import html
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from radio import jobs, notices
from radio.models import Delivery, Notice, Webhook
from radio.notices import kinds
from radio.notices.delivery import INTERRUPTED, _claim, deliver_due
from radio.notices.preferences import choose_email, email_choices
from radio.notices.webhook import signature
from tests.radio.notices_kit import (  # noqa: F401 (fixtures)
    NOW, Mailbox, Receiver, free_port, mail_settings, offline_event, people, receiving, smtp,
)
from tests.radio.office_kit import client_as

pytestmark = pytest.mark.db
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def add_hook(db, url, area, kinds_wanted=(kinds.DEVICE_OFFLINE,), name="Cổng SMS tỉnh") -> Webhook:
    hook = Webhook(name=name, url=url, secret="bi-mat-" + name, kinds=tuple(kinds_wanted), area=area, active=True,
                   created_at=NOW)
    db.add(hook)
    db.flush()
    return hook


def test_emit_tells_each_active_recipient_once_however_often_it_runs(db, people):
    recipients = [people["op"], people["op"], people["gone"], people["admin"]]
    first = notices.emit(db, kinds.DEVICE_OFFLINE, recipients, now=NOW, **offline_event())
    assert sorted(n.recipient.username for n in first) == ["op-tk", "quantri"]  # once each; no disabled account
    assert notices.emit(db, kinds.DEVICE_OFFLINE, recipients, now=NOW + timedelta(minutes=5), **offline_event()) == []
    later = notices.emit(db, kinds.DEVICE_OFFLINE, [people["op-xa"], people["op"]], now=NOW, **offline_event())
    assert [n.recipient.username for n in later] == ["op-xa"]  # someone new is told; nobody twice
    assert db.scalar(select(func.count()).select_from(Notice)) == 3
    other = offline_event(since="2026-11-25T00:30:00+00:00")  # the same loudspeaker silent again: a new event
    assert len(notices.emit(db, kinds.DEVICE_OFFLINE, [people["op"]], now=NOW, **other)) == 1
    with pytest.raises(ValueError):
        notices.emit(db, "device.exploded", [people["op"]], now=NOW, **offline_event())


def test_a_notice_is_worded_in_vietnamese_with_dates_in_the_stations_time_zone():
    title, text = kinds.worded(kinds.DEVICE_OFFLINE, offline_event()["values"], HANOI, lambda m: m)
    assert title == "Loa mất liên lạc"
    assert text == "“Loa thôn 1” (Thôn 1, Đài xã Thọ Khê) không liên lạc từ 07:30 24/11/2026."
    _, missing = kinds.worded(kinds.REPORT_DUE, {"plan": "KH 12", "due_date": "2026-12-15"},
                              HANOI, lambda m: m)
    assert missing == "Báo cáo kế hoạch “KH 12” (…) đến hạn ngày 15/12/2026 mà chưa chốt."  # a value not given reads "…"


def test_the_mail_arrives_in_vietnamese_once_even_when_delivery_runs_twice(db, people, smtp):
    notices.emit(db, kinds.DEVICE_OFFLINE, [people["op"], people["op-xa"]], now=NOW, **offline_event())
    db.commit()
    assert deliver_due(NOW) == 2
    assert deliver_due(NOW) == 0 and deliver_due(NOW + timedelta(days=1)) == 0
    notices.emit(db, kinds.DEVICE_OFFLINE, [people["op"]], now=NOW, **offline_event())  # found again
    db.commit()
    assert deliver_due(NOW + timedelta(hours=1)) == 0
    assert sorted(m["To"] for m in smtp.messages) == ["op-tk@example.vn", "op-xa@example.vn"]
    mail = smtp.messages[0]
    assert mail["Subject"] == "Loa mất liên lạc"  # RFC 2047 encoded on the wire, decoded here
    assert mail["From"] == "Lịch phát thanh <radio@xa.example.vn>"
    body = mail.get_content()
    assert "không liên lạc từ 07:30 24/11/2026" in body
    assert "https://radio.example.vn/devices/loa-01" in body
    assert "https://radio.example.vn/notices/preferences" in body
    sent = db.scalars(select(Delivery).execution_options(populate_existing=True)).all()
    assert [(d.status, d.attempts, d.sent_at) for d in sent] == [("sent", 1, NOW)] * 2


def test_each_person_chooses_which_kinds_come_by_mail(db, people, smtp):
    assert email_choices(db, people["op"])[kinds.DEVICE_OFFLINE] is True  # the defaults
    assert email_choices(db, people["op"])[kinds.DEVICE_BACK] is False
    choose_email(db, people["op"], {kinds.DEVICE_BACK})
    people["op-xa"].email = None
    notices.emit(db, kinds.DEVICE_OFFLINE, [people["op"], people["op-xa"]], now=NOW, **offline_event())
    notices.emit(db, kinds.DEVICE_BACK, [people["op"], people["op-xa"]], now=NOW, about="device-back:7",
                 values={"device": "Loa thôn 1", "back_at": NOW.isoformat()}, link=None)
    db.commit()
    assert deliver_due(NOW) == 1
    assert [(m["To"], m["Subject"]) for m in smtp.messages] == [("op-tk@example.vn", "Loa liên lạc lại")]
    assert db.scalar(select(func.count()).select_from(Notice)) == 4  # in the app, everyone is told


def test_without_an_smtp_server_notices_stay_in_the_app(db, people):
    assert notices.emit(db, kinds.DEVICE_OFFLINE, [people["op"]], now=NOW, **offline_event())
    assert db.scalar(select(func.count()).select_from(Delivery)) == 0


def test_a_webhook_is_signed_and_a_500_is_retried_then_delivered_once(db, people):
    receiver = Receiver(answers=[500])
    with receiving(receiver) as url:
        hook = add_hook(db, url, people["tree"]["TH"])
        notices.emit(db, kinds.DEVICE_OFFLINE, [people["op"], people["admin"]], now=NOW, **offline_event())
        db.commit()
        assert deliver_due(NOW) == 0
        delivery = db.scalar(select(Delivery).execution_options(populate_existing=True))
        assert (delivery.status, delivery.attempts, delivery.next_try_at) == ("pending", 1, NOW + timedelta(minutes=1))
        assert delivery.last_error == "WebhookRefused: HTTP 500"
        assert deliver_due(NOW + timedelta(seconds=30)) == 0  # its back-off has not passed
        assert deliver_due(NOW + timedelta(minutes=1)) == 1
        assert deliver_due(NOW + timedelta(hours=3)) == 0
    assert len(receiver.requests) == 2
    [body] = receiver.delivered()  # one POST per event, not per recipient
    assert body["kind"] == "device.offline" and body["title"] == "Loa mất liên lạc"
    assert body["about"] == offline_event()["about"] and body["delivery"] == delivery.uuid
    assert body["values"]["device"] == "Loa thôn 1"
    (_, first_headers, _), (_, headers, raw) = receiver.requests
    assert headers["X-Radio-Delivery"] == first_headers["X-Radio-Delivery"] == delivery.uuid  # the receiver's dedup key
    assert headers["X-Radio-Timestamp"] == str(int((NOW + timedelta(minutes=1)).timestamp()))
    expected = hmac.new(hook.secret.encode(), headers["X-Radio-Timestamp"].encode() + b"." + raw,
                        hashlib.sha256).hexdigest()
    assert headers["X-Radio-Signature"] == f"sha256={expected}"
    assert signature("another secret", headers["X-Radio-Timestamp"], raw) != headers["X-Radio-Signature"]


def test_a_webhook_hears_only_its_kinds_in_its_area(db, people):
    tree = people["tree"]
    xa = add_hook(db, "http://127.0.0.1:1/xa", tree["TH-TX"], name="Huyện TX")
    reports = add_hook(db, "http://127.0.0.1:1/bc", tree["TH"], kinds_wanted=(kinds.REPORT_DUE,), name="Báo cáo")
    off = add_hook(db, "http://127.0.0.1:1/off", tree["TH"], name="Tắt")
    off.active = False
    notices.emit(db, kinds.DEVICE_OFFLINE, [people["op"]], now=NOW, **offline_event())  # a commune of TH-NT
    assert db.scalar(select(func.count()).select_from(Delivery)) == 0
    notices.emit(db, kinds.DEVICE_OFFLINE, [people["op-xa"]], now=NOW, **offline_event(device="Loa Xã A"))
    assert [d.webhook_id for d in db.scalars(select(Delivery))] == [xa.id]
    assert reports.id not in {d.webhook_id for d in db.scalars(select(Delivery))}


def _every_try_fails(start):
    """Runs the deliverer at each try of the back-off (1 min, 5 min, 30 min, 2 h after the first),
    each sending nothing; the time of the last try."""
    at = start
    for wait in (timedelta(0), timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2)):
        at += wait
        assert deliver_due(at) == 0
    return at


def test_an_unreachable_webhook_ends_failed_after_its_back_off(db, people):
    add_hook(db, "http://127.0.0.1:1/hook", people["tree"]["TH"])  # nothing listens on port 1
    notices.emit(db, kinds.DEVICE_OFFLINE, [people["op"]], now=NOW, **offline_event())
    db.commit()
    at = _every_try_fails(NOW)
    delivery = db.scalar(select(Delivery).execution_options(populate_existing=True))
    assert (delivery.status, delivery.attempts) == ("failed", 5)
    assert "ConnectionError" in delivery.last_error
    assert deliver_due(at + timedelta(days=1)) == 0 and delivery.attempts == 5


def test_one_claim_wins_and_a_claim_that_never_ended_is_not_sent_again(db, people, smtp):
    notices.emit(db, kinds.DEVICE_OFFLINE, [people["op"]], now=NOW, **offline_event())
    db.commit()
    delivery_id = db.scalar(select(Delivery.id))
    assert _claim(db, delivery_id, NOW) is True
    assert _claim(db, delivery_id, NOW) is False  # a second worker finds it taken
    assert deliver_due(NOW + timedelta(minutes=1)) == 0  # still "sending" elsewhere: left alone
    assert deliver_due(NOW + timedelta(minutes=16)) == 0  # the claim died: failed, not re-sent
    delivery = db.get(Delivery, delivery_id, populate_existing=True)
    assert delivery.status == "failed" and delivery.last_error == INTERRUPTED
    assert smtp.messages == []


def test_the_delivery_retries_are_a_periodic_task_and_notices_check_runs_them(app, db, people, smtp, monkeypatch):
    monkeypatch.setitem(app.config, "CLOCK", lambda: NOW)
    huey = jobs.queue(app)
    assert deliver_due in jobs.periodic_checks()
    # huey's scheduler asks which periodic tasks are due each minute (naive times, as huey keeps them)
    assert "periodic.deliver_due" in {task.name for task in huey.read_periodic(datetime(2026, 11, 24, 8, 5))}
    assert "periodic.deliver_due" not in {task.name for task in huey.read_periodic(datetime(2026, 11, 24, 8, 7))}
    notices.emit(db, kinds.DEVICE_OFFLINE, [people["op"]], now=NOW, **offline_event())
    db.commit()
    result = app.test_cli_runner().invoke(args=["notices", "check"])
    assert result.exit_code == 0 and "ran deliver_due" in result.output
    assert len(smtp.messages) == 1
    assert app.test_cli_runner().invoke(args=["notices", "send"]).output.strip() == "0 sent"


def test_each_check_that_finds_events_is_a_periodic_task_on_the_schedule_the_readme_gives(app):
    from radio.bulletins.jobs import check_unfetched_bulletins
    from radio.compliance.jobs import check_due_reports
    from radio.devices.jobs import check_devices
    from radio.schedule.jobs import check_empty_reservations

    huey = jobs.queue(app)
    assert {check_devices, check_unfetched_bulletins, check_empty_reservations, check_due_reports,
            deliver_due} <= set(jobs.periodic_checks())

    def due(hour, minute):  # what huey's scheduler starts at that minute
        found = huey.read_periodic(datetime(2026, 11, 24, hour, minute))
        return {task.name.removeprefix("periodic.") for task in found}

    every_minute = {"check_devices", "check_unfetched_bulletins"}
    assert every_minute <= due(8, 1)
    assert not {"check_empty_reservations", "check_due_reports", "deliver_due"} & due(8, 1)
    assert {"check_empty_reservations", "deliver_due"} | every_minute <= due(8, 15)  # every 15 and every 5 minutes
    assert "check_due_reports" in due(8, 7) and "check_due_reports" in due(9, 7)  # hourly
    assert "check_due_reports" not in due(8, 15)


class RefusingMailbox(Mailbox):
    """An SMTP server's mailbox that answers DATA with each of `answers` first (a temporary 451),
    then accepts."""

    def __init__(self, answers):
        super().__init__()
        self.answers, self.refused = list(answers), 0

    async def handle_DATA(self, server, session, envelope):
        if self.answers:
            self.refused += 1
            return self.answers.pop(0)
        return await super().handle_DATA(server, session, envelope)


def test_a_mail_the_smtp_server_refuses_is_retried_after_its_back_off_and_delivered_once(app, db, people,
                                                                                           monkeypatch):
    from aiosmtpd.controller import Controller

    mailbox = RefusingMailbox(["451 4.3.0 Hàng đợi đầy, thử lại sau"])
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        for key, value in mail_settings(f"smtp://127.0.0.1:{controller.port}").items():
            monkeypatch.setitem(app.config, key, value)
        notices.emit(db, kinds.DEVICE_OFFLINE, [people["op"]], now=NOW, **offline_event())
        db.commit()
        assert deliver_due(NOW) == 0 and mailbox.refused == 1
        delivery = db.scalar(select(Delivery).execution_options(populate_existing=True))
        assert (delivery.status, delivery.attempts) == ("pending", 1) and "SMTPDataError" in delivery.last_error
        assert deliver_due(NOW + timedelta(seconds=59)) == 0 and mailbox.messages == []  # its back-off: 1 minute
        assert deliver_due(NOW + timedelta(minutes=1)) == 1
        assert deliver_due(NOW + timedelta(hours=3)) == 0
    finally:
        controller.stop()
    assert [m["To"] for m in mailbox.messages] == ["op-tk@example.vn"]


def test_a_mail_no_smtp_server_takes_ends_failed_on_the_admin_page(app, db, people, monkeypatch):
    for key, value in mail_settings(f"smtp://127.0.0.1:{free_port()}").items():  # nothing listens there
        monkeypatch.setitem(app.config, key, value)
    notices.emit(db, kinds.DEVICE_OFFLINE, [people["op"]], now=NOW, **offline_event())
    db.commit()
    at = _every_try_fails(NOW)
    delivery = db.scalar(select(Delivery).execution_options(populate_existing=True))
    assert (delivery.status, delivery.attempts) == ("failed", 5) and "ConnectionRefusedError" in delivery.last_error
    page = client_as(app, people["admin"]).get("/office/deliveries").get_data(as_text=True)
    assert "Không gửi được" in page and "ConnectionRefusedError" in page and "Thử lại" in page


def _error_cells(page: str) -> dict[str, str]:
    """Each delivery's error cell on the admin page, by the row's "to" text (a hook's name or a person)."""
    cells = {}
    for row in page.split("<tr>")[2:]:
        to = row.split("<td>")[2].split("</td>")[0]
        cells[to] = row.split('<td class="delivery-error">')[1].split("</td>")[0]
    return cells


def test_each_kind_of_far_end_failure_is_summed_up_in_the_readers_language_with_its_detail(app, db, people,
                                                                                          monkeypatch):
    import socket

    from aiosmtpd.controller import Controller

    mailbox = RefusingMailbox(["550 5.7.1 Không nhận thư này"])
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    silent = socket.create_server(("127.0.0.1", 0))  # takes the connection (its backlog), never answers
    refusing = Receiver(answers=[503])
    try:
        for key, value in mail_settings(f"smtp://127.0.0.1:{controller.port}").items():
            monkeypatch.setitem(app.config, key, value)
        with receiving(refusing) as url:
            tree = people["tree"]
            add_hook(db, "http://127.0.0.1:1/hook", tree["TH"], name="Không ai nghe")  # nothing listens on port 1
            add_hook(db, url, tree["TH"], name="Trả lời 503")
            add_hook(db, f"http://127.0.0.1:{silent.getsockname()[1]}/hook", tree["TH"], name="Im lặng")
            notices.emit(db, kinds.DEVICE_OFFLINE, [people["op"]], now=NOW, **offline_event())
            db.commit()
            assert deliver_due(NOW) == 0 and mailbox.refused == 1 and len(refusing.requests) == 1
    finally:
        silent.close()
        controller.stop()
    errors = {d.webhook.name if d.webhook else "mail": d.last_error for d in db.scalars(select(Delivery))}
    assert errors["Không ai nghe"].startswith("ConnectionError: ")
    assert errors["Trả lời 503"] == "WebhookRefused: HTTP 503"
    assert errors["Im lặng"].startswith("ReadTimeout: ") and errors["mail"].startswith("SMTPDataError: (550")

    admin = client_as(app, people["admin"])
    for language, words in (("vi", {"Không ai nghe": "Không kết nối được tới nơi nhận.",
                                     "Trả lời 503": "Nơi nhận trả lời mã lỗi 503.",
                                     "Im lặng": "Quá thời gian chờ: nơi nhận không trả lời.",
                                     "mail": "Máy chủ thư từ chối nhận thư."}),
                            ("en", {"Không ai nghe": "Could not connect to the receiving end.",
                                    "Trả lời 503": "The receiving end answered with error status 503.",
                                    "Im lặng": "Timed out: the receiving end did not answer.",
                                    "mail": "The mail server refused the mail."})):
        admin.set_cookie("lang", language)
        cells = _error_cells(admin.get("/office/deliveries").get_data(as_text=True))
        assert len(cells) == 4
        for name, summary in words.items():
            [cell] = [cell for to, cell in cells.items() if (name in to if name != "mail" else "Webhook" not in to)]
            title, shown = re.search(r'<span class="failure" title="([^"]*)">([^<]*)</span>', cell).groups()
            assert shown == summary and html.unescape(title) == errors[name]
            detail = cell.split("<details", 1)[1]
            assert ("Technical details" if language == "en" else "Chi tiết kỹ thuật") in detail
            code = detail.split("<code>", 1)[1].split("</code>", 1)[0]
            assert html.unescape(code) == errors[name]  # the far end's own words, for whoever digs further
