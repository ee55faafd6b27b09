"""A local stand-in for Google's TTS endpoint, for the engine's tests and the shell's voicing.

gTTS is pointed at the fake by patching its URL builder (``gtts.tts._translate_url``);
everything else (requests, gTTS's parsing of the answer) is the real code.
"""
from __future__ import annotations

import base64
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import gtts.tts

from tests.loopback import serving


def google_answer_audio(out: Path) -> bytes:
    """One second of tone in the format Google answers with (24 kHz mono MP3, 32k)."""
    subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=300:duration=1",
         "-ar", "24000", "-ac", "1", "-c:a", "libmp3lame", "-b:a", "32k", str(out)],
        check=True, capture_output=True,
    )
    return out.read_bytes()


class FakeGoogle:
    """Answers POSTs with the next of ``replies``, repeating the last one.

    A reply is an HTTP status (200 means a batchexecute answer carrying the audio),
    ``"hang"`` (answer nothing until the test ends) or ``"no-audio"`` (200, no audio).
    """

    def __init__(self, audio: bytes) -> None:
        self.audio = audio
        self.replies: list[int | str] = [200]
        self.paths: list[str] = []
        self.released = threading.Event()

    def next_reply(self, path: str) -> int | str:
        self.paths.append(path)
        return self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]

    def answer_body(self) -> bytes:
        """What gTTS parses: a line holding ``jQ1olc","[\\"<base64 mp3>\\"]``."""
        encoded = base64.b64encode(self.audio).decode("ascii")
        line = '[["wrb.fr","jQ1olc","[\\"' + encoded + '\\"]",null,null,null,"generic"]]'
        return f")]}}'\n\n{len(line)}\n{line}\n".encode("ascii")


def _handler(google: FakeGoogle) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            reply = google.next_reply(self.path)
            if reply == "hang":
                google.released.wait(30)
                return
            body = google.answer_body() if reply == 200 else b")]}'\n"
            self.send_response(200 if reply == "no-audio" else int(reply))
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            """Quiet: the test output is not the place for an access log."""

    return Handler


@contextmanager
def fake_google_serving(audio: bytes, monkeypatch) -> Iterator[FakeGoogle]:
    """A running fake on 127.0.0.1 with gTTS pointed at it (whatever domain it is given)."""
    google = FakeGoogle(audio)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(google))
    server.daemon_threads = True
    with serving(server) as base:
        monkeypatch.setattr(gtts.tts, "_translate_url", lambda tld="com", path="": f"{base}/{path}")
        try:
            yield google
        finally:
            google.released.set()
