"""The notices' pages: the bell on every page, reading notices, choosing channels; admins'
webhooks and failed deliveries. Every form POST needs its CSRF token."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from radio import notices
from radio.models import AuditLog, Delivery, Notice, NoticePreference, Webhook
from radio.notices import kinds
from radio.notices.delivery import deliver_due
from tests.radio.notices_kit import NOW, Receiver, bell, offline_event, people, receiving, smtp  # noqa: F401
from tests.radio.office_kit import client_as, post_form

pytestmark = pytest.mark.db


def tell(db, person, **event):
    notices.emit(db, kinds.DEVICE_OFFLINE, [person], now=NOW, **{**offline_event(), **event})
    db.commit()


def test_the_bell_counts_unread_notices_and_reading_them_clears_it(app, db, people):
    tell(db, people["op"])
    tell(db, people["op"], about="device-offline:8:x", values={"device": "Loa thôn 2", "since_at": NOW.isoformat()})
    client = client_as(app, people["op"])
    assert bell(client.get("/today").get_data(as_text=True)) == "2"
    assert bell(client_as(app, None).get("/login").get_data(as_text=True)) is None
    page = client.get("/notices").get_data(as_text=True)
    assert "“Loa thôn 2”" in page and 'href="/devices/loa-01"' in page
    first = db.scalar(select(Notice.id).where(Notice.about == offline_event()["about"]))
    assert client.post("/notices/read", data={"notice": first}).status_code == 400  # no CSRF token
    response = post_form(client, "/notices/read", {"notice": first}, page="/notices")
    assert response.status_code == 302
    assert bell(client.get("/notices").get_data(as_text=True)) == "1"
    other = client_as(app, people["op-xa"])
    post_form(other, "/notices/read", {}, page="/notices")  # someone else's "all" reads none of op's
    assert bell(client.get("/notices").get_data(as_text=True)) == "1"
    post_form(client, "/notices/read", {}, page="/notices")
    assert bell(client.get("/notices").get_data(as_text=True)) == ""
    assert post_form(client, "/notices/read", {"notice": "x"}, page="/notices").status_code == 400


def test_notices_read_in_english_for_an_english_reader(app, db, people):
    tell(db, people["op"])
    client = client_as(app, people["op"])
    client.set_cookie("lang", "en")
    page = client.get("/notices").get_data(as_text=True)
    assert "Loudspeaker offline" in page and "07:30 24/11/2026" in page


def test_people_choose_their_address_and_which_kinds_come_by_mail(app, db, people):
    client = client_as(app, people["op"])
    page = client.get("/notices/preferences").get_data(as_text=True)
    assert 'value="op-tk@example.vn"' in page
    response = post_form(client, "/notices/preferences", {"email": "lan@xa.example.vn",
                                                            "by_email": ["device.back", "report.due"]})
    assert response.status_code == 302
    db.expire_all()
    assert people["op"].email == "lan@xa.example.vn"
    chosen = {p.kind: p.email for p in db.scalars(select(NoticePreference).where(NoticePreference.user_id == people["op"].id))}
    assert chosen[kinds.DEVICE_BACK] and chosen[kinds.REPORT_DUE] and not chosen[kinds.DEVICE_OFFLINE]
    refused = post_form(client, "/notices/preferences", {"email": "không phải thư"})
    assert refused.status_code == 422 and "Địa chỉ thư không hợp lệ." in refused.get_data(as_text=True)
    too_long = post_form(client, "/notices/preferences", {"email": "lan" * 100 + "@xa.example.vn"})
    assert too_long.status_code == 422 and "Dài tối đa 254 ký tự." in too_long.get_data(as_text=True)
    assert "Field cannot be longer" not in too_long.get_data(as_text=True)
    assert client.post("/notices/preferences", data={"email": "x@example.vn"}).status_code == 400  # no CSRF
    db.expire_all()
    assert people["op"].email == "lan@xa.example.vn"


def test_an_admin_sets_a_users_email_on_the_user_form(app, db, people):
    admin = client_as(app, people["admin"])
    response = post_form(admin, "/office/users/op-tk", {"action": "email", "mail-email": "tk@example.vn"})
    assert response.status_code == 302
    db.expire_all()
    assert people["op"].email == "tk@example.vn"
    assert db.scalar(select(AuditLog.actor).where(AuditLog.action == "user.email")
                     .order_by(AuditLog.id.desc()).limit(1)) == "quantri"
    too_long = post_form(admin, "/office/users/op-tk", {"action": "email", "mail-email": "tk" * 130 + "@example.vn"})
    assert "Dài tối đa 254 ký tự." in too_long.get_data(as_text=True)
    db.expire_all()
    assert people["op"].email == "tk@example.vn"


def test_admins_add_a_webhook_see_its_secret_once_test_it_and_turn_it_off(app, db, people):
    admin = client_as(app, people["admin"])
    receiver = Receiver()
    with receiving(receiver) as url:
        response = post_form(admin, "/office/webhooks", {"name": "Zalo tỉnh", "url": url, "area": "TH",
                                                          "kinds": ["device.offline", "report.due"]})
        assert response.status_code == 200
        hook = db.scalar(select(Webhook))
        assert hook.kinds == ("device.offline", "report.due") and len(hook.secret) == 64
        assert hook.secret in response.get_data(as_text=True)
        assert hook.secret not in admin.get("/office/webhooks").get_data(as_text=True)  # shown once
        tested = post_form(admin, f"/office/webhooks/{hook.id}/test", {}, page="/office/webhooks",
                           follow_redirects=True)
        assert "Webhook Zalo tỉnh đã nhận bản thử." in tested.get_data(as_text=True)
    assert [body["kind"] for body in receiver.delivered()] == ["test"]
    post_form(admin, f"/office/webhooks/{hook.id}/deactivate", {}, page="/office/webhooks")
    db.expire_all()
    assert hook.active is False
    post_form(admin, f"/office/webhooks/{hook.id}/remove", {}, page="/office/webhooks")
    assert db.scalar(select(Webhook)) is None


@pytest.mark.parametrize("change, message", [
    ({"url": "ftp://example.vn/x"}, "Địa chỉ webhook phải bắt đầu bằng http:// hoặc https://"),
    ({"kinds": []}, "Chọn ít nhất một loại thông báo."),
    ({"name": "Cổng " * 50 + "tỉnh"}, "Dài tối đa 200 ký tự."),
    ({"url": "https://example.vn/" + "tin" * 200}, "Dài tối đa 500 ký tự."),
])
def test_a_refused_webhook_says_why(app, db, people, change, message):
    admin = client_as(app, people["admin"])
    data = {"name": "Hỏng", "url": "https://example.vn/hook", "area": "TH", "kinds": ["device.offline"], **change}
    response = post_form(admin, "/office/webhooks", data)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert db.scalar(select(Webhook)) is None


def test_only_admins_reach_the_webhooks_and_deliveries(app, people):
    operator = client_as(app, people["op"])
    assert operator.get("/office/webhooks").status_code == 403
    assert operator.get("/office/deliveries").status_code == 403


def test_a_failed_webhook_shows_on_the_admin_page_and_is_sent_after_the_response(app, db, people):
    receiver = Receiver(answers=[500] * 5)
    with receiving(receiver) as url:
        db.add(Webhook(name="Cổng SMS", url=url, secret="s", kinds=(kinds.DEVICE_OFFLINE,),
                       area=people["tree"]["TH"], active=True, created_at=NOW))
        tell(db, people["op"])
        at = NOW
        for wait in (0, 1, 5, 30, 120):
            at += timedelta(minutes=wait)
            deliver_due(at)
        admin = client_as(app, people["admin"])
        page = admin.get("/office/deliveries").get_data(as_text=True)
        assert "Không gửi được" in page and "WebhookRefused: HTTP 500" in page and "Cổng SMS" in page
        delivery = db.scalar(select(Delivery))
        retry_url = f"/office/deliveries/{delivery.uuid}/retry"
        assert admin.post(retry_url).status_code == 400  # no CSRF token
        assert post_form(client_as(app, people["op"]), retry_url, {}, page="/notices").status_code == 403
        response = post_form(admin, retry_url, {}, page="/office/deliveries")
        assert response.status_code == 302
        assert len(receiver.requests) == 5  # the person has the answer; nothing was sent yet
        response.close()  # the server closes the response once it is sent: then the job runs
        assert len(receiver.requests) == 6 and len(receiver.delivered()) == 1
    db.expire_all()
    assert delivery.status == "sent"
    assert "Không có gì đang chờ hay bị lỗi." in admin.get("/office/deliveries").get_data(as_text=True)


def test_what_the_app_itself_says_of_a_failed_delivery_is_in_the_readers_language(app, db, people, smtp):
    from radio.notices.delivery import _claim

    hook = Webhook(name="Cổng SMS", url="http://127.0.0.1:9/hook", secret="s", kinds=(kinds.DEVICE_OFFLINE,),
                   area=people["tree"]["TH"], active=True, created_at=NOW)
    db.add(hook)
    tell(db, people["op"])  # a webhook call and a mail
    mail, call = sorted(db.scalars(select(Delivery)), key=lambda d: d.channel)
    hook.active = False  # turned off before its call went
    db.commit()
    assert _claim(db, mail.id, NOW)  # and the worker sending the mail died
    at = NOW
    for wait in (0, 1, 5, 30, 120):
        at += timedelta(minutes=wait)
        deliver_due(at)
    db.expire_all()
    assert (mail.status, call.status) == ("failed", "failed")
    admin = client_as(app, people["admin"])
    page = admin.get("/office/deliveries").get_data(as_text=True)
    assert "Webhook đã bị xoá hoặc đã tắt." in page
    assert "Bị ngắt khi đang gửi: có thể đã tới nơi hoặc chưa; nếu bên nhận chưa có, hãy thử lại." in page
    assert "turned off" not in page and "may or may not have left" not in page
