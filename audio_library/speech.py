"""Offline text-to-speech with espeak-ng, for scripts voiced without a studio.

espeak-ng runs on the station's own machine with no network, which is what a commune
station can count on. :func:`speak_espeak` keeps espeak-ng's own WAV, for the one
normalising render that makes a spot of it (with its jingles); :func:`render_espeak`
is that render for speech alone: a canonical MP3 at the loudness target (see
:mod:`audio_library.canonical`), handled exactly like an uploaded file afterwards.
:func:`listening_mp3` is the quick plain encode for hearing speech before it is voiced.

:func:`checked_text` is shared by every engine in :mod:`audio_library.tts`: what counts
as speakable text must not depend on which engine happens to be reachable.
"""

from __future__ import annotations

import re
import tempfile
import unicodedata
from pathlib import Path
from xml.sax.saxutils import escape

from audio_library.canonical import to_canonical
from audio_library.files import atomic_output
from audio_library.tools import run_tool

__all__ = ["MAX_PAUSE_MS", "MAX_SPEED_WPM", "MIN_SPEED_WPM", "check_pause", "check_speed", "checked_text",
           "listening_mp3", "render_espeak", "speak_espeak"]

# espeak-ng's own range for -s (words per minute).
MIN_SPEED_WPM = 80
MAX_SPEED_WPM = 450
# The longest pause between sentences (milliseconds): longer sounds like a fault on air.
MAX_PAUSE_MS = 3000

# Where a sentence ends: after . ! ? … followed by space, or at a line break.
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\s*\n\s*")

# Voice names as espeak-ng spells them: "vi", "vi-vn-x-south", "en+f3".
_VOICE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_+-]*")


def render_espeak(text: str, out: Path, voice: str = "vi", speed_wpm: int = 150, pause_ms: int = 0) -> Path:
    """Speak ``text`` with espeak-ng into the canonical MP3 file ``out`` and return ``out``.

    The speech is rendered once, from espeak-ng's WAV, at the default loudness target.
    ``out`` appears only once complete, so on any failure it is left as it was.
    """
    out = Path(out)
    with tempfile.TemporaryDirectory(prefix="espeak-") as work:
        wav = speak_espeak(text, Path(work) / "speech.wav", voice, speed_wpm, pause_ms)
        return to_canonical(wav, out).path


def speak_espeak(text: str, out: Path, voice: str = "vi", speed_wpm: int = 150, pause_ms: int = 0) -> Path:
    """Speak ``text`` with espeak-ng into the WAV file ``out`` (its own output) and return ``out``.

    ``pause_ms`` is the silence after each sentence, instead of espeak-ng's own (about
    0.4 s; 0 keeps it): the text goes as SSML with a ``<break>`` at each sentence end
    (espeak-ng's ``-g`` would stretch the gap between every word instead). ``out`` appears only once
    complete: espeak-ng writes a temp file next to it, renamed over it, so on any
    failure ``out`` is left as it was. The text reaches espeak-ng on stdin, never on a
    command line or through a shell.
    """
    out = Path(out)
    script = checked_text(text)
    _check_voice_name(voice)
    check_speed(speed_wpm)
    check_pause(pause_ms)
    command = ["espeak-ng", "--stdin", "-b", "1", "-v", voice, "-s", str(speed_wpm)]
    if pause_ms:
        command.append("-m")
        pause = f'<break time="{pause_ms}ms"/> '
        script = f"<speak>{_SENTENCE_END.sub(pause, escape(script))}</speak>"
    with atomic_output(out) as temp:
        run_tool([*command, "-w", temp], stdin=script.encode("utf-8"))
    return out


def listening_mp3(src: Path, out: Path) -> Path:
    """Encode speech ``src`` into the MP3 ``out`` (44.1 kHz mono, 128 kbit/s) as it is: one
    encode, no loudness work, for a preview that must come quickly. ``out`` appears only once complete."""
    out = Path(out)
    with atomic_output(out) as temp:
        run_tool(["ffmpeg", "-nostdin", "-v", "error", "-y", "-i", src, "-ar", "44100", "-ac", "1",
                  "-c:a", "libmp3lame", "-b:a", "128k", "-f", "mp3", temp])
    return out


def checked_text(text: str) -> str:
    """The text an engine should speak: NFC-composed and stripped; ValueError if none.

    Vietnamese pasted from some editors arrives decomposed (NFD). Text without a
    single letter or digit ("...", "!!!") is refused too: gTTS fails on it with an
    assertion and espeak-ng speaks silence, neither of which is a spot worth airing.
    """
    script = unicodedata.normalize("NFC", text).strip()
    if not script:
        raise ValueError("text to speak is empty")
    if not any(unicodedata.category(char)[0] in "LN" for char in script):
        raise ValueError(f"text to speak has no letters or digits: {script[:40]!r}")
    return script


def check_speed(speed_wpm: int) -> None:
    """Refuse a speaking rate espeak-ng would silently clamp."""
    if not MIN_SPEED_WPM <= speed_wpm <= MAX_SPEED_WPM:
        raise ValueError(
            f"speed_wpm must be between {MIN_SPEED_WPM} and {MAX_SPEED_WPM}, got {speed_wpm}"
        )


def check_pause(pause_ms: int) -> None:
    """Refuse a pause between sentences below 0 or above MAX_PAUSE_MS."""
    if not 0 <= pause_ms <= MAX_PAUSE_MS:
        raise ValueError(f"pause_ms must be between 0 and {MAX_PAUSE_MS}, got {pause_ms}")


def _check_voice_name(voice: str) -> None:
    """Refuse a voice name espeak-ng would misread (one looking like an option)."""
    if not _VOICE_NAME.fullmatch(voice):
        raise ValueError(f"not an espeak-ng voice name: {voice!r}")
