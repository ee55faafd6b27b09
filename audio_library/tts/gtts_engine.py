"""Google's text-to-speech through gTTS, made safe to call from a job.

gTTS on its own waits forever for an answer, gives up at the first HTTP 429 and
leaves a 0-byte file behind on failure. Here every request has a timeout; "too many
requests", server errors and answers that never came are retried a bounded number
of times with exponential back-off (the sleep is injected, so tests do not wait);
a connection that cannot be made at all (no network, DNS failure) is not retried,
because the offline engine is the right answer then, not a minute of waiting. The
MP3 is written to a temp file and moved into place only when complete.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import requests
from gtts import gTTS, gTTSError
from gtts.lang import tts_langs

from audio_library.files import atomic_output
from audio_library.speech import checked_text
from audio_library.tts.engine import SynthesisError

__all__ = ["GttsEngine"]


class GttsEngine:
    """gTTS with a timeout, bounded retries and back-off; speaks the language ``lang``.

    ``retries`` is the number of attempts after the first; the n-th retry waits
    ``min(backoff_s * 2**(n-1), max_backoff_s)`` seconds via ``sleep``.
    """

    name = "gtts"

    def __init__(
        self,
        *,
        lang: str = "vi",
        tld: str = "com",
        timeout_s: float = 10.0,
        retries: int = 3,
        backoff_s: float = 1.0,
        max_backoff_s: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if lang not in tts_langs():
            raise ValueError(f"gTTS does not speak the language {lang!r}")
        if timeout_s <= 0:
            raise ValueError(f"timeout_s must be positive, got {timeout_s}")
        if retries < 0:
            raise ValueError(f"retries must be 0 or more, got {retries}")
        if backoff_s < 0 or max_backoff_s < backoff_s:
            raise ValueError(f"need 0 <= backoff_s <= max_backoff_s, got {backoff_s} and {max_backoff_s}")
        self.voices = (lang,)
        self.tld, self.timeout_s, self.retries = tld, timeout_s, retries
        self.backoff_s, self.max_backoff_s, self.sleep = backoff_s, max_backoff_s, sleep

    def __repr__(self) -> str:
        return f"GttsEngine(lang={self.voices[0]!r}, timeout_s={self.timeout_s}, retries={self.retries})"

    @property
    def settings(self) -> dict[str, str]:
        """What shapes the audio besides the voice (part of the synthesis cache key): the
        Google domain, which picks the accent for some languages. Timeouts and retries don't."""
        return {"tld": self.tld}

    def synthesise(self, text: str, out: Path, voice: str) -> Path:
        """Speak ``text`` into the MP3 ``out`` (24 kHz mono, as Google sends it)."""
        script = checked_text(text)
        if voice not in self.voices:
            raise ValueError(f"this gTTS engine speaks {self.voices[0]!r}, not {voice!r}")
        out = Path(out)
        with atomic_output(out) as temp:
            self._fetch(gTTS(script, lang=voice, tld=self.tld, timeout=self.timeout_s), temp)
        return out

    def _fetch(self, tts: gTTS, temp: Path) -> None:
        """Download into ``temp``, retrying transient failures; SynthesisError at the end."""
        attempt = 1
        while True:
            try:
                self._fetch_once(tts, temp)
                return
            except gTTSError as exc:
                why, transient = _describe(exc, self.timeout_s)
                if not transient or attempt > self.retries:
                    tries = f" after {attempt} attempts" if attempt > 1 else ""
                    raise SynthesisError(self.name, f"{why}{tries}") from exc
            self.sleep(min(self.backoff_s * 2 ** (attempt - 1), self.max_backoff_s))
            attempt += 1

    def _fetch_once(self, tts: gTTS, temp: Path) -> None:
        """One try; truncates ``temp`` so a retry never appends to a failed try's bytes."""
        with open(temp, "wb") as sink:
            tts.write_to_fp(sink)
        if temp.stat().st_size == 0:
            raise gTTSError("Google's answer held no audio")


def _describe(exc: gTTSError, timeout_s: float) -> tuple[str, bool]:
    """What went wrong, for people, and whether trying again may help."""
    if exc.rsp is not None:
        status = exc.rsp.status_code
        if status < 400:
            return "Google's answer held no audio", False
        return f"HTTP {status} {exc.rsp.reason} from Google", status == 429 or status >= 500
    cause = exc.__context__
    if isinstance(cause, requests.exceptions.ConnectionError):
        return "could not connect to Google (offline?)", False
    if isinstance(cause, requests.exceptions.Timeout):
        return f"no answer from Google within {timeout_s:g} s", True
    return str(exc), False
