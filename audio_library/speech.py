"""Offline text-to-speech with espeak-ng, for scripts voiced without a studio.

espeak-ng runs on the station's own machine with no network, which is what a commune
station can count on. Its WAV is converted to the broadcast format every other
programme uses (MP3, 44.1 kHz, mono, constant 128 kbit/s), so a voiced script is
handled exactly like an uploaded one afterwards.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path

from audio_library.tools import run_tool

__all__ = ["render_espeak"]

# espeak-ng's own range for -s (words per minute).
MIN_SPEED_WPM = 80
MAX_SPEED_WPM = 450

# Voice names as espeak-ng spells them: "vi", "vi-vn-x-south", "en+f3".
_VOICE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_+-]*")


def render_espeak(text: str, out: Path, voice: str = "vi", speed_wpm: int = 150) -> Path:
    """Speak ``text`` with espeak-ng into the MP3 file ``out`` and return ``out``.

    ``out`` appears only once complete: the MP3 is written to a temp file next to
    it and renamed over it, so on any failure ``out`` is left as it was. The text
    reaches espeak-ng on stdin, never on a command line or through a shell.
    """
    out = Path(out)
    script = _checked_text(text)
    _check_voice(voice, speed_wpm)
    with tempfile.TemporaryDirectory(prefix="espeak-") as work:
        wav = Path(work) / "speech.wav"
        run_tool(
            ["espeak-ng", "--stdin", "-b", "1", "-v", voice, "-s", str(speed_wpm), "-w", wav],
            stdin=script.encode("utf-8"),
        )
        _encode_mp3_atomically(wav, out)
    return out


def _checked_text(text: str) -> str:
    """Refuse blank text; compose Vietnamese diacritics (NFD input is common)."""
    script = unicodedata.normalize("NFC", text).strip()
    if not script:
        raise ValueError("text to speak is empty")
    return script


def _check_voice(voice: str, speed_wpm: int) -> None:
    """Refuse settings espeak-ng would misread (a voice looking like an option)."""
    if not _VOICE_NAME.fullmatch(voice):
        raise ValueError(f"not an espeak-ng voice name: {voice!r}")
    if not MIN_SPEED_WPM <= speed_wpm <= MAX_SPEED_WPM:
        raise ValueError(
            f"speed_wpm must be between {MIN_SPEED_WPM} and {MAX_SPEED_WPM}, got {speed_wpm}"
        )


def _encode_mp3_atomically(wav: Path, out: Path) -> None:
    """Convert ``wav`` to the broadcast MP3 at ``out`` via a temp file and a rename."""
    fd, temp_name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".part")
    os.close(fd)
    temp = Path(temp_name)
    try:
        run_tool(
            ["ffmpeg", "-nostdin", "-v", "error", "-y", "-i", wav,
             "-ar", "44100", "-ac", "1", "-c:a", "libmp3lame", "-b:a", "128k",
             "-f", "mp3", temp],
        )
        os.replace(temp, out)
    finally:
        temp.unlink(missing_ok=True)
