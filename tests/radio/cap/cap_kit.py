"""CAP 1.2 documents for the tests (the OASIS specification's examples, adapted to Vietnamese
areas) and alert sources in the api fixture's world (tests/radio/api_kit.py)."""
from __future__ import annotations

import base64
from datetime import datetime, timedelta

from sqlalchemy import select

from radio.cap.operations import add_source
from radio.models import Area, User
from tests.factories import MADE, create_user
from tests.radio.api_kit import PASSWORD

SENDER = "canhbao@kttv.thanhhoa.gov.vn"
COMMUNE_CODE = "16279"  # TH-NT-TK's official administrative-unit code in the tests' world


def cap_time(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat()


def storm(now: datetime, identifier: str = "KTTV-TH-2026-1124-01", *, msg_type: str = "Alert",
          references: str = "", urgency: str = "Immediate", severity: str = "Severe", certainty: str = "Observed",
          area_desc: str = "Khu TH-NT-TK", geocode: str | None = COMMUNE_CODE, hours: int = 6,
          headline: str = "Cảnh báo dông mạnh", resource: str = "", status: str = "Actual",
          sent: datetime | None = None) -> bytes:
    """The specification's thunderstorm warning (its example 2), in Vietnamese with an English
    <info> before it, for a commune of the tests' province."""
    geo = f"<geocode><valueName>MaDVHC</valueName><value>{geocode}</value></geocode>" if geocode else ""
    refs = f"<references>{references}</references>" if references else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>{identifier}</identifier>
  <sender>{SENDER}</sender>
  <sent>{cap_time(sent or now)}</sent>
  <status>{status}</status>
  <msgType>{msg_type}</msgType>
  <source>Đài Khí tượng Thủy văn tỉnh Thanh Hóa</source>
  <scope>Public</scope>
  {refs}
  <info>
    <language>en-US</language>
    <category>Met</category>
    <event>SEVERE THUNDERSTORM</event>
    <urgency>{urgency}</urgency><severity>{severity}</severity><certainty>{certainty}</certainty>
    <headline>SEVERE THUNDERSTORM WARNING</headline>
    <area><areaDesc>{area_desc}</areaDesc>{geo}</area>
  </info>
  <info>
    <language>vi-VN</language>
    <category>Met</category>
    <event>Dông mạnh</event>
    <responseType>Shelter</responseType>
    <urgency>{urgency}</urgency>
    <severity>{severity}</severity>
    <certainty>{certainty}</certainty>
    <eventCode><valueName>SAME</valueName><value>SVR</value></eventCode>
    <expires>{cap_time(now + timedelta(hours=hours))}</expires>
    <senderName>Đài KTTV tỉnh Thanh Hóa</senderName>
    <headline>{headline}</headline>
    <description>Dông mạnh kèm lốc, sét và mưa đá đang di chuyển về phía xã, gió giật cấp 8.</description>
    <instruction>Người dân không ra đồng, không trú dưới gốc cây to, neo buộc tàu thuyền</instruction>
    {resource}
    <area><areaDesc>{area_desc}</areaDesc>{geo}</area>
  </info>
</alert>""".encode()


def audio_resource(data: bytes | None = None, uri: str | None = None, mime: str = "audio/mpeg") -> str:
    """A <resource> carrying audio inline (derefUri) or by address (uri)."""
    inline = f"<derefUri>{base64.b64encode(data).decode()}</derefUri>" if data is not None else ""
    where = f"<uri>{uri}</uri>" if uri else ""
    return (f"<resource><resourceDesc>Bản tin đọc sẵn</resourceDesc><mimeType>{mime}</mimeType>"
            f"{where}{inline}</resource>")


def make_source(api, *, trusted: bool = True, code: str = "kttv-th", area: str = "TH",
                feed_url: str | None = None) -> str:
    """An admin of the province adds a source for `area`; returns its token. TH-NT-TK gets its
    official code, and an approver of TH-NT is there to be told."""
    with api.session() as session:
        tree = {a.code: a for a in session.scalars(select(Area))}
        tree["TH-NT-TK"].admin_code = COMMUNE_CODE
        admin = session.scalar(select(User).where(User.username == "quantri"))
        if admin is None:
            admin = create_user(session, "quantri", "admin", tree["TH"], PASSWORD)
            create_user(session, "duyet", "approver", tree["TH-NT"], PASSWORD)
        _, token = add_source(session, admin, code=code, name="Đài KTTV tỉnh Thanh Hóa", areas=[tree[area]],
                              trusted=trusted, feed_url=feed_url, now=MADE)
        session.commit()
    return token


def post_alert(api, token: str, body: bytes):
    return api.post("/cap", headers={"Authorization": f"Bearer {token}", "Content-Type": "application/cap+xml"},
                    data=body)
