"""Signed, expiring bearer tokens for people (HMAC-SHA256 over a small JSON claim set).

A token names its sign-in session (`sid`, checked against content.security.sessions) and carries a
stamp of the password hash it was issued under (`pwd`), so any change of the hash, by whatever
path, ends it. The signature alone never makes a token valid.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass

from content.errors import DomainError, ErrorCode

_PREFIX = "lbs1."


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class Claims:
    """What a verified session token says: subject, expiry, session and password stamp."""

    subject: str
    expires: int
    session_id: str = ""
    password_stamp: str = ""


def password_stamp(password_hash: str | None, *, secret: bytes) -> str:
    """A short keyed digest of the password hash: equal while the password is unchanged."""
    return _b64(hmac.new(secret, b"pwd:" + (password_hash or "").encode(), hashlib.sha256).digest()[:12])


def issue(
    subject: str,
    *,
    secret: bytes,
    ttl_seconds: int,
    session_id: str = "",
    password_stamp: str = "",
    now: float | None = None,
) -> str:
    """A signed session token for `subject`, valid for `ttl_seconds`."""
    issued = int(now if now is not None else time.time())
    body = _b64(
        json.dumps(
            {
                "sub": subject,
                "exp": issued + ttl_seconds,
                "jti": secrets.token_hex(8),
                "sid": session_id,
                "pwd": password_stamp,
            },
            separators=(",", ":"),
        ).encode()
    )
    sig = _b64(hmac.new(secret, body.encode(), hashlib.sha256).digest())
    return f"{_PREFIX}{body}.{sig}"


def verify(token: str, *, secret: bytes, now: float | None = None) -> Claims:
    """The claims of a session token; UNAUTHENTICATED if malformed, forged or expired."""
    invalid = DomainError(ErrorCode.UNAUTHENTICATED, "invalid or expired token")
    if not token.startswith(_PREFIX) or token.count(".") != 2:
        raise invalid
    body, _, sig = token[len(_PREFIX) :].partition(".")
    expected = _b64(hmac.new(secret, body.encode(), hashlib.sha256).digest())
    if not hmac.compare_digest(sig, expected):
        raise invalid
    try:
        claims = json.loads(_unb64(body))
        subject, expires = str(claims["sub"]), int(claims["exp"])
        session_id, stamp = str(claims.get("sid") or ""), str(claims.get("pwd") or "")
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise invalid from exc
    if expires < (now if now is not None else time.time()):
        raise invalid
    return Claims(subject=subject, expires=expires, session_id=session_id, password_stamp=stamp)


def looks_like_session_token(token: str) -> bool:
    """Whether a bearer has the session token prefix (rather than an API token's)."""
    return token.startswith(_PREFIX)
