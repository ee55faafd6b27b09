"""The doors hostile input comes through, each as a function of bytes with the one refusal it may
raise, and a structure-aware hypothesis strategy of inputs that get past the first checks.

Shared by the short fuzz tests (tests/fuzz/test_doors.py) and the long run (benchmarks/fuzz.py,
which also drives each door's ``run`` with atheris). A door's property: ``run`` returns, or
raises its ``refusal``; anything else, or a run past HANG_BOUND_S, is a crash.
"""
from __future__ import annotations

import functools
import io
import json
import signal
import struct
import subprocess
import tempfile
import zipfile
from xml.sax.saxutils import escape, quoteattr
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import yaml
from hypothesis import strategies as st

from audio_library import NotAudioError, probe
from audio_library.text_vi import REGIONS, reading_vi
from radio.api.schemas import Invalid
from radio.cap.document import FEED_MAX_ALERTS, InvalidAlert, InvalidFeed, read_alert, read_feed
from radio.devices.schemas import load_heartbeat, load_playlogs
from schedules.drafting import DraftError, read_document
from schedules.planfile import PlanFileError, load_plan
from tests.radio.cap.cap_kit import storm

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "tests" / "fuzz_cases"  # every crash found, kept: tests/fuzz/test_doors.py replays them
HANG_BOUND_S = 60  # far past any input's honest reading time (the probe's decode time-out is 300 s on 200 MB)
AUDIO_MAX_BYTES = 2 * 1024 * 1024
PLAYLOG_BATCH_MAX = 500


class Hang(Exception):
    """An input kept a door busy past HANG_BOUND_S."""


@dataclass(frozen=True)
class Door:
    name: str
    run: Callable[[bytes], object]
    refusal: type[Exception] | tuple[type[Exception], ...]
    structured: st.SearchStrategy[bytes]
    examples: int  # hypothesis examples per strategy in the normal test run: a few seconds


def attempt(door: Door, data: bytes) -> BaseException | None:
    """Run one input: None when the door answered or refused as documented, else what went wrong."""
    def alarm(_signum, _frame):
        raise Hang(f"{door.name}: no answer within {HANG_BOUND_S} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(HANG_BOUND_S)
    try:
        door.run(data)
    except door.refusal:
        return None
    except Exception as crash:  # noqa: BLE001 (anything else is what the fuzzing looks for)
        return crash
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    return None


@functools.cache
def _workdir() -> Path:
    return Path(tempfile.mkdtemp(prefix="fuzz-doors-"))


def _as_file(data: bytes, name: str) -> Path:
    path = _workdir() / name
    path.write_bytes(data)
    return path


# -- the plan reader ---------------------------------------------------------------------

def read_plan(data: bytes) -> object:
    """The file, read as `radio import` reads it: as JSON when it starts with "{", else as YAML."""
    suffix = ".json" if data[:1] == b"{" else ".yaml"
    return load_plan(_as_file(data, "plan" + suffix))


PLAN_KEYS = ["version", "plan", "timezone", "areas", "stations", "devices", "series", "episodes", "requirements",
             "code", "title", "name", "level", "parent", "windows", "start", "end", "airings", "min", "max",
             "period", "days", "audio", "script", "text", "voice", "from", "to", "x-note"]
_SCALARS = (st.sampled_from(["1", "thon-1", "05:30", "2026-01-01", "village", "week", "~", "../../etc/passwd",
                             "/dev/zero", "*a", "&a", "!!python/object:os.system", "'", '"', "-", "? x"])
            | st.text(max_size=30) | st.integers() | st.floats() | st.booleans() | st.none())
_TREES = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.sampled_from(PLAN_KEYS) | st.text(max_size=8), inner, max_size=5),
                      max_leaves=40)
EXAMPLE_PLAN = (ROOT / "examples" / "000-tan-son.yaml").read_bytes()


@st.composite
def _edited(draw, seed: bytes) -> bytes:
    """``seed`` with a few slices cut, repeated or overwritten: a real file, broken in places."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        size = draw(st.integers(0, 64))
        how = draw(st.sampled_from(["cut", "repeat", "write"]))
        if how == "cut":
            del data[at:at + size]
        elif how == "repeat":
            data[at:at] = data[at:at + size] * draw(st.integers(1, 50))
        else:
            data[at:at + size] = draw(st.binary(max_size=size))
    return bytes(data)


def _dumped(tree) -> bytes:
    top = {"version": 1, "plan": tree} if not isinstance(tree, dict) else {"version": 1, **tree}
    return json.dumps(top, default=str).encode() if isinstance(tree, list) else yaml.safe_dump(
        top, allow_unicode=True).encode()


PLAN_INPUTS = (_TREES.map(_dumped) | _edited(EXAMPLE_PLAN)
               | st.integers(1, 3000).map(lambda depth: b"x: " + b"[" * depth + b"]" * depth))


# -- the audio probe ---------------------------------------------------------------------

def probe_audio(data: bytes) -> object:
    return probe(_as_file(data, "upload.bin"), max_bytes=AUDIO_MAX_BYTES, name="upload.bin")


@functools.cache
def audio_seeds() -> tuple[bytes, ...]:
    """A tenth of a second of tone in each container people upload (real ffmpeg)."""
    seeds = []
    for suffix, codec in (("wav", "pcm_s16le"), ("mp3", "libmp3lame"), ("ogg", "libvorbis"), ("m4a", "aac"),
                          ("flac", "flac")):
        out = _workdir() / f"seed.{suffix}"
        subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "sine=d=0.1:sample_rate=8000",
                        "-c:a", codec, str(out)], check=True)
        seeds.append(out.read_bytes())
    return tuple(seeds)


@st.composite
def _wav(draw) -> bytes:
    """A WAV header of any field values (channels, rate, bits) over random samples."""
    channels, rate, bits = draw(st.integers(0, 65535)), draw(st.integers(0, 2**32 - 1)), draw(st.integers(0, 64))
    samples = draw(st.binary(max_size=512))
    fmt = struct.pack("<HHIIHH", draw(st.sampled_from([1, 2, 3, 6, 7, 0x11, 0xFFFE])), channels, rate,
                      rate * channels * bits // 8 % 2**32, channels * bits // 8 % 2**16, bits)
    size = draw(st.integers(0, 2**32 - 1)) if draw(st.booleans()) else len(samples)
    return (b"RIFF" + struct.pack("<I", 36 + len(samples) & 0xFFFFFFFF) + b"WAVEfmt " + struct.pack("<I", 16)
            + fmt + b"data" + struct.pack("<I", size) + samples)


AUDIO_INPUTS = _wav() | st.deferred(lambda: st.sampled_from(audio_seeds()).flatmap(_edited))


# -- the documents for plan drafting -----------------------------------------------------

def read_any_document(data: bytes) -> object:
    """The first byte chooses .docx, .pdf or .txt."""
    suffix = {0: ".docx", 1: ".pdf"}.get(data[0] % 3, ".txt") if data else ".txt"
    return read_document(data[1:], "van-ban" + suffix)


def _docx(paragraphs: list[str], extra: dict[str, bytes]) -> bytes:
    import docx
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    if not extra:
        return out.getvalue()
    rewritten = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as source, \
            zipfile.ZipFile(rewritten, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, extra.get(item.filename, source.read(item.filename)))
    return rewritten.getvalue()


def _pdf(lines: list[str]) -> bytes:
    from fpdf import FPDF
    pdf = FPDF()
    pdf.add_font("DejaVu", fname="/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    pdf.set_font("DejaVu", size=11)
    pdf.add_page()
    for line in lines:
        pdf.multi_cell(0, 6, line.strip() or " ", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


_XML_BITS = st.sampled_from([b"<w:document>", b"<!DOCTYPE x [<!ENTITY a 'aaaa'>]>", b"&a;", b"<w:p>", b"</w:p>",
                             b"<?xml version='1.0'?>", b"\x00", b"<w:t>K\xe1\xba\xbf ho\xe1\xba\xa1ch</w:t>"])
_PARAGRAPHS = st.lists(st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=60),
                       max_size=6)
DOCUMENT_INPUTS = (
    st.builds(lambda p, xml: b"\x00" + _docx(p, {"word/document.xml": xml} if xml else {}), _PARAGRAPHS,
              st.none() | st.lists(_XML_BITS, max_size=8).map(b"".join))
    | st.builds(lambda p: b"\x01" + _pdf(p), _PARAGRAPHS).flatmap(_edited)
    | st.text(max_size=300).map(lambda text: b"\x02" + text.encode("utf-8", "surrogatepass"))
)


# -- the device API's payloads -----------------------------------------------------------

def device_payload(data: bytes) -> object:
    """The JSON body (the API refuses non-JSON before these schemas) as play logs or a heartbeat."""
    try:
        body = json.loads(data[1:])
    except (ValueError, RecursionError):
        return None  # not JSON: parse_json's refusal, tested with the API
    return load_playlogs(body, PLAYLOG_BATCH_MAX) if data[:1] == b"L" else load_heartbeat(body)


_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
                     | st.sampled_from(["2026-11-24T05:30:00+07:00", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
                                        "2026-02-30T00:00:00Z", "-1", "1e400", ""]),
                     lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner,
                                                                                 max_size=4), max_leaves=20)
_PLAYLOG_KEYS = ["uuid", "started_at", "ended_at", "status", "entry_id", "episode", "bulletin", "detail"]
_HEARTBEAT_KEYS = ["volume", "free_disk_bytes", "cached_items", "firmware", "clock_offset_s", "device_time",
                   "uptime_s", "player_running", "now_playing", "last_error", "network"]
DEVICE_INPUTS = (
    st.lists(st.dictionaries(st.sampled_from(_PLAYLOG_KEYS), _JSON), max_size=5).map(
        lambda logs: b"L" + json.dumps(logs).encode())
    | st.dictionaries(st.sampled_from(_HEARTBEAT_KEYS), _JSON | st.dictionaries(
        st.sampled_from(["id", "title", "position_s", "at", "message", "type", "signal_dbm"]), _JSON)).map(
        lambda beat: b"H" + json.dumps(beat).encode())
    | _JSON.map(lambda body: b"L" + json.dumps(body).encode())
)


# -- the Vietnamese text normaliser ------------------------------------------------------

def read_aloud(data: bytes) -> object:
    """Any text in any region: the normaliser refuses nothing."""
    return reading_vi(data[1:].decode("utf-8", "replace"), region=REGIONS[data[0] % 3] if data else "north")


def _text_inputs() -> st.SearchStrategy[bytes]:
    from tests.audio_library.test_text_vi_properties import plan_like  # the fragments plans are made of
    return st.tuples(st.integers(0, 2), plan_like | st.text()).map(
        lambda pair: bytes([pair[0]]) + pair[1].encode("utf-8", "surrogatepass"))


# -- the CAP alert reader -----------------------------------------------------------------

def read_cap(data: bytes) -> object:
    return read_alert(data)


EXAMPLE_ALERT = storm(datetime(2026, 11, 24, 1, 0, tzinfo=timezone.utc))
_BODY = EXAMPLE_ALERT.split(b"?>", 1)[1]
# Entity expansion and external entities: the parser must neither expand nor fetch them.
BILLION_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE alert [<!ENTITY a "hahahahahahahahahaha">'
                  + b"".join(b'<!ENTITY %c "%s">' % (ord("b") + i, (b"&%c;" % (ord("a") + i)) * 10) for i in range(8))
                  + b"]>" + _BODY.replace(b"<headline>C", b"<headline>&i;C", 1))
EXTERNAL_ENTITY = (b'<?xml version="1.0"?><!DOCTYPE alert [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                   + _BODY.replace(b"<headline>C", b"<headline>&x;C", 1))
CAP_INPUTS = st.sampled_from([EXAMPLE_ALERT, BILLION_LAUGHS, EXTERNAL_ENTITY]).flatmap(_edited) \
    | st.sampled_from([BILLION_LAUGHS, EXTERNAL_ENTITY])


# -- the CAP feed reader (the periodic pull of the sources' feeds) -------------------------

class OverLimit(Exception):
    """A feed gave more alerts than FEED_MAX_ALERTS: a crash of the door, not a refusal."""


def read_cap_feed(data: bytes) -> object:
    """A feed as the pull reads it (radio/cap/jobs.py): refused whole (InvalidFeed), or at most
    FEED_MAX_ALERTS alerts and links, each inline alert then read (or refused) on its own."""
    feed = read_feed(data)
    if len(feed.alerts) + len(feed.links) > FEED_MAX_ALERTS:
        raise OverLimit(f"{len(feed.alerts)} alerts and {len(feed.links)} links")
    for alert in feed.alerts:
        try:
            read_alert(alert)
        except InvalidAlert:
            continue  # the pull logs it and takes the next
    return feed


def atom_feed(links: list[str]) -> bytes:
    entries = "".join(f"<entry><id>{n}</id><title>t</title><updated>2026-11-24T04:00:00+07:00</updated>"
                      f"<link rel='alternate' href={quoteattr(href)}/></entry>" for n, href in enumerate(links))
    return ("<?xml version='1.0' encoding='UTF-8'?><feed xmlns='http://www.w3.org/2005/Atom'><id>x</id>"
            f"<title>Cảnh báo</title>{entries}</feed>").encode("utf-8", "surrogatepass")


def rss_feed(links: list[str], alerts: list[bytes] = ()) -> bytes:
    items = [f"<item><title>i</title><link>{escape(link)}</link></item>".encode("utf-8", "surrogatepass")
             for link in links]
    items += [b"<item><title>i</title>" + alert + b"</item>" for alert in alerts]
    return b"<rss version='2.0'><channel><title>c</title>" + b"".join(items) + b"</channel></rss>"


_LINKS = st.lists(st.sampled_from(["https://kttv.thanhhoa.gov.vn/cap/1.xml", "file:///etc/passwd", "", " ",
                                   "http://\u00e9\u00e9..x/a.xml", "http://[::1", "javascript:alert(1)"])
                  | st.text(max_size=40), max_size=FEED_MAX_ALERTS + 30)
FEED_SEEDS = (atom_feed(["https://kttv.thanhhoa.gov.vn/cap/1.xml", "https://kttv.thanhhoa.gov.vn/cap/2.xml"]),
              rss_feed([], [_BODY]),
              BILLION_LAUGHS.split(b"]>", 1)[0].replace(b"DOCTYPE alert", b"DOCTYPE rss") + b"]>"
              + rss_feed([], [_BODY]).replace(b"<title>c</title>", b"<title>&i;</title>", 1))
CAP_FEED_INPUTS = (
    st.sampled_from(FEED_SEEDS).flatmap(_edited)
    | st.builds(lambda links, rss: rss_feed(links) if rss else atom_feed(links), _LINKS, st.booleans())
    | st.builds(lambda n, broken: rss_feed([], [_BODY] * n + broken), st.integers(0, FEED_MAX_ALERTS + 5),
                st.lists(_edited(_BODY), max_size=3))
)


def seeds(door: str) -> list[bytes]:
    """Real inputs of each door, which the long run's atheris starts from (the first byte chooses a
    format, as above); each is read by its door (tests/fuzz/test_doors.py)."""
    if door == "plan_reader":
        return [path.read_bytes() for path in sorted((ROOT / "examples").glob("*.yaml"))]
    if door == "audio_probe":
        return list(audio_seeds())
    if door == "documents":
        text = "Kế hoạch tuyên truyền\n1. Phát 2 lần/tuần từ 01/10/2026".splitlines()
        return [b"\x00" + _docx(text, {}), b"\x01" + _pdf(text), b"\x02" + "\n".join(text).encode()]
    if door == "device_payloads":
        return [b'L[{"uuid": "0b4e7a0e-5bb3-4c3b-9d4a-6a4f2c8f1f11", "started_at": "2026-11-24T05:30:00+07:00", '
                b'"status": "played", "episode": "kh/cds/ep-1"}]',
                b'H{"volume": 80, "network": {"type": "wifi", "signal_dbm": -60}, '
                b'"last_error": {"at": "2026-11-24T05:30:00+07:00", "message": "x"}}']
    if door == "cap_alerts":
        return [EXAMPLE_ALERT, BILLION_LAUGHS, EXTERNAL_ENTITY]
    if door == "cap_feeds":
        return list(FEED_SEEDS)
    if door == "text_normaliser":
        return ["\x00Ngày 10/10/2022, UBND xã phát 2 lần/tuần lúc 5h30; gọi 0912 345 678.".encode()]
    raise KeyError(door)


DOORS = (
    Door("plan_reader", read_plan, PlanFileError, PLAN_INPUTS, 150),
    Door("audio_probe", probe_audio, NotAudioError, AUDIO_INPUTS, 12),
    Door("documents", read_any_document, DraftError, DOCUMENT_INPUTS, 40),
    Door("device_payloads", device_payload, Invalid, DEVICE_INPUTS, 300),
    Door("text_normaliser", read_aloud, (), st.deferred(_text_inputs), 300),
    Door("cap_alerts", read_cap, InvalidAlert, CAP_INPUTS, 150),
    Door("cap_feeds", read_cap_feed, InvalidFeed, CAP_FEED_INPUTS, 150),
)
