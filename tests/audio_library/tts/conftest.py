"""A local stand-in for Google's TTS endpoint (tests/fake_google.py), and a guard that no
test leaves 127.0.0.1.

The guard wraps requests' transport, so a test that would reach the internet fails instead.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from urllib.parse import urlsplit

import gtts.tts
import pytest
import requests.adapters

from tests.fake_google import FakeGoogle, fake_google_serving, google_answer_audio

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
    return google_answer_audio(tmp_path_factory.mktemp("google") / "answer.mp3")


@pytest.fixture
def fake_google(google_mp3: bytes, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGoogle]:
    """A running fake on 127.0.0.1 with gTTS pointed at it."""
    with fake_google_serving(google_mp3, monkeypatch) as google:
        yield google


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

