"""Sealed tokens: opaque, tamper-evident values a client hands back (page cursors).

AES-256-GCM under a key derived from the server's secret (HKDF-SHA256, one key per purpose), so
a client can neither read a cursor (a title inside would sort-leak a blind case's answer) nor
forge one, and a cursor of another purpose or another server fails to open. Anything that does
not open is one coded refusal, INVALID_INPUT on the named field, never a 500.
"""

from __future__ import annotations

import base64
import binascii
import os
import threading
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from content.errors import DomainError, ErrorCode

NONCE_BYTES = 12
MAX_TOKEN = 2048  # a cursor is a few dozen bytes; refuse to base64-decode megabytes
_ephemeral: bytes | None = None
_ephemeral_lock = threading.Lock()


def derive_key(secret: bytes, purpose: str) -> bytes:
    """A 32-byte key for one purpose, derived from the server secret (HKDF-SHA256)."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=f"lightbox/{purpose}/v1".encode()).derive(secret)


@lru_cache(maxsize=32)
def _cipher(secret: bytes, purpose: str) -> AESGCM:
    # One derivation per (secret, purpose) and process: a page of 20 cursors sealed one HKDF each
    # showed as 5 % of a search's CPU. AESGCM holds only the key and is safe to share across threads.
    return AESGCM(derive_key(secret, purpose))


def process_secret() -> bytes:
    """For callers without the server's secret (internal paging, scripts): a random secret for this
    process, so their tokens are still opaque and tamper-evident, valid until it exits."""
    global _ephemeral
    with _ephemeral_lock:
        if _ephemeral is None:
            _ephemeral = os.urandom(32)
        return _ephemeral


def seal(payload: bytes, *, secret: bytes, purpose: str) -> str:
    """Encrypt and authenticate a payload for one purpose (AES-GCM), as URL-safe text."""
    nonce = os.urandom(NONCE_BYTES)
    sealed = _cipher(secret, purpose).encrypt(nonce, payload, purpose.encode())
    return base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")


def unseal(token: str, *, secret: bytes, purpose: str, field: str = "after") -> bytes:
    """The payload of a token this server sealed for `purpose`; INVALID_INPUT for anything else."""
    try:
        if len(token) > MAX_TOKEN:
            raise ValueError
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        if len(raw) <= NONCE_BYTES:
            raise ValueError
        return _cipher(secret, purpose).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], purpose.encode())
    except (ValueError, TypeError, binascii.Error, InvalidTag):
        raise DomainError(
            ErrorCode.INVALID_INPUT, "invalid cursor: not one this server issued for this listing", field=field
        ) from None
