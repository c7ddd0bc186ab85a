"""What a new password must be: long enough, and not one of the commonest passwords.

The list (content/security/common-passwords.txt.gz) is the 10,000 most common of the 20,000
passwords Django ships (lower-cased, from Royce Williams' compilation; BSD licence). It is
read once per process, when a password is first checked.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from content.errors import DomainError, ErrorCode

# Argon2 hashes anything, but a megabyte-long password is a way to burn CPU, not a password.
MAX_LENGTH = 1024


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The bundled list of common passwords, lower-cased."""
    data = resources.files("content.security").joinpath("common-passwords.txt.gz").read_bytes()
    return frozenset(line.strip().lower() for line in gzip.decompress(data).decode().splitlines() if line.strip())


@dataclass(frozen=True)
class PasswordPolicy:
    """The rules a new password must pass: length, not common, not the username."""

    min_length: int = 12

    def check(self, password: str, *, username: str = "", field: str = "password") -> None:
        """Refuse a password with a coded error naming `field`; a password that passes returns None."""
        if len(password) < self.min_length:
            raise DomainError(
                ErrorCode.PASSWORD_TOO_SHORT, f"a password needs at least {self.min_length} characters", field=field
            )
        if len(password) > MAX_LENGTH:
            raise DomainError(ErrorCode.INVALID_INPUT, f"a password has at most {MAX_LENGTH} characters", field=field)
        folded = password.strip().lower()
        if folded in common_passwords() or (username and folded == username.strip().lower()):
            raise DomainError(
                ErrorCode.PASSWORD_TOO_COMMON,
                "that password is among the most common ones; choose another",
                field=field,
            )


DEFAULT_POLICY = PasswordPolicy()
