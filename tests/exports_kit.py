"""What the export tests share: canonical test audio, a sample day, and the real outside
checkers (mpv, ffprobe, ical.js under node, a loopback HTTP server for relay streams).

A checker that is not installed skips its test with the reason, except under CI
(``CI=true``), where a skipped check would hide a missing install step, so it fails.
"""

from __future__ import annotations

import functools
import itertools
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from audio_library.canonical import to_canonical
from tests.loopback import serving
from schedules.exports.model import DayPlaylist, PlayItem, WindowInfo

TZ = "Asia/Ho_Chi_Minh"
ZONE = ZoneInfo(TZ)
DAY = date(2024, 5, 14)  # a Tuesday ("Thứ 3")
JS_DIR = Path(__file__).resolve().parent / "js"
MPV = ("mpv", "--no-config", "--ao=null", "--ao-null-untimed", "--vo=null", "--untimed",
       "--no-terminal")
# A title with everything the writers must escape or keep: XML/HTML specials, a comma
# (the EXTINF separator), a slash, and Vietnamese in both normalisation forms.
TRICKY_TITLE = 'Bản tin "Thứ 3" <số 20>, A & B / Chuyển đổi số'


def require_tool(name: str) -> str:
    """The tool's path; skip without it, but fail under CI."""
    found = shutil.which(name)
    if found is None:
        package = {"node": "nodejs"}.get(name, name)
        message = f"{name} is not installed (apt-get install {package}); this check needs it"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


def canonical_tone(folder: Path, name: str, seconds: float, frequency: int) -> Path:
    """A tone in the library's canonical format; its level is near the loudness target,
    so that ``to_canonical`` needs a single render."""
    raw = folder / f"{name}.wav"
    subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
         f"aevalsrc=0.2*sin(2*PI*{frequency}*t):s=44100:d={seconds}", str(raw)],
        check=True, capture_output=True)
    out = folder / f"{name}.mp3"
    to_canonical(raw, out)
    raw.unlink()
    return out


def shared_tones(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], list[float]]:
    """Three canonical tones (2, 3 and 1.5 s), made once per test session."""
    folder = tmp_path_factory.getbasetemp() / "export-tones"
    spec = (("a", 2.0, 440), ("b", 3.0, 660), ("c", 1.5, 880))
    if not folder.is_dir():
        making = folder.with_name("export-tones.part")
        making.mkdir(exist_ok=True)
        for name, seconds, frequency in spec:
            canonical_tone(making, name, seconds, frequency)
        making.rename(folder)
    return [folder / f"{name}.mp3" for name, _, _ in spec], [seconds for _, seconds, _ in spec]


def at(hour: int, minute: int, second: float = 0) -> datetime:
    return datetime.combine(DAY, time(hour, minute), ZONE) + timedelta(seconds=second)


def item(number: int, start: datetime, seconds: float, **fields) -> PlayItem:
    """A planned episode entry with a stable UUID; ``fields`` override anything."""
    values = dict(id=f"00000000-0000-4000-8000-{number:012d}", start=start,
                  end=start + timedelta(seconds=seconds), window="sang", kind="episode",
                  title=f"Tin số {number}", series_code="CDS",
                  series_title="Chuyển đổi số", requirement="CDS-TUAN", priority="normal",
                  duration_s=seconds)
    return PlayItem(**(values | fields))


def sample_day(tones: Sequence[Path], durations: Sequence[float], relay_url: str) -> DayPlaylist:
    """Tuesday 14/05/2024 at xã Thanh Kỳ, two short windows holding every kind of item:
    a relay, episodes with gaps between them, an episode aired twice, a reservation
    nobody filled, a cancelled entry, a bulletin, a live block."""
    a, b, c = tones
    da, db, dc = durations
    sang = WindowInfo("sang", at(5, 30), at(5, 31))
    chieu = WindowInfo("chieu", at(17, 0), at(17, 1))
    items = (
        item(1, at(5, 30), 4, kind="relay", title="Tiếp sóng VOV1", source=relay_url,
             series_code=None, series_title=None, requirement=None, priority=None),
        item(2, at(5, 30, 5), da, media_path=a, sha256="a" * 64, title=TRICKY_TITLE),
        item(3, at(5, 30, 8), 2, kind="reservation", title="Dành chỗ: Chuyển đổi số"),
        item(4, at(5, 30, 11), db, media_path=b, sha256="b" * 64, episode_code="CDS-20",
             priority="priority"),
        item(5, at(5, 30, 15), 1, media_path=c, status="cancelled", title="Tin đã huỷ"),
        item(6, at(5, 30, 16), dc, media_path=c, kind="bulletin", title="Thông báo tiêm chủng",
             series_code=None, series_title=None, requirement=None, priority=None),
        item(7, at(17, 0), da, window="chieu", media_path=a, sha256="a" * 64,
             title=TRICKY_TITLE),
        item(8, at(17, 0, 3), 2, window="chieu", kind="live", title="Chủ tịch xã phát biểu",
             series_code=None, series_title=None, requirement=None, priority=None),
        item(9, at(17, 0, 6), db, window="chieu", media_path=b, sha256="b" * 64),
    )
    return DayPlaylist("thanhky", "Đài truyền thanh xã Thanh Kỳ", DAY, TZ,
                       (sang, chieu), items, schedule_version=7)


@dataclass(frozen=True)
class Played:
    """How an mpv run ended, and which entries it played to their end, from its log."""

    returncode: int
    played: list[str]
    log: str


def run_mpv(playlist: Path) -> Played:
    """Play a playlist as fast as mpv decodes; non-zero when an entry fails."""
    binary = require_tool("mpv")
    log = playlist.with_name(playlist.name + ".mpv.log")
    done = subprocess.run([binary, *MPV[1:], f"--log-file={log}", f"--playlist={playlist}"],
                          capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
                          check=False)
    text = log.read_text(encoding="utf-8", errors="replace")
    entries = re.findall(r"\[cplayer\] (?:Playing: (.*)|finished playback, (success))", text)
    finished = [opened for (opened, _), (_, ok) in itertools.pairwise(entries) if opened and ok]
    return Played(done.returncode, finished, text)


def probe_duration(path: Path) -> float:
    done = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "json", str(path)],
        check=True, capture_output=True, text=True)
    return float(json.loads(done.stdout)["format"]["duration"])


def probe_tags(path: Path) -> dict[str, str]:
    done = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format_tags", "-of", "json", str(path)],
        check=True, capture_output=True, text=True)
    return json.loads(done.stdout)["format"].get("tags", {})


def icaljs_occurrences(ics: Path, until: datetime) -> list[dict]:
    """Every occurrence up to ``until`` as ical.js reads ``ics``."""
    node = require_tool("node")
    if not (JS_DIR / "node_modules" / "ical.js").is_dir():
        pytest.fail(f"ical.js is not installed: run `npm ci --prefix {JS_DIR}`")
    done = subprocess.run([node, str(JS_DIR / "occurrences.mjs"), str(ics), until.isoformat()],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on the loopback address: a stand-in for a relay's stream server."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    with serving(ThreadingHTTPServer(("127.0.0.1", 0), handler)) as base:
        yield base
