"""The OASIS CAP 1.2 specification's other examples (its appendix A.1 and A.3; A.2 and A.4 are
the thunderstorm of cap_kit.py, with its English and Vietnamese <info>), adapted to Vietnamese
areas and text, received whole: what the standard itself shows must go through."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from radio.models import CapAlert
from tests.radio.api_kit import api, tones  # noqa: F401 (fixtures)
from tests.radio.cap.cap_kit import COMMUNE_CODE, SENDER, cap_time, make_source, post_alert

pytestmark = pytest.mark.db


def advisory(now) -> bytes:
    """Example A.1 (a national advisory level raised): a restricted scope, a <code>, an image
    <resource> and a <parameter>, for the whole province by its name."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>PCTT-TH-2026-0042</identifier>
  <sender>{SENDER}</sender>
  <sent>{cap_time(now)}</sent>
  <status>Actual</status>
  <msgType>Alert</msgType>
  <scope>Restricted</scope>
  <restriction>Chỉ dành cho các đài truyền thanh cơ sở</restriction>
  <code>Cấp độ rủi ro thiên tai</code>
  <info>
    <language>vi-VN</language>
    <category>Safety</category>
    <event>Nâng cấp độ rủi ro thiên tai</event>
    <urgency>Immediate</urgency>
    <severity>Severe</severity>
    <certainty>Likely</certainty>
    <senderName>Ban Chỉ huy Phòng chống thiên tai tỉnh Thanh Hóa</senderName>
    <headline>Rủi ro thiên tai cấp độ 3</headline>
    <description>Ban Chỉ huy nâng rủi ro thiên tai do bão lên cấp độ 3 trên toàn tỉnh từ 14 giờ hôm nay.</description>
    <instruction>Người dân theo dõi thông báo của chính quyền địa phương.</instruction>
    <web>https://pcttth.example.vn/capdo</web>
    <parameter><valueName>CapDoRuiRo</valueName><value>3</value></parameter>
    <resource>
      <resourceDesc>Ảnh cấp độ rủi ro (GIF)</resourceDesc>
      <mimeType>image/gif</mimeType>
      <uri>http://127.0.0.1:9/capdo.gif</uri>
    </resource>
    <area><areaDesc>Khu TH</areaDesc></area>
  </info>
</alert>""".encode()


def earthquake(now, version: int, references: str = "") -> bytes:
    """Example A.3 (an earthquake report, then its reviewed Update): urgency Past, severity
    Minor, an area as a <circle>, the figures in <parameter>s."""
    refs = f"<references>{references}</references>" if references else ""
    msg_type = "Update" if references else "Alert"
    reviewed = " (Thông tin đã được chuyên gia địa chấn xem lại.)" if references else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>VDC-2026-1124.{version}</identifier>
  <sender>{SENDER}</sender>
  <sent>{cap_time(now)}</sent>
  <status>Actual</status>
  <msgType>{msg_type}</msgType>
  <scope>Public</scope>
  {refs}
  <info>
    <language>vi</language>
    <category>Geo</category>
    <event>Động đất</event>
    <urgency>Past</urgency>
    <severity>Minor</severity>
    <certainty>Observed</certainty>
    <senderName>Viện Vật lý Địa cầu</senderName>
    <headline>Động đất 3,4 độ richter tại xã</headline>
    <description>Một trận động đất nhỏ 3,4 độ richter xảy ra lúc 20 giờ 30 gần trung tâm xã.{reviewed}</description>
    <parameter><valueName>DoLon</valueName><value>3.4 Ml</value></parameter>
    <parameter><valueName>DoSau</valueName><value>12 km</value></parameter>
    <area>
      <areaDesc>Cách trung tâm xã 1 km về phía tây nam</areaDesc>
      <circle>19.8076,105.7765 0</circle>
      <geocode><valueName>MaDVHC</valueName><value>{COMMUNE_CODE}</value></geocode>
    </area>
  </info>
</alert>""".encode()


def test_the_advisory_example_is_read_by_the_province_name_and_voiced_not_its_image(api):
    token = make_source(api)
    answer = post_alert(api, token, advisory(api.clock.now))
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert (body["status"], body["priority"], body["audio_problem"]) == ("issued", "emergency", None)
    with api.session() as session:
        alert = session.scalar(select(CapAlert))
        assert alert.episode.tts_engine == "espeak-ng"  # the GIF is no audio: never fetched, the text is read
        assert [a.code for a in alert.bulletin.areas] == ["TH"]
    for device in ("loa-01", "loa-xa"):  # every loudspeaker of the province
        assert [b["title"] for b in api.get(f"/devices/{device}/bulletins", device=device).json()["bulletins"]] \
            == ["Rủi ro thiên tai cấp độ 3"]


def test_the_earthquake_example_and_its_update_replace_one_another_at_normal_priority(api):
    token = make_source(api)
    first_sent = api.clock.now
    first = post_alert(api, token, earthquake(first_sent, 1)).json()
    assert (first["status"], first["priority"]) == ("issued", "normal")
    api.clock.advance(minutes=26)
    update = earthquake(api.clock.now, 2, references=f"{SENDER},VDC-2026-1124.1,{cap_time(first_sent)}")
    second = post_alert(api, token, update).json()
    assert (second["status"], second["priority"]) == ("issued", "normal")
    with api.session() as session:
        alerts = {a.identifier: a for a in session.scalars(select(CapAlert))}
        assert alerts["VDC-2026-1124.1"].status == "ended"
        assert alerts["VDC-2026-1124.1"].bulletin.cancelled_at == first_sent + timedelta(minutes=26)
        assert "chuyên gia địa chấn" in alerts["VDC-2026-1124.2"].bulletin.text
        assert [a.code for a in alerts["VDC-2026-1124.2"].bulletin.areas] == ["TH-NT-TK"]
