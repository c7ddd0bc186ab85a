"""Page cursors: the order, the last hit's sort values and doc_id, and its offset; sealed for clients.

PostgreSQL resumes after the sort values (keyset); Whoosh resumes at the offset with the same
(sort key, doc_id) total order. A cursor from another order is refused.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from content.errors import DomainError, ErrorCode
from content.security.sealing import seal, unseal

_KEY_TYPES: dict[str, Any] = {"RELEVANCE": (int, float), "NEWEST": int, "TITLE": str}


@dataclass(frozen=True)
class Cursor:
    order: str
    key: Any  # the last hit's sort value: score, created (µs since epoch) or title key
    doc_id: str
    offset: int  # hits already returned, the last one included


def encode(cursor: Cursor) -> str:
    """A position in a result list as an opaque URL-safe string."""
    raw = json.dumps([cursor.order, cursor.key, cursor.doc_id, cursor.offset], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(token: str | None, order: str) -> Cursor | None:
    """The position `encode` wrote, or None without one; a token of another order is refused."""
    if not token:
        return None
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        o, key, doc_id, offset = json.loads(raw)
        if not isinstance(doc_id, str) or not isinstance(offset, int) or offset < 0:
            raise ValueError
        if not (key is None or isinstance(key, (int, float, str))):
            raise ValueError
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise DomainError(ErrorCode.INVALID_INPUT, "malformed cursor", field="after") from None
    if o != order:
        raise DomainError(ErrorCode.INVALID_INPUT, "cursor belongs to another order", field="after")
    if not isinstance(key, _KEY_TYPES[order]) or isinstance(key, bool):
        raise DomainError(ErrorCode.INVALID_INPUT, "malformed cursor", field="after")
    return Cursor(o, key, doc_id, offset)


# What clients see: the encoded cursor sealed (content/security/sealing.py), so no sort value (a
# title) is readable in it and none can be forged. Backends only ever see the plain form.
# The same format pages the SQL listing (search.listing); its purpose binds a cursor to the engine
# that issued it, as the order inside binds it to one order, so neither resumes the other.
PURPOSE = "search-cursor"
LISTING_PURPOSE = "sql-listing-cursor"


def seal_cursor(token: str, secret: bytes, *, purpose: str = PURPOSE) -> str:
    """A cursor signed with the server's secret, so a client cannot forge a position."""
    return seal(token.encode(), secret=secret, purpose=purpose)


def open_cursor(token: str | None, secret: bytes, *, purpose: str = PURPOSE) -> str | None:
    """The cursor inside a sealed token, or None without one; a tampered token is refused."""
    if not token:
        return None
    try:
        return unseal(token, secret=secret, purpose=purpose).decode()
    except UnicodeDecodeError:
        raise DomainError(ErrorCode.INVALID_INPUT, "malformed cursor", field="after") from None
