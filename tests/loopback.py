"""Running a test server on 127.0.0.1 in a thread: one way for every kind of server."""
from __future__ import annotations

import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from werkzeug.serving import WSGIRequestHandler, make_server

_ANSWER = "tests.loopback.answer"


@contextmanager
def serving(server) -> Iterator[str]:
    """Run `server` (any socketserver-style server already bound to 127.0.0.1) until the block
    ends; yields its base URL and always shuts it down and closes its socket."""
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def wsgi_server(app, **options):
    """werkzeug's threaded server for `app` on a free port of 127.0.0.1 (`options` go to make_server),
    which closes what the app answered when the client drops the connection: werkzeug drains the
    socket before closing it, and a reset there skips the close, leaking the file a send_file
    answer holds open (a browser cancelling an audio request) until a later test's ResourceWarning."""
    def remembering(environ, start_response):
        environ[_ANSWER] = answer = app(environ, start_response)
        return answer

    return make_server("127.0.0.1", 0, remembering, threaded=True, request_handler=_ClosingHandler, **options)


class _ClosingHandler(WSGIRequestHandler):
    def connection_dropped(self, error, environ=None) -> None:
        answer = (environ or {}).get(_ANSWER)
        if hasattr(answer, "close"):
            answer.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen | None = None, tries: int = 600) -> None:
    """Wait until something accepts connections on 127.0.0.1:`port` (a server being started), or
    fail when `process` ends first or after `tries` tenths of a second."""
    for _ in range(tries):
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} ended ({process.returncode}) before listening on {port}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


@contextmanager
def server_process(command: list[str], port: int, **popen) -> Iterator[subprocess.Popen]:
    """`command`, a server listening on 127.0.0.1:`port`, run until the block ends (its output
    dropped unless `popen` says where); fails when it ends before it listens."""
    process = subprocess.Popen(command, **{"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, **popen})
    try:
        wait_for_port(port, process)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)
