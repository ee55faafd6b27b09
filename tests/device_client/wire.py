"""What a receiver's traffic costs on the wire: a TCP relay on loopback that counts, for every
connection through it, the bytes and the segments the kernel itself counted on the receiver's
side (TCP_INFO: payload bytes sent and received, segments in and out, SYN, ACKs and FIN
included), read just before the relay closes it, or live for a connection still open.

What loopback does not show is added explicitly, so the figures hold for a real link:
- TCP/IP headers: 52 bytes a segment (IPv4 20 + TCP 20 + the timestamp option 12);
- segments: loopback carries up to 64 KiB in one, a real link 1,448 bytes (Ethernet/3G MSS),
  so each chunk the relay forwards counts ceil(size / 1448) - 1 segments more;
- TLS: measured as it is (the bytes relayed are the TLS records), with the certificate the test
  made (a small self-signed one); `CHAIN_EXTRA_BYTES` estimates a public CA's chain per full
  handshake (a leaf and an intermediate, about 2.6 KB more than ours).
Link-layer framing (PPP, radio) is not counted.
"""
from __future__ import annotations

import math
import socket
import struct
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

HEADER_BYTES = 52
MSS = 1448
CHAIN_EXTRA_BYTES = 2600
_TCP_INFO_SIZE = 144  # up to tcpi_segs_in (Linux 4.2 on)


@dataclass
class Traffic:
    payload: int = 0  # TCP payload both ways: TLS records (handshakes included)
    segments: int = 0  # as the kernel counted them, plus the splitting loopback spares
    connections: int = 0

    @property
    def wire_bytes(self) -> int:
        """Payload, TCP/IP headers, and a public certificate chain per connection (TLS)."""
        return self.payload + self.segments * HEADER_BYTES + self.connections * CHAIN_EXTRA_BYTES

    def __sub__(self, other: Traffic) -> Traffic:
        return Traffic(self.payload - other.payload, self.segments - other.segments,
                       self.connections - other.connections)


def tcp_counts(sock: socket.socket) -> tuple[int, int]:
    """(payload bytes sent and received, segments out and in) of a connected socket."""
    info = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, _TCP_INFO_SIZE)
    acked, received = struct.unpack_from("QQ", info, 120)
    segs_out, segs_in = struct.unpack_from("II", info, 136)
    return acked + received, segs_out + segs_in


class CountingRelay:
    """Forwards 127.0.0.1:<port> to `upstream` (host, port), counting the receiver's side."""

    def __init__(self, upstream: tuple[str, int]):
        self.upstream = upstream
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.closed = Traffic()
        self.split = 0  # segments a real link would add (chunks over one MSS)
        self.chunks_in = 0  # chunks the receiver sent: one for each small message (an MQTT PINGREQ)
        self.open: set[socket.socket] = set()
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def traffic(self) -> Traffic:
        """Everything so far: closed connections, and open ones as the kernel counts them now."""
        with self.lock:
            total = Traffic(self.closed.payload, self.closed.segments + self.split, self.closed.connections)
            for sock in self.open:
                payload, segments = tcp_counts(sock)
                total = Traffic(total.payload + payload, total.segments + segments, total.connections + 1)
        return total

    def close(self) -> None:
        self.listener.close()
        with self.lock:
            for sock in self.open:
                _shut(sock)

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.upstream)
            with self.lock:
                self.open.add(client)
            done = threading.Barrier(2, action=lambda client=client, server=server: self._finish(client, server))
            for source, target, inbound in ((client, server, True), (server, client, False)):
                threading.Thread(target=self._pump, args=(source, target, inbound, done), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket, inbound: bool, done: threading.Barrier) -> None:
        try:
            while chunk := source.recv(65536):
                with self.lock:
                    self.split += math.ceil(len(chunk) / MSS) - 1
                    self.chunks_in += inbound
                target.sendall(chunk)
        except OSError:
            pass
        _shut(target)  # the other pump sees the end too
        done.wait()

    def _finish(self, client: socket.socket, server: socket.socket) -> None:
        with self.lock:
            payload, segments = tcp_counts(client)
            self.closed = Traffic(self.closed.payload + payload, self.closed.segments + segments,
                                  self.closed.connections + 1)
            self.open.discard(client)
        client.close()
        server.close()


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A P-256 certificate for 127.0.0.1 and its key (the CA file a receiver is given)."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    return cert, key
