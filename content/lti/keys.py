"""The tool's signing keys: made once, rotated by command; the newest signs, every unretired one is published."""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pylti1p3.registration import Registration
from sqlmodel import Session, col, select

from content.base import utcnow
from content.lti.models import LtiToolKey
from content.security.sealing import derive_key

PURPOSE = "lti-tool-key"
# A rotated-out key stays published this long, so a platform that cached our JWKS still verifies.
RETIRED_GRACE = timedelta(days=2)


@dataclass(frozen=True)
class ToolKey:
    """The key pair the tool signs with now."""

    kid: str
    private_pem: str
    public_pem: str


def _seal(pem: str, secret: bytes) -> str:
    # Not content.security.sealing.seal: that is capped at cursor size, and a PEM is larger.
    nonce = os.urandom(12)
    return base64.b64encode(nonce + AESGCM(derive_key(secret, PURPOSE)).encrypt(nonce, pem.encode(), None)).decode()


def _unseal(sealed: str, secret: bytes) -> str:
    raw = base64.b64decode(sealed)
    return AESGCM(derive_key(secret, PURPOSE)).decrypt(raw[:12], raw[12:], None).decode()


def _new_row(secret: bytes) -> LtiToolKey:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public_pem = (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    # The kid pylti1p3 puts in the header it signs (the RFC 7638 thumbprint), so both always agree.
    kid = str(Registration.get_jwk(public_pem)["kid"])
    return LtiToolKey(kid=kid, private_sealed=_seal(private_pem, secret), public_pem=public_pem)


def _live(session: Session) -> list[LtiToolKey]:
    stmt = select(LtiToolKey).where(col(LtiToolKey.retired_at).is_(None)).order_by(col(LtiToolKey.created).desc())
    return list(session.exec(stmt))


def signing_key(*, session: Session, secret: bytes) -> ToolKey:
    """The newest live key pair, made (and committed) on first use."""
    live = _live(session)
    if not live:
        row = _new_row(secret)
        session.add(row)
        session.commit()
        live = [row]
    row = live[0]
    private_pem = _unseal(row.private_sealed, secret)
    return ToolKey(row.kid, private_pem, row.public_pem)


def rotate(*, session: Session, secret: bytes) -> str:
    """Make a new signing key; the old ones are retired (still published for RETIRED_GRACE). Its kid."""
    now = utcnow()
    for row in _live(session):
        row.retired_at = now
        session.add(row)
    fresh = _new_row(secret)
    session.add(fresh)
    session.commit()
    return fresh.kid


def jwks(*, session: Session) -> dict[str, Any]:
    """The tool's public keys as a JWK Set: live keys and those retired within the grace period."""
    since = utcnow() - RETIRED_GRACE
    stmt = (
        select(LtiToolKey)
        .where((col(LtiToolKey.retired_at).is_(None)) | (col(LtiToolKey.retired_at) > since))
        .order_by(col(LtiToolKey.created).desc())
    )
    return {"keys": [dict(Registration.get_jwk(row.public_pem)) for row in session.exec(stmt)]}
