"""espeak-ng as a :class:`~audio_library.tts.engine.TtsEngine`: offline, always there.

Its voice is robotic, but it needs no network, so it is the engine a station falls
back on. The speaking itself is :func:`audio_library.speech.speak_espeak`: espeak-ng's own
WAV, which the spot's one normalising render turns into the canonical MP3.
"""

from __future__ import annotations

from pathlib import Path

from audio_library.speech import check_pause, check_speed, speak_espeak
from audio_library.tools import ToolFailedError, ToolMissingError
from audio_library.tts.engine import SynthesisError

__all__ = ["ESPEAK_VOICES", "REGION_VOICES", "EspeakEngine"]

# espeak-ng's Vietnamese voices: northern (Hà Nội, the default), central, southern.
ESPEAK_VOICES = ("vi", "vi-vn-x-central", "vi-vn-x-south")
# The voice of each region of audio_library.text_vi.REGIONS (`espeak-ng --voices=vi`).
REGION_VOICES = {"north": "vi", "central": "vi-vn-x-central", "south": "vi-vn-x-south"}


class EspeakEngine:
    """Vietnamese speech from espeak-ng at ``speed_wpm`` words per minute, with ``pause_ms``
    of silence after each sentence (0: espeak-ng's own)."""

    name = "espeak-ng"
    voices = ESPEAK_VOICES

    def __init__(self, speed_wpm: int = 150, pause_ms: int = 0) -> None:
        check_speed(speed_wpm)
        check_pause(pause_ms)
        self.speed_wpm, self.pause_ms = speed_wpm, pause_ms

    def __repr__(self) -> str:
        return f"EspeakEngine(speed_wpm={self.speed_wpm}, pause_ms={self.pause_ms})"

    @property
    def settings(self) -> dict[str, int]:
        """What shapes the audio besides the voice (part of the synthesis cache key)."""
        return {"speed_wpm": self.speed_wpm, "pause_ms": self.pause_ms}

    def synthesise(self, text: str, out: Path, voice: str) -> Path:
        """Speak ``text`` into the WAV ``out``; a missing or failing program is a
        :class:`SynthesisError` so that the next engine gets its turn."""
        if voice not in self.voices:
            raise ValueError(f"espeak-ng has no Vietnamese voice {voice!r}; choose one of {', '.join(self.voices)}")
        try:
            return speak_espeak(text, out, voice=voice, speed_wpm=self.speed_wpm, pause_ms=self.pause_ms)
        except (ToolFailedError, ToolMissingError) as exc:
            raise SynthesisError(self.name, str(exc)) from exc
