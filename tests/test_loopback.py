"""The test servers close what the app answered even when the client drops the connection midway
(a browser cancelling an audio request): werkzeug alone skips that close when the drop is a reset."""
from __future__ import annotations

import socket
import struct
import threading

from tests.loopback import serving, wsgi_server


class Answer:
    """A short answer whose end waits until the client has reset the connection, and notes when
    it is closed."""

    def __init__(self, reset: threading.Event):
        self.reset, self.closed = reset, threading.Event()

    def __iter__(self):
        yield b"ID3.."
        self.reset.wait(10)

    def close(self):
        self.closed.set()


def test_an_answer_is_closed_when_the_client_resets_the_connection():
    reset, answers = threading.Event(), []

    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "audio/mpeg"), ("Content-Length", "5")])
        answers.append(Answer(reset))
        return answers[-1]

    with serving(wsgi_server(app)) as base:
        port = int(base.rsplit(":", 1)[1])
        client = socket.create_connection(("127.0.0.1", port))
        client.sendall(b"GET /a.mp3 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert client.recv(4096).startswith(b"HTTP/1.1 200")
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close = reset
        client.close()
        reset.set()
        assert answers and answers[0].closed.wait(10)
