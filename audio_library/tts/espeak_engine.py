"""espeak-ng as a :class:`~audio_library.tts.engine.TtsEngine`: offline, always there.

Its voice is robotic, but it needs no network, so it is the engine a station falls
back on. The rendering itself is :func:`audio_library.speech.render_espeak`.
"""

from __future__ import annotations

from pathlib import Path

from audio_library.speech import check_speed, render_espeak
from audio_library.tools import ToolFailedError, ToolMissingError
from audio_library.tts.engine import SynthesisError

__all__ = ["ESPEAK_VOICES", "EspeakEngine"]

# espeak-ng's Vietnamese voices: northern (Hà Nội, the default), central, southern.
ESPEAK_VOICES = ("vi", "vi-vn-x-central", "vi-vn-x-south")


class EspeakEngine:
    """Vietnamese speech from espeak-ng at ``speed_wpm`` words per minute."""

    name = "espeak-ng"
    voices = ESPEAK_VOICES

    def __init__(self, speed_wpm: int = 150) -> None:
        check_speed(speed_wpm)
        self.speed_wpm = speed_wpm

    def __repr__(self) -> str:
        return f"EspeakEngine(speed_wpm={self.speed_wpm})"

    @property
    def settings(self) -> dict[str, int]:
        """What shapes the audio besides the voice (part of the synthesis cache key)."""
        return {"speed_wpm": self.speed_wpm}

    def synthesise(self, text: str, out: Path, voice: str) -> Path:
        """Speak ``text`` into the MP3 ``out``; a missing or failing program is a
        :class:`SynthesisError` so that the next engine gets its turn."""
        if voice not in self.voices:
            raise ValueError(f"espeak-ng has no Vietnamese voice {voice!r}; choose one of {', '.join(self.voices)}")
        try:
            return render_espeak(text, out, voice=voice, speed_wpm=self.speed_wpm)
        except (ToolFailedError, ToolMissingError) as exc:
            raise SynthesisError(self.name, str(exc)) from exc
