"""Running a test server on 127.0.0.1 in a thread: one way for every kind of server."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


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
