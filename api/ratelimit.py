"""Rate limits: a token bucket per API token (or per client address without one), and a
tighter one per address for sign-in attempts.

Buckets live in the worker's memory: with N workers the effective limit is up to N times the
setting, which is fine for its purpose (blunting floods and password guessing; the per-username
login throttle in content.security.login is the durable, shared defence).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.responses import JSONResponse

from api.errors import graphql_refusal
from api.observability import ASGIApp, Message, Scope
from content.errors import DomainError, ErrorCode

MAX_KEYS = 50_000


class Buckets:
    """`rate` requests per `per` seconds per key, with bursts up to `rate`."""

    def __init__(self, rate: int, per: float = 60.0) -> None:
        self.rate, self.per = rate, per
        self._state: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """0 when allowed, else seconds until the next request would be."""
        now = time.monotonic()
        refill = self.rate / self.per
        with self._lock:
            tokens, last = self._state.pop(key, (float(self.rate), now))
            tokens = min(float(self.rate), tokens + (now - last) * refill)
            if tokens >= 1:
                self._state[key] = (tokens - 1, now)
                wait = 0.0
            else:
                self._state[key] = (tokens, now)
                wait = (1 - tokens) / refill
            while len(self._state) > MAX_KEYS:
                self._state.popitem(last=False)
        return wait


def client_address(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


def too_many(wait: float, what: str) -> JSONResponse:
    """429 with Retry-After, in the GraphQL error shape (most limited requests are GraphQL)."""
    seconds = int(wait) + 1
    return graphql_refusal(
        DomainError(ErrorCode.TOO_MANY_ATTEMPTS, f"too many {what}; retry in {seconds} s"),
        headers={"retry-after": str(seconds)},
    )


# Image reads a viewer makes by the hundred (one request per frame: a 2x2 layout of 300-slice
# series is 1,200 frames) draw on their own, larger bucket, so opening a CT neither trips the
# limit nor uses up the allowance the same person's GraphQL requests draw on.
IMAGE_PREFIXES = ("/dicomweb/", "/media/")


class RateLimitMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        per_minute: int,
        images_per_minute: int | None = None,
        exempt: tuple[str, ...] = ("/healthz", "/readyz"),
    ) -> None:
        self.app = app
        self.buckets = Buckets(per_minute)
        self.image_buckets = Buckets(images_per_minute or per_minute)
        self.exempt = exempt

    async def __call__(
        self, scope: Scope, receive: Callable[[], Awaitable[Message]], send: Callable[[Message], Awaitable[None]]
    ) -> None:
        if scope["type"] != "http" or scope.get("path") in self.exempt:
            await self.app(scope, receive, send)
            return
        headers: dict[bytes, bytes] = dict(scope.get("headers") or [])
        auth = headers.get(b"authorization", b"")
        # The token's hash, not the token: keys may be logged or inspected.
        key = ("t:" + hashlib.sha256(auth).hexdigest()[:32]) if auth else "ip:" + client_address(scope)
        path = str(scope.get("path") or "")
        buckets = self.image_buckets if path.startswith(IMAGE_PREFIXES) else self.buckets
        wait = buckets.take(key)
        if wait:
            response = too_many(wait, "requests")
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


def login_gate(buckets: Buckets, address: str) -> Callable[[], Any]:
    """A check the login mutation calls before verifying a password."""

    def check() -> float:
        return buckets.take("login:" + address)

    return check
