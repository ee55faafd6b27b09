"""CAP 1.2 out and the periodic pull: every bulletin, by hand or from an alert, in the Atom
feed of its areas as a valid CAP alert with the loudspeakers' acknowledgements; a source's
Atom or RSS feed on a real HTTP server on loopback pulled into bulletins once."""
from __future__ import annotations

import uuid

import pytest
from lxml import etree
from sqlalchemy import func, select

from radio.cap.document import NS, read_alert, valid_element
from radio.cap.jobs import pull_cap_feeds
from radio.models import Bulletin
from tests.device_client.kit import issue_emergency
from tests.radio.api_kit import api, tones  # noqa: F401 (fixtures)
from tests.radio.api_kit import assert_error
from tests.radio.cap.cap_kit import make_source, post_alert, storm
from tests.radio.cap.test_cap_in import serving

pytestmark = pytest.mark.db
ATOM = "{http://www.w3.org/2005/Atom}"


def feed_alerts(api, area: str) -> list[etree._Element]:
    response = api.get(f"/cap/feed?area={area}")
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("application/atom+xml")
    feed = etree.fromstring(response.content)
    return [valid_element(entry.find(f"{ATOM}content")[0]) for entry in feed.iter(f"{ATOM}entry")]


def test_every_bulletin_is_a_valid_cap_alert_in_its_areas_feed_with_acknowledgements(api):
    by_hand = issue_emergency(api, "TH-NT-TK")
    token = make_source(api)
    from_cap = post_alert(api, token, storm(api.clock.now, "CAP-OUT-1")).json()["bulletin"]
    api.get("/devices/loa-01/bulletins", device="loa-01")  # loa-01 fetches both
    played = {"uuid": str(uuid.uuid4()), "bulletin": by_hand, "started_at": api.clock.now.isoformat(),
              "status": "played"}
    api.post("/devices/loa-01/playlogs", device="loa-01", json=[played])
    alerts = {read_alert(a).identifier: a for a in feed_alerts(api, "TH-NT-TK-01")}
    assert set(alerts) == {by_hand, from_cap}
    hand = read_alert(alerts[by_hand])
    assert (hand.urgency, hand.severity, hand.priority, hand.language) == ("Immediate", "Severe", "emergency", "vi-VN")
    note = alerts[by_hand].findtext(f"{{{NS}}}note")
    assert note == "Đã nhận: 1/2 loa; đã phát: 1/2 loa."  # loa-01 and loa-02 are in the commune
    parameters = {p.findtext(f"{{{NS}}}valueName"): p.findtext(f"{{{NS}}}value")
                  for p in alerts[from_cap].iter(f"{{{NS}}}parameter")}
    assert parameters == {"devices": "2", "fetched": "1", "played": "0"}
    assert [a.geocodes for a in read_alert(alerts[from_cap]).areas] == [("16279",)]  # its official code
    assert feed_alerts(api, "TH-TX-XA") == []  # another district heard neither


def test_a_cancelled_bulletin_is_published_as_its_cancel(api):
    bulletin = issue_emergency(api, "TH-NT-TK")
    api.cli("bulletin", "cancel", bulletin, "--as", "vanhoa")
    [alert] = feed_alerts(api, "TH-NT")
    message = read_alert(alert)
    assert message.msg_type == "Cancel" and message.references[0][1] == bulletin


def test_the_feed_needs_a_known_area(api):
    assert_error(api.get("/cap/feed"), 400)
    assert_error(api.get("/cap/feed?area=NOWHERE"), 404)


def atom(entries: list[str]) -> bytes:
    links = "".join(f'<entry><id>{n}</id><title>t</title><updated>2026-11-24T04:00:00+07:00</updated>'
                    f'<link rel="alternate" href="{href}"/></entry>' for n, href in enumerate(entries))
    return f'<feed xmlns="http://www.w3.org/2005/Atom"><id>x</id><title>f</title>{links}</feed>'.encode()


def test_a_sources_feed_is_pulled_periodically_each_alert_once(api):
    files: dict[str, bytes] = {}
    with serving(files) as base:
        token = make_source(api, feed_url=f"{base}/feed.atom")
        assert token
        files["/feed.atom"] = atom([f"{base}/a1.xml", f"{base}/a2.xml"])
        files["/a1.xml"] = storm(api.clock.now, "PULL-1")
        files["/a2.xml"] = storm(api.clock.now, "PULL-2", area_desc="Khu TH-TX-XA", geocode=None)
        with api.app.app_context():
            pull_cap_feeds()
            pull_cap_feeds()  # the same alerts again: nothing new
    with api.session() as session:
        assert session.scalar(select(func.count()).select_from(Bulletin)) == 2
    assert len(api.get("/devices/loa-01/bulletins", device="loa-01").json()["bulletins"]) == 1
    assert len(api.get("/devices/loa-xa/bulletins", device="loa-xa").json()["bulletins"]) == 1


def test_an_rss_feed_with_alerts_inline_is_read_too(api):
    files: dict[str, bytes] = {}
    with serving(files) as base:
        make_source(api, feed_url=f"{base}/rss.xml")
        alert = storm(api.clock.now, "RSS-1").split(b"?>", 1)[1]
        files["/rss.xml"] = b"<rss version='2.0'><channel><title>c</title><item><title>i</title><description/>" + \
            alert + b"</item></channel></rss>"
        with api.app.app_context():
            pull_cap_feeds()
    assert len(api.get("/devices/loa-01/bulletins", device="loa-01").json()["bulletins"]) == 1
