"""Per-subscription signing secrets, derived (HMAC-SHA256) from the server's secret key and a random salt.

Nothing secret is stored: the salt alone gives nothing without the server key, and the key alone
gives nothing without the salt. Rotating the server key changes every derived secret; `key_id`
lets the dispatcher notice that and fail the delivery with a reason instead of mis-signing.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

SECRET_PREFIX = "whsec_"


def new_salt() -> str:
    """A fresh random salt for a subscription's secret."""
    return secrets.token_hex(32)


def key_id(server_key: bytes) -> str:
    """A fingerprint of the server key, so a changed key can be detected."""
    return hmac.new(server_key, b"lightbox-webhook-key-id", hashlib.sha256).hexdigest()[:16]


def derive_secret(server_key: bytes, subscription_uid: str, salt: str) -> str:
    """A subscription's signing secret, derived from the server key, its uid and salt."""
    mac = hmac.new(
        server_key, f"lightbox-webhook-secret\x00{subscription_uid}\x00{salt}".encode(), hashlib.sha256
    ).digest()
    return SECRET_PREFIX + base64.urlsafe_b64encode(mac).decode().rstrip("=")
