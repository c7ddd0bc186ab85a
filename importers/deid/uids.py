"""Keyed UID remapping: the same original UID maps to the same new UID for the same secret.

A keyed hash (not a random UID) is what makes re-imports idempotent and keeps references
between objects consistent without a lookup table; without the secret the mapping cannot
be reversed or recomputed from a guessed original.
"""

from __future__ import annotations

import hashlib
import hmac

from pydicom._uid_dict import UID_dictionary

# UI attributes that name a kind of thing (class, syntax, coding scheme), not an instance:
# they identify nobody and viewers need them intact, even when a vendor uses a private value.
KEPT_UID_KEYWORD_SUFFIXES = ("ClassUID", "TransferSyntaxUID", "CodingSchemeUID", "MappingResourceUID")
KEPT_UID_KEYWORDS = frozenset({"ContextUID", "PrivateInformationCreatorUID", "TransferSyntaxUID"})


def is_standard_uid(uid: str) -> bool:
    """Well-known UIDs of the standard (SOP classes, transfer syntaxes, coding schemes...)."""
    return uid in UID_dictionary


def keeps_uid(keyword: str) -> bool:
    """Whether a UID attribute is kept as it is (well-known class, transfer syntax and coding scheme UIDs)."""
    return keyword in KEPT_UID_KEYWORDS or keyword.endswith(KEPT_UID_KEYWORD_SUFFIXES)


class UidRemapper:
    """Maps UIDs to `2.25.<128-bit int>` (PS3.5 B.2) from HMAC-SHA256(secret, uid)."""

    _CACHE_LIMIT = 200_000  # a study has thousands of UIDs; bound memory on long imports

    def __init__(self, secret: bytes) -> None:
        self._secret = secret
        self._cache: dict[str, str] = {}

    def remap(self, uid: str) -> str:
        uid = uid.strip().rstrip("\x00")
        if not uid or is_standard_uid(uid):
            return uid
        cached = self._cache.get(uid)
        if cached is not None:
            return cached
        digest = bytearray(
            hmac.new(self._secret, b"uid:" + uid.encode("ascii", "replace"), hashlib.sha256).digest()[:16]
        )
        # Set RFC 9562 version 8 (custom) and variant bits so the value is a well-formed UUID,
        # as PS3.5 B.2 expects of a 2.25 UID; 122 keyed bits remain, ample against collisions.
        digest[6] = (digest[6] & 0x0F) | 0x80
        digest[8] = (digest[8] & 0x3F) | 0x80
        new = f"2.25.{int.from_bytes(digest, 'big')}"
        if len(self._cache) >= self._CACHE_LIMIT:
            self._cache.clear()
        self._cache[uid] = new
        return new
