"""One POST of a signed body: the outcome (status, error, duration), never an exception.

Where the request may go is checked here, at send time, on the addresses the host resolves to
(content.webhooks.targets: by default no internal address, against server-side request
forgery), and the connection goes to the checked address; redirects are not followed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import httpx

from content.webhooks.targets import TargetPolicy, TargetRefused, resolve

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


def post(client: httpx.Client, url: str, body: bytes, headers: dict[str, str], *, policy: TargetPolicy) -> Outcome:
    start = time.monotonic()

    def elapsed() -> int:
        return int((time.monotonic() - start) * 1000)

    try:
        target = resolve(url, policy)
    except TargetRefused as exc:
        return Outcome(None, f"not sent: {exc}"[:MAX_ERROR], elapsed())
    # To the checked address, not the name: the Host header and TLS (SNI and the certificate
    # check) still use the name, so virtual hosts and verification work as before.
    original = httpx.URL(url)
    pinned = original.copy_with(host=str(target.address))
    headers = {**headers, "host": original.netloc.decode("ascii")}
    extensions = {} if target.is_ip_literal else {"sni_hostname": target.host}
    try:
        with client.stream("POST", pinned, content=body, headers=headers, extensions=extensions) as response:
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
