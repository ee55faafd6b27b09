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
        self.connections: set[_Connection] = set()
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def down(self) -> None:
        """Refuse new connections and cut the open ones (their pumps close them as they stop)."""
        with self.lock:
            self.is_up = False
            for connection in self.connections:
                connection.cut()

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
            connection = _Connection(client, socket.create_connection(self.upstream))
            with self.lock:
                self.connections.add(connection)
            for source, target, is_answer in ((client, connection.server, False), (connection.server, client, True)):
                threading.Thread(target=self._pump, args=(connection, source, target, is_answer), daemon=True).start()

    def _pump(self, connection: _Connection, source: socket.socket, target: socket.socket, is_answer: bool) -> None:
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
        with self.lock:
            if connection.stopped():
                self.connections.discard(connection)


class _Connection:
    """A client's connection and the relay's own to the server, pumped by two threads.

    A socket is closed only once both pumps have stopped, and under the relay's lock: closed
    while the other pump still used it, its file descriptor could be handed to the next
    connection at once, and that pump's late shutdown() or recv() would then cut or read the
    next request (the receiver's heartbeat right after its play logs, "Remote end closed
    connection without response"). Until then a pump that stops only shuts both down, which
    wakes the other one."""

    def __init__(self, client: socket.socket, server: socket.socket):
        self.client, self.server = client, server
        self.running = 2

    def cut(self) -> None:
        for sock in (self.client, self.server):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def stopped(self) -> bool:
        """One pump has stopped (the caller holds the lock): cut both ways, and close both
        sockets when it was the last one; True then."""
        self.cut()
        self.running -= 1
        if self.running:
            return False
        self.client.close()
        self.server.close()
        return True


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()
