"""CAP 1.2 out and the periodic pull: every bulletin, by hand or from an alert, in the Atom
feed of its areas as a valid CAP alert with the loudspeakers' acknowledgements; a source's
Atom or RSS feed on a real HTTP server on loopback pulled into bulletins once; a hostile feed
(a DOCTYPE, too many alerts, bodies too large, links that fail) read within its limits, never
stopping the others."""
from __future__ import annotations

import logging
import socket
import threading
import uuid
from contextlib import contextmanager
from datetime import datetime, timezone

import pytest
from lxml import etree
from sqlalchemy import func, select

from radio.cap.document import FEED_MAX_ALERTS, NS, InvalidFeed, read_alert, read_feed, valid_element
from radio.cap.jobs import pull_cap_feeds
from radio.cap.operations import AlertError, fetch
from radio.models import Bulletin, CapAlert
from radio.ui.words import words
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


class Served(dict):
    """The files `serving` answers with, and the paths asked for, in order."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.asked: list[str] = []

    def get(self, path, default=None):
        self.asked.append(path)
        return super().get(path, default)


def received(api) -> set[str]:
    with api.session() as session:
        return set(session.scalars(select(CapAlert.identifier)))


DOCTYPE_FEED = (b'<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY a "hahahahaha"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
                b'<feed xmlns="http://www.w3.org/2005/Atom"><id>x</id><title>&b;</title></feed>')


def test_a_bad_feed_is_refused_within_its_limits_and_never_stops_the_others(api, caplog):
    files = Served()
    api.app.config["CAP_MAX_MB"] = 1
    with serving(files) as base:
        make_source(api, code="a-doctype", feed_url=f"{base}/doctype.atom")
        make_source(api, code="b-links", feed_url=f"{base}/links.atom")
        make_source(api, code="c-gone", feed_url=f"{base}/gone.atom")
        make_source(api, code="d-large", feed_url=f"{base}/large.atom")
        make_source(api, code="e-good", feed_url=f"{base}/good.atom")
        inline = storm(api.clock.now, "DOCTYPE-INLINE").split(b"?>", 1)[1]
        files["/doctype.atom"] = DOCTYPE_FEED.replace(b"</feed>", b"<entry>" + inline + b"</entry></feed>")
        files["/links.atom"] = atom(["http://\u00e9\u00e9..x/a.xml", f"{base}/missing.xml", f"{base}/large.xml",
                                     f"{base}/doctype.xml", "file:///etc/passwd", f"{base}/b.xml"])
        files["/large.xml"] = storm(api.clock.now, "LARGE") + b" " * (1024 * 1024)
        files["/doctype.xml"] = b'<?xml version="1.0"?><!DOCTYPE alert>' + storm(api.clock.now, "DT").split(b"?>", 1)[1]
        files["/b.xml"] = storm(api.clock.now, "B-GOOD")
        files["/large.atom"] = atom([f"{base}/b.xml"]) + b" " * (1024 * 1024)
        files["/good.atom"] = atom([f"{base}/e.xml"])
        files["/e.xml"] = storm(api.clock.now, "E-GOOD", area_desc="Khu TH-TX-XA", geocode=None)
        with api.app.app_context(), caplog.at_level(logging.WARNING, logger="radio.cap.jobs"):
            pull_cap_feeds()
    assert received(api) == {"B-GOOD", "E-GOOD"}  # the good alerts of a feed with bad links too
    said = "\n".join(record.getMessage() for record in caplog.records)
    assert f"CAP feed {base}/doctype.atom not read: a DOCTYPE" in said
    assert f"CAP feed {base}/gone.atom not read" in said and f"CAP feed {base}/large.atom not read" in said
    assert f"{base}/large.xml: larger than 1 MB" in said and "file:///etc/passwd" in said
    assert said.count("an alert of the CAP feed") == 5  # four links not fetched, the DOCTYPE alert refused
    assert "/missing.xml" in files.asked and "the pull stopped" not in said


def test_a_feed_gives_at_most_its_first_alerts_per_pull(api, caplog):
    files = Served()
    with serving(files) as base:
        make_source(api, feed_url=f"{base}/many.atom")
        names = [f"/t{number}.xml" for number in range(FEED_MAX_ALERTS + 7)]
        files["/many.atom"] = atom([base + name for name in names])
        for number, name in enumerate(names):  # tests: kept, never voiced nor aired
            files[name] = storm(api.clock.now, f"T-{number}", status="Test")
        with api.app.app_context(), caplog.at_level(logging.WARNING, logger="radio.cap.jobs"):
            pull_cap_feeds()
    assert files.asked == ["/many.atom", *names[:FEED_MAX_ALERTS]]
    assert received(api) == {f"T-{number}" for number in range(FEED_MAX_ALERTS)}
    assert f"7 alerts past the first {FEED_MAX_ALERTS} left out" in caplog.text


def test_a_feeds_inline_alerts_are_read_up_to_the_limit_and_a_doctype_refused():
    body = storm(datetime(2026, 11, 24, 1, 0, tzinfo=timezone.utc), "I").split(b"?>", 1)[1]
    items = [b"<item>" + body + b"text after it</item>"] + [b"<item>" + body + b"</item>"] * (FEED_MAX_ALERTS + 2)
    feed = read_feed(b"<rss><channel>" + b"".join(items) + b"</channel></rss>")
    assert len(feed.alerts) == FEED_MAX_ALERTS and feed.left_out == 3 and feed.links == ()
    assert all(read_alert(alert).identifier == "I" for alert in feed.alerts)  # each a document of its own
    with pytest.raises(InvalidFeed, match="DOCTYPE"):
        read_feed(DOCTYPE_FEED)
    with pytest.raises(InvalidFeed, match="not well-formed"):
        read_feed(b"<feed>" * 3)


@contextmanager
def trickling(length: int, pause_s: float):
    """A server on loopback that answers every GET with `length` bytes, one every `pause_s`."""
    server = socket.create_server(("127.0.0.1", 0))
    done = threading.Event()

    def answer() -> None:
        while not done.is_set():
            try:
                connection, _ = server.accept()
            except OSError:
                return
            with connection:
                connection.recv(65536)
                connection.sendall(f"HTTP/1.1 200 OK\r\nContent-Length: {length}\r\n\r\n".encode())
                for _ in range(length):
                    if done.wait(pause_s):
                        return
                    connection.sendall(b" ")

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}/feed.atom"
    finally:
        done.set()
        server.close()
        thread.join(5)


def test_a_feed_sent_a_byte_at_a_time_is_cut_off_at_the_whole_fetchs_bound(api):
    """Each byte comes well within the timeout: only the bound on the whole body ends the fetch
    (the 60 bytes at 0.1 s would take 6 s; the bound is 1 s)."""
    api.app.config.update(CAP_FETCH_TIMEOUT_S=5, CAP_FETCH_TOTAL_S=1)
    with trickling(60, 0.1) as url, api.app.app_context(), pytest.raises(AlertError) as refused:
        fetch(url, 1024 * 1024)
    assert refused.value.reason == "too_slow" and refused.value.values == {"url": url, "seconds": 1}
    with api.app.test_request_context("/"):
        assert words(refused.value) == f"{url} gửi quá chậm: chưa tải hết sau 1 giây."
    with api.app.test_request_context("/", headers={"Cookie": "lang=en"}):  # a fresh locale
        assert words(refused.value) == f"{url} is sending too slowly: not all there after 1 seconds."
