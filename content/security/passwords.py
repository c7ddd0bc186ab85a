"""Password hashing with Argon2id through libpass (imported as passlib)."""

from __future__ import annotations

from passlib.context import CryptContext

_context = CryptContext(schemes=["argon2"], argon2__type="ID", deprecated="auto")

# Verifying against this when the username is unknown keeps the timing of both failures alike.
_DUMMY_HASH = _context.hash("lightbox-dummy-password")


def hash_password(password: str) -> str:
    """A password's hash for storage."""
    digest: str = _context.hash(password)  # passlib is untyped
    return digest


def verify_password(password: str, password_hash: str | None) -> bool:
    """Whether a password matches a stored hash (as slow when there is no hash)."""
    if not password_hash:
        _context.verify(password, _DUMMY_HASH)
        return False
    try:
        return bool(_context.verify(password, password_hash))
    except (ValueError, TypeError):
        return False
