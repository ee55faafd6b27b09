"""A TCP relay between the receiver and the served app on loopback: the network link a test
can take down, or cut in the middle of an answer, the way a 3G link fails in a village."""
from __future__ import annotations

import socket
import threading

METHODS = {b"GET", b"HEAD", b"POST", b"PUT", b"PATCH", b"DELETE"}


class Link:
    """Forwards 127.0.0.1:<port> to `upstream`. `down()` drops every connection and refuses new
    ones; `cut_after(marker, keep)` closes the next answer `keep` bytes after `marker` appears."""

    def __init__(self, upstream: str):
        host, port = upstream.removeprefix("http://").split(":")
        self.upstream = (host, int(port))
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.is_up = True
        self.marker, self.keep = None, 0
        self.answers: list[bytes] = []  # the status line of every answer forwarded
        self.requests: list[bytes] = []  # the request line of every request forwarded
        self.sockets: set[socket.socket] = set()
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def down(self) -> None:
        with self.lock:
            self.is_up = False
            for sock in list(self.sockets):
                _close(sock)
            self.sockets.clear()

    def up(self) -> None:
        self.is_up = True

    def cut_after(self, marker: bytes, keep: int) -> None:
        self.marker, self.keep = marker, keep

    def close(self) -> None:
        self.down()
        self.listener.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.is_up:
                _close(client)
                continue
            server = socket.create_connection(self.upstream)
            with self.lock:
                self.sockets |= {client, server}
            threading.Thread(target=self._pump, args=(client, server, False), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, True), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket, is_answer: bool) -> None:
        remaining = None
        try:
            while chunk := source.recv(65536):
                if is_answer and chunk.startswith(b"HTTP/"):
                    self.answers.append(chunk.split(b"\r\n", 1)[0])
                elif not is_answer and chunk.split(b" ", 1)[0] in METHODS:
                    self.requests.append(chunk.split(b"\r\n", 1)[0])
                if is_answer and remaining is None and self.marker and self.marker in chunk:
                    remaining = chunk.index(self.marker) + self.keep
                    self.marker = None
                if remaining is not None:
                    target.sendall(chunk[:remaining])
                    remaining -= len(chunk)
                    if remaining <= 0:
                        break
                else:
                    target.sendall(chunk)
        except OSError:
            pass
        _close(source)
        _close(target)


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()
