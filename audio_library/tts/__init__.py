"""Text-to-speech engines behind one interface, with fallback and a cache key.

The engines: :class:`GttsEngine` (Google, natural voice, needs the internet) and
:class:`EspeakEngine` (espeak-ng, offline). Text should already be normalised for
reading aloud (``audio_library.text_vi``); the audio an engine writes is not yet
canonical: pass it through :func:`audio_library.jingles.join_with_jingles`.
"""

from audio_library.tts.engine import (
    AllEnginesFailedError,
    SynthesisError,
    TtsEngine,
    synthesis_cache_key,
    synthesise_with_fallback,
)
from audio_library.tts.espeak_engine import ESPEAK_VOICES, REGION_VOICES, EspeakEngine


__all__ = [
    "AllEnginesFailedError",
    "ESPEAK_VOICES",
    "EspeakEngine",
    "GttsEngine",
    "REGION_VOICES",
    "SynthesisError",
    "TtsEngine",
    "synthesis_cache_key",
    "synthesise_with_fallback",
]


def __getattr__(name: str):
    """GttsEngine on first use: gTTS and requests are not loaded by every command that imports this."""
    if name == "GttsEngine":
        from audio_library.tts.gtts_engine import GttsEngine

        return GttsEngine
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
