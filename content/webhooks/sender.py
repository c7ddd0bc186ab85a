"""One POST of a signed body: the outcome (status, error, duration), never an exception.

Where the request may go is checked here, at send time, on the addresses the host resolves to:
by default no loopback, private, link-local or otherwise internal address (server-side request
forgery); redirects are not followed.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

MAX_ERROR = 500
BODY_EXCERPT = 200


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error: str
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def refused_address(url: str) -> str | None:
    """Why the URL's host may not be called (it resolves to an internal address), or None."""
    host = urlsplit(url).hostname or ""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        return f"cannot resolve {host}: {exc}"
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if not address.is_global or address.is_multicast:
            return f"{host} resolves to {address}, an internal address"
    return None


def post(client: httpx.Client, url: str, body: bytes, headers: dict[str, str], *,
         allow_internal: bool) -> Outcome:
    start = time.monotonic()

    def elapsed() -> int:
        return int((time.monotonic() - start) * 1000)

    refusal = None if allow_internal else refused_address(url)
    if refusal:
        return Outcome(None, f"not sent: {refusal}"[:MAX_ERROR], elapsed())
    try:
        with client.stream("POST", url, content=body, headers=headers) as response:
            excerpt = b""
            if not 200 <= response.status_code < 300:
                for chunk in response.iter_bytes():
                    excerpt += chunk
                    if len(excerpt) >= BODY_EXCERPT:
                        break
            status = response.status_code
    except httpx.HTTPError as exc:
        return Outcome(None, f"{type(exc).__name__}: {exc}"[:MAX_ERROR], elapsed())
    if 200 <= status < 300:
        return Outcome(status, "", elapsed())
    text = excerpt[:BODY_EXCERPT].decode("utf-8", "replace").strip()
    return Outcome(status, (f"HTTP {status}" + (f": {text}" if text else ""))[:MAX_ERROR], elapsed())
