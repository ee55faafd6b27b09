"""A CAP 1.2 alert read: checked against the OASIS schema (cap-1.2.xsd, lxml), then the parts
this product acts on. The schema is the standard's own text, kept beside this module; lxml
validates with libxml2, so no hand-written check decides what a valid alert is.

The priority table (README "Emergency alerts (CAP 1.2)"): certainty Unlikely → normal;
urgency Immediate with severity Extreme or Severe → emergency; urgency Immediate or Expected
with severity Extreme, Severe or Moderate → priority; anything else → normal.
"""
from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

from lxml import etree

NS = "urn:oasis:names:tc:emergency:cap:1.2"
_N = {"cap": NS}
XSD = Path(__file__).with_name("cap-1.2.xsd")
# The longest <identifier> and <sender> kept (radio/models/cap.py): the schema sets no limit.
LONGEST_NAME = 255
# The alerts read from one pulled feed in one pull, inline or behind the entries' links (README
# "Limits on what comes in"): the first ones in the feed's order, the others left out and logged.
# Every body fetched (the feed, each alert behind a link, each audio <uri>) is at most CAP_MAX_MB
# within CAP_FETCH_TOTAL_S (radio/cap/operations.py fetch).
FEED_MAX_ALERTS = 50
ATOM = "{http://www.w3.org/2005/Atom}"
AUDIO_TYPES = {"audio/mpeg": "mp3", "audio/mp3": "mp3", "audio/wav": "wav", "audio/x-wav": "wav",
               "audio/wave": "wav", "audio/ogg": "ogg"}


class InvalidAlert(ValueError):
    """Not a CAP 1.2 alert; the message names the element (and line) at fault."""


class InvalidFeed(ValueError):
    """Not a feed this product reads: not well-formed XML, or with a DOCTYPE."""


@dataclass(frozen=True)
class Resource:
    mime_type: str
    uri: str | None
    data: bytes | None  # derefUri, decoded
    description: str


@dataclass(frozen=True)
class AlertArea:
    description: str
    geocodes: tuple[str, ...]


@dataclass(frozen=True)
class Alert:
    identifier: str
    sender: str
    sent: str
    sent_at: datetime
    status: str
    msg_type: str
    references: tuple[tuple[str, str, str], ...]  # (sender, identifier, sent)
    language: str | None = None  # of the Vietnamese <info>; None when there is none
    headline: str = ""
    description: str = ""
    instruction: str = ""
    urgency: str = "Unknown"
    severity: str = "Unknown"
    certainty: str = "Unknown"
    expires: datetime | None = None
    areas: tuple[AlertArea, ...] = ()
    resources: tuple[Resource, ...] = field(default=())

    @property
    def text(self) -> str:
        """What is read out: headline, description, instruction, each a sentence of its own."""
        parts = [p.strip() for p in (self.headline, self.description, self.instruction) if p and p.strip()]
        return "\n".join(p if p[-1] in ".!?…" else p + "." for p in parts)

    @property
    def priority(self) -> str:
        return priority_of(self.urgency, self.severity, self.certainty)

    @property
    def audio(self) -> Resource | None:
        """The first audio resource in a format the library takes."""
        return next((r for r in self.resources if r.mime_type in AUDIO_TYPES and (r.data or r.uri)), None)


def priority_of(urgency: str, severity: str, certainty: str) -> str:
    """The bulletin priority of an alert (the table in this module's docstring)."""
    if certainty == "Unlikely":
        return "normal"
    if urgency == "Immediate" and severity in ("Extreme", "Severe"):
        return "emergency"
    if urgency in ("Immediate", "Expected") and severity in ("Extreme", "Severe", "Moderate"):
        return "priority"
    return "normal"


@cache
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD)))


def _parser() -> etree.XMLParser:
    # No entities, no DTDs, no network: a document from outside cannot make the parser fetch or expand.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def parsed(raw: bytes | etree._Element, refusal: type[ValueError] = InvalidAlert) -> etree._Element:
    """The root element of a document from outside, well-formed and without a DOCTYPE (so without
    entities); `refusal` saying which otherwise. Alerts, POSTed or pulled, and feeds are read so."""
    if isinstance(raw, bytes):
        try:
            root = etree.fromstring(raw, _parser())
        except etree.XMLSyntaxError as exc:
            raise refusal(f"not well-formed XML: {exc}") from None
    else:
        root = raw
    if root.getroottree().docinfo.doctype:
        raise refusal("a DOCTYPE: a CAP alert or feed carries no DTD and no entities")
    return root


def valid_element(raw: bytes | etree._Element) -> etree._Element:
    """The <alert> element of a valid CAP 1.2 document; InvalidAlert naming the element otherwise."""
    root = parsed(raw)
    if root.tag != f"{{{NS}}}alert":
        raise InvalidAlert(f"the root element is <{etree.QName(root).localname}>, not <alert> "
                           f"in the namespace {NS}")
    checker = schema()
    try:
        valid = checker.validate(root)
    except etree.XMLSchemaValidateError as exc:  # libxml2 gives up on what it cannot validate
        raise InvalidAlert(f"not a document the schema can check: {exc}") from None
    if not valid:
        error = checker.error_log.last_error
        raise InvalidAlert(f"line {error.line}: {_plain(error.message)}")
    return root


def _plain(message: str) -> str:
    """libxml2's message with the namespace in braces left out: "Element 'sent': ..."."""
    return message.replace(f"{{{NS}}}", "")


def read_alert(raw: bytes | etree._Element) -> Alert:
    """Validate, then read what this product acts on (the Vietnamese <info>, its areas and audio)."""
    root = valid_element(raw)
    sent = _text(root, "cap:sent")
    for name in ("identifier", "sender"):
        if len(_text(root, f"cap:{name}")) > LONGEST_NAME:
            raise InvalidAlert(f"<{name}>: longer than {LONGEST_NAME} characters")
    info = next((i for i in root.findall("cap:info", _N) if _is_vietnamese(_text(i, "cap:language"))), None)
    common = {"identifier": _text(root, "cap:identifier"), "sender": _text(root, "cap:sender"), "sent": sent,
              "sent_at": _moment(sent, "sent"), "status": _text(root, "cap:status"),
              "msg_type": _text(root, "cap:msgType"), "references": _references(_text(root, "cap:references"))}
    if info is None:
        return Alert(**common)
    expires = _text(info, "cap:expires")
    return Alert(**common, language=_text(info, "cap:language"), headline=_text(info, "cap:headline"),
                 description=_text(info, "cap:description"), instruction=_text(info, "cap:instruction"),
                 urgency=_text(info, "cap:urgency"), severity=_text(info, "cap:severity"),
                 certainty=_text(info, "cap:certainty"),
                 expires=_moment(expires, "expires") if expires else None,
                 areas=tuple(AlertArea(_text(a, "cap:areaDesc"),
                                       tuple(_text(g, "cap:value") for g in a.findall("cap:geocode", _N)))
                             for a in info.findall("cap:area", _N)),
                 resources=tuple(_resource(r) for r in info.findall("cap:resource", _N)))


@dataclass(frozen=True)
class Feed:
    """What a pulled feed holds: its inline alerts, else its entries' links; at most
    FEED_MAX_ALERTS of them, `left_out` the number past it."""

    alerts: tuple[bytes, ...] = ()
    links: tuple[str, ...] = ()
    left_out: int = 0


def read_feed(raw: bytes) -> Feed:
    """An Atom or RSS feed of CAP alerts: the <alert> elements in it (each as a document of its
    own), else the links of its Atom entries (rel alternate) or RSS items. InvalidFeed when it is
    not well-formed XML or has a DOCTYPE; the alerts themselves are read (and refused) one by one."""
    root = parsed(raw, InvalidFeed)
    inline = root.findall(f".//{{{NS}}}alert")
    if inline:
        return Feed(alerts=tuple(etree.tostring(alert, encoding="UTF-8", with_tail=False)
                                  for alert in inline[:FEED_MAX_ALERTS]),
                    left_out=max(0, len(inline) - FEED_MAX_ALERTS))
    links = [link.get("href") for link in root.iter(f"{ATOM}link") if link.get("rel", "alternate") == "alternate"]
    links += [item.findtext("link") for item in root.iter("item")]
    links = [link.strip() for link in links if link and link.strip()]
    return Feed(links=tuple(links[:FEED_MAX_ALERTS]), left_out=max(0, len(links) - FEED_MAX_ALERTS))


def _moment(text: str, element: str) -> datetime:
    """A dateTime the schema passed. XML Schema allows 24:00:00, the end of a day: the next
    day's 00:00:00 (Python's datetime has no hour 24)."""
    try:
        if text[11:19] == "24:00:00":
            return datetime.fromisoformat(f"{text[:11]}00:00:00{text[19:]}") + timedelta(days=1)
        return datetime.fromisoformat(text)
    except ValueError as exc:
        raise InvalidAlert(f"<{element}>: {text!r} is not a date and time: {exc}") from None


def _is_vietnamese(language: str) -> bool:
    return language.lower() in ("vi", "vi-vn")


def _text(node, path: str) -> str:
    return (node.findtext(path, default="", namespaces=_N) or "").strip()


def _references(text: str) -> tuple[tuple[str, str, str], ...]:
    """"sender,identifier,sent" triples separated by spaces."""
    found = []
    for item in text.split():
        parts = item.split(",")
        if len(parts) != 3:
            raise InvalidAlert(f"<references>: {item!r} is not sender,identifier,sent")
        found.append((parts[0], parts[1], parts[2]))
    return tuple(found)


def _resource(node) -> Resource:
    deref = _text(node, "cap:derefUri")
    try:
        data = base64.b64decode(deref, validate=False) if deref else None
    except (binascii.Error, ValueError):
        raise InvalidAlert("<derefUri>: not base64") from None
    return Resource(_text(node, "cap:mimeType").lower(), _text(node, "cap:uri") or None, data,
                    _text(node, "cap:resourceDesc"))
