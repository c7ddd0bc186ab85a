"""Delivery signatures, Stripe-style: `Lightbox-Signature: t=<unix seconds>,v1=<hex>`.

v1 is HMAC-SHA256, keyed with the subscription's whole secret (`whsec_...`, as UTF-8), over
`f"{t}.{body}"` where body is the exact bytes of the request body. A receiver recomputes it,
compares in constant time and refuses timestamps too far from its clock (replays).
"""

from __future__ import annotations

import hashlib
import hmac
import time

HEADER = "Lightbox-Signature"
TOLERANCE_SECONDS = 300


def mac(secret: str, timestamp: int, body: bytes) -> str:
    """The HMAC-SHA256 of `timestamp.body` under a subscription's secret, in hex."""
    return hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()


def signature_header(secret: str, body: bytes, *, timestamp: int) -> str:
    """The signature header value: `t=<timestamp>,v1=<mac>`."""
    return f"t={timestamp},v1={mac(secret, timestamp, body)}"


def verify(
    secret: str, header: str, body: bytes, *, tolerance: int = TOLERANCE_SECONDS, now: float | None = None
) -> bool:
    """True when one v1 signature in the header matches and its timestamp is within `tolerance`."""
    parts = [p.split("=", 1) for p in header.split(",") if "=" in p]
    stamps = [v for k, v in parts if k.strip() == "t"]
    macs = [v.strip() for k, v in parts if k.strip() == "v1"]
    if len(stamps) != 1 or not stamps[0].strip().isdigit() or not macs:
        return False
    timestamp = int(stamps[0])
    if abs((time.time() if now is None else now) - timestamp) > tolerance:
        return False
    expected = mac(secret, timestamp, body)
    return any(hmac.compare_digest(expected, m) for m in macs)
