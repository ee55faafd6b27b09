"""What a text-to-speech engine is, trying engines in order, and the synthesis cache key.

A station configures an order (gTTS first for its more natural voice, espeak-ng
when the internet is down); :func:`synthesise_with_fallback` walks it and says which
engine spoke, because the episode records that. Engines report a failure they
cannot help (no network, a service error, a missing program) as
:class:`SynthesisError`; anything else (blank text, a voice the engine lacks) is the
caller's mistake and is raised at once, before any engine is tried.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Protocol

from audio_library.canonical import CANONICAL_FORMAT, DEFAULT_TARGET_LUFS, DEFAULT_TRUE_PEAK_DB
from audio_library.speech import checked_text

__all__ = [
    "AllEnginesFailedError",
    "SynthesisError",
    "TtsEngine",
    "synthesis_cache_key",
    "synthesise_with_fallback",
]

log = logging.getLogger(__name__)

# Bump when the meaning of a cached spot changes in a way the key's fields miss
# (say, a new mixing rule for jingles), so that old spots are voiced afresh.
# 2: the engine's settings (espeak-ng's speed, gTTS's domain) joined the key.
# 3: the region whose word choices the text follows (and espeak-ng's pause) joined the key.
CACHE_KEY_VERSION = 3

_SHA256_HEX = re.compile(r"[0-9a-f]{64}")


class TtsEngine(Protocol):
    """A text-to-speech backend; ``voices`` lists what it speaks, the default first.

    ``settings`` holds every setting besides the voice that shapes the audio (text,
    numbers, yes/no), so that the synthesis cache key can include them; settings that do
    not change the audio (timeouts, retries) stay out, or they would only defeat the cache.
    """

    name: str
    voices: tuple[str, ...]

    @property
    def settings(self) -> Mapping[str, str | int | float | bool]: ...

    def synthesise(self, text: str, out: Path, voice: str) -> Path:
        """Speak ``text`` into the audio file ``out`` (any format ffmpeg decodes).

        ``out`` appears only when complete. Raises :class:`SynthesisError` when the
        engine cannot work now, ValueError for text or a voice it never accepts.
        """


class SynthesisError(RuntimeError):
    """An engine could not voice the text (offline, service error, program missing)."""

    def __init__(self, engine: str, message: str) -> None:
        super().__init__(f"{engine}: {message}")
        self.engine = engine


class AllEnginesFailedError(RuntimeError):
    """Every configured engine failed; ``failures`` keeps each one's error, in order."""

    def __init__(self, failures: Sequence[SynthesisError]) -> None:
        reasons = "; ".join(str(failure) for failure in failures)
        super().__init__(f"no text-to-speech engine could voice the text ({reasons})")
        self.failures = tuple(failures)


def synthesise_with_fallback(
    engines: Sequence[TtsEngine], text: str, out: Path, voice_for: Mapping[str, str]
) -> tuple[Path, str]:
    """Voice ``text`` into ``out`` with the first engine that works; return (out, its name).

    ``voice_for`` maps engine names to voices; an engine it does not name speaks
    its default voice. Nothing is left at ``out`` unless an engine succeeded.
    """
    if not engines:
        raise ValueError("no text-to-speech engine configured")
    checked_text(text)
    voices = [_voice(engine, voice_for) for engine in engines]
    failures: list[SynthesisError] = []
    for engine, voice in zip(engines, voices):
        try:
            return engine.synthesise(text, out, voice), engine.name
        except SynthesisError as failure:
            log.warning("text-to-speech falling back: %s", failure)
            failures.append(failure)
    raise AllEnginesFailedError(failures)


def _voice(engine: TtsEngine, voice_for: Mapping[str, str]) -> str:
    """The configured voice of ``engine``, checked up front so a typo in the fallback
    engine's voice shows today rather than on the day the internet goes down."""
    voice = voice_for.get(engine.name, engine.voices[0])
    if voice not in engine.voices:
        raise ValueError(
            f"{engine.name} has no voice {voice!r}; choose one of {', '.join(engine.voices)}"
        )
    return voice


def synthesis_cache_key(
    normalised_text: str,
    engine: TtsEngine,
    voice: str,
    jingle_hashes: Sequence[str | None],
    *,
    region: str = "north",
    target_lufs: float = DEFAULT_TARGET_LUFS,
    true_peak_db: float = DEFAULT_TRUE_PEAK_DB,
) -> str:
    """sha256 hex naming a finished spot, so an unchanged script is not voiced again.

    The engine counts by its name and its ``settings`` (espeak-ng at another speed is
    another spot). ``region`` is the region the text was read for (its word choices and
    voice): an engine with one voice for every region (gTTS) still never serves one region's
    spot to another. ``jingle_hashes`` are the sha256 of the jingles by position, ``None``
    for a missing one: (intro, outro) = (H, None) and (None, H) are different spots. The
    canonical format and loudness settings are part of the key because they shape
    the audio too. The fields are JSON-encoded, so no text can imitate a separator.
    """
    for digest in jingle_hashes:
        if digest is not None and not _SHA256_HEX.fullmatch(digest):
            raise ValueError(f"not a sha256 digest (64 lowercase hex digits): {digest!r}")
    fields = [
        CACHE_KEY_VERSION, CANONICAL_FORMAT.id, unicodedata.normalize("NFC", normalised_text),
        engine.name, _settings(engine), voice, region, list(jingle_hashes), target_lufs, true_peak_db,
    ]
    encoded = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def _settings(engine: TtsEngine) -> list[list]:
    """The engine's settings as [name, value] pairs in name order, each a plain value."""
    pairs = sorted(engine.settings.items())
    for name, value in pairs:
        if not isinstance(value, (str, int, float, bool)):
            raise ValueError(f"{engine.name}: setting {name!r} is of type {type(value).__name__}, not text, "
                             "a number or a yes/no, so the synthesis cache key cannot include it")
    return [list(pair) for pair in pairs]
