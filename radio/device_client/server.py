"""The device API as the receiver calls it: bearer token, ETags, Range downloads.

Every call either answers or raises: `Unreachable` when the server cannot be reached or fails
(network errors, timeouts, 5xx: try again later), `Refused` when it answers with a 4xx (a
revoked token, a wrong device code: retrying the same request will not help). Retries are not
made here but by the loop, on its injected clock (retry.py), so nothing here ever sleeps.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import BinaryIO

import requests
import urllib3

log = logging.getLogger(__name__)
CHUNK_BYTES = 64 * 1024


class Unreachable(Exception):
    """No usable answer: the link or the server is down. Try again later."""


class Refused(Exception):
    """The server said no (4xx), with its message."""

    def __init__(self, status: int, message: str):
        super().__init__(f"HTTP {status}: {message}")
        self.status = status


class ServerClient:
    def __init__(self, base_url: str, device_code: str, token: str, timeout: tuple[float, float] = (10, 60),
                 user_agent: str = "radio-device", ca_file: str | None = None):
        self.base = base_url.rstrip("/") + "/api/v1"
        self.code = device_code
        self.timeout = timeout
        self.http = requests.Session()
        self.http.headers.update({"Authorization": f"Bearer {token}", "User-Agent": user_agent})
        self.verify = ca_file or True  # a private CA file (a province's own certificates), or the system's

    def close(self) -> None:
        self.http.close()

    def _call(self, method: str, url: str, **kw) -> requests.Response:
        try:
            # verify per request: the Session's own loses to REQUESTS_CA_BUNDLE in the environment
            response = self.http.request(method, url, timeout=self.timeout, verify=self.verify, **kw)
        except requests.RequestException as exc:
            raise Unreachable(f"{method} {url}: {exc.__class__.__name__}: {exc}") from None
        if response.status_code >= 500:
            response.close()
            raise Unreachable(f"{method} {url}: HTTP {response.status_code}")
        if response.status_code >= 400 and response.status_code != 416:
            raise Refused(response.status_code, _message(response))
        return response

    def _conditional_get(self, path: str, etag: str | None, params: dict | None = None) -> tuple[dict | None, str | None]:
        """(body, ETag), or (None, the same ETag) when the server answers 304."""
        headers = {"If-None-Match": etag} if etag else {}
        response = self._call("GET", f"{self.base}/devices/{self.code}/{path}", headers=headers, params=params)
        if response.status_code == 304:
            return None, etag
        try:
            return response.json(), response.headers.get("ETag")
        except ValueError:
            raise Unreachable(f"GET {path}: the answer is not JSON") from None

    def schedule(self, etag: str | None, days: int) -> tuple[dict | None, str | None]:
        return self._conditional_get("schedule", etag, {"days": days})

    def bulletins(self, etag: str | None) -> tuple[dict | None, str | None]:
        return self._conditional_get("bulletins", etag)

    def poll_file(self, url: str, etag: str | None) -> str | None:
        """The poll file's new ETag when it changed, None when the server answered 304. Sent
        without the token: nginx serves the file itself, and its name is the secret."""
        headers = {"Authorization": None, **({"If-None-Match": etag} if etag else {})}
        response = self._call("GET", url, headers=headers)
        return None if response.status_code == 304 else response.headers.get("ETag", "")

    def send_playlogs(self, logs: list[dict]) -> dict:
        """Idempotent by each log's uuid, so sending a batch again after a lost answer is safe."""
        response = self._call("POST", f"{self.base}/devices/{self.code}/playlogs", json=logs)
        return response.json()

    def heartbeat(self, report: dict) -> dict:
        return self._call("POST", f"{self.base}/devices/{self.code}/heartbeat", json=report).json()

    def download(self, url: str, out: BinaryIO, offset: int, should_stop: Callable[[], bool]) -> bool:
        """Append the file's bytes from `offset` to `out` (a Range request when offset > 0).
        Returns True when the whole file was written, False when `should_stop` said to pause
        (the part is kept and resumed later). A 200 to a Range request restarts from zero."""
        headers = {"Range": f"bytes={offset}-"} if offset else {}
        response = self._call("GET", url, headers=headers, stream=True)
        with response:
            if response.status_code == 416:
                raise Refused(416, f"the partial download ({offset} bytes) is longer than the file")
            if response.status_code == 200 and offset:
                out.seek(0)
                out.truncate()
            try:
                # read1 hands over whatever has arrived, so a cut keeps every byte that came
                # (iter_content would drop a partly filled chunk); raw bytes, never decoded,
                # so that offsets stay true for the next Range request.
                while chunk := response.raw.read1(CHUNK_BYTES, decode_content=False):
                    out.write(chunk)
                    if should_stop():
                        return False
            except (urllib3.exceptions.HTTPError, OSError) as exc:
                raise Unreachable(f"GET {url}: cut off after {out.tell()} bytes ({exc.__class__.__name__})") from None
            size = _announced_size(response)
            if size is None or out.tell() < size:
                # A link cut inside the headers or the body can end the answer "cleanly": http.client
                # takes the end of the connection for the end of either. The server always says how
                # long the file is, so fewer bytes (or no length at all) is a cut, retried after the
                # backoff, not a whole file that then fails its sha256 and is set aside as bad.
                raise Unreachable(f"GET {url}: cut off after {out.tell()} of {size or 'an unknown number of'} bytes")
        return True


def _announced_size(response: requests.Response) -> int | None:
    """The whole file's length as the answer gives it: Content-Range's total for a 206, else
    Content-Length; None when it gives neither."""
    if response.status_code == 206:
        total = response.headers.get("Content-Range", "").rpartition("/")[2]
        return int(total) if total.isdigit() else None
    length = response.headers.get("Content-Length", "")
    return int(length) if length.isdigit() else None


def _message(response: requests.Response) -> str:
    try:
        body = response.json()
        return f"{body['error']}: {body['message']}"
    except (ValueError, KeyError, TypeError):
        return response.text[:200]
