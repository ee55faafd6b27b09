"""A local stand-in for Google's TTS endpoint, and a guard that no test leaves 127.0.0.1.

gTTS is pointed at the fake by patching its URL builder (``gtts.tts._translate_url``);
everything else (requests, gTTS's parsing of the answer) is the real code. The guard
wraps requests' transport, so a test that would reach the internet fails instead.
"""

from __future__ import annotations

import base64
import socket
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import gtts.tts
import pytest
import requests.adapters

from tests.loopback import serving

_PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")


@pytest.fixture(autouse=True)
def only_localhost(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every URL requests sends, in order; anything but 127.0.0.1 fails the test."""
    for name in _PROXY_VARIABLES:  # a proxy would carry 127.0.0.1 requests elsewhere
        monkeypatch.delenv(name, raising=False)
    sent: list[str] = []
    real_send = requests.adapters.HTTPAdapter.send

    def send(adapter, request, *args, **kwargs):
        sent.append(request.url)
        assert urlsplit(request.url).hostname == "127.0.0.1", f"test tried to reach {request.url}"
        return real_send(adapter, request, *args, **kwargs)

    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", send)
    return sent


@pytest.fixture(scope="session")
def google_mp3(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """One second of tone in the format Google answers with (24 kHz mono MP3, 32k)."""
    out = tmp_path_factory.mktemp("google") / "answer.mp3"
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


@pytest.fixture
def fake_google(google_mp3: bytes, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGoogle]:
    """A running fake on 127.0.0.1 with gTTS pointed at it."""
    google = FakeGoogle(google_mp3)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(google))
    server.daemon_threads = True
    with serving(server) as base:
        monkeypatch.setattr(gtts.tts, "_translate_url", lambda tld="com", path="": f"{base}/{path}")
        yield google
        google.released.set()


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> str:
    """gTTS pointed at a closed port on 127.0.0.1: the connection is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    monkeypatch.setattr(gtts.tts, "_translate_url", lambda tld="com", path="": f"{base}/{path}")
    return base


@pytest.fixture
def sleeps() -> list[float]:
    """Pass ``sleeps.append`` as an engine's sleep: back-off recorded, never waited."""
    return []

