"""Automatic persisted queries (Apollo's APQ protocol): a client may send a query's SHA-256 instead of its text.

A request carries `extensions.persistedQuery = {"version": 1, "sha256Hash": HEX}`. With the query
text, the server checks the hash and remembers the text; without it, the server runs the text it
remembers or answers PERSISTED_QUERY_NOT_FOUND ("PersistedQueryNotFound"), and the client re-sends
the request with the text. This module only turns a hash back into text: the caller then applies
every check it applies to a query sent in full (size, NUL, introspection, depth, tokens, aliases,
GET for queries only), so a hash is never a way around one.

The store is a bounded LRU in this process and nothing persistent. The protocol tolerates a
miss by design (one extra round trip for that client), so each worker keeping its own and a
restart forgetting them costs little; a database table would add a write per new query and a
read per miss for every worker, and would let anonymous callers write to the database.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from typing import Any

from content.errors import DomainError, ErrorCode

_HEX64 = re.compile(r"[0-9a-f]{64}")
# What Apollo clients look for (besides the code) before they retry with the query text.
NOT_FOUND_MESSAGE = "PersistedQueryNotFound"


def sha256_hex(query: str) -> str:
    """The hash a client sends for `query`: SHA-256 of its UTF-8 bytes, lowercase hex."""
    return hashlib.sha256(query.encode("utf-8", "surrogatepass")).hexdigest()


class PersistedQueries:
    """Query texts by SHA-256, at most `max_entries` of them and `max_chars` characters in all."""

    def __init__(self, *, max_entries: int = 1000, max_chars: int = 16_000_000) -> None:
        self.max_entries = max_entries
        self.max_chars = max_chars
        self._texts: OrderedDict[str, str] = OrderedDict()
        self._chars = 0
        self._lock = threading.Lock()  # requests run in a thread pool

    def __len__(self) -> int:
        return len(self._texts)

    def get(self, digest: str) -> str | None:
        with self._lock:
            text = self._texts.get(digest)
            if text is not None:
                self._texts.move_to_end(digest)
            return text

    def put(self, digest: str, text: str) -> None:
        if self.max_entries <= 0 or len(text) > self.max_chars:
            return
        with self._lock:
            if digest in self._texts:
                self._texts.move_to_end(digest)
                return
            self._texts[digest] = text
            self._chars += len(text)
            while len(self._texts) > self.max_entries or self._chars > self.max_chars:
                _, dropped = self._texts.popitem(last=False)
                self._chars -= len(dropped)

    def resolve(self, query: Any, extensions: Any) -> Any:
        """The query text to run: `query` itself unless a persisted query is named.

        Raises PERSISTED_QUERY_NOT_FOUND for an unknown hash sent alone, and INVALID_INPUT for a
        malformed `persistedQuery` or a text whose hash is not the one sent.
        """
        if extensions is None:
            return query
        if not isinstance(extensions, dict):
            raise DomainError(ErrorCode.INVALID_INPUT, "extensions must be a JSON object", field="extensions")
        persisted = extensions.get("persistedQuery")
        if persisted is None:
            return query
        if not isinstance(persisted, dict) or persisted.get("version") != 1:
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                "persistedQuery must be {version: 1, sha256Hash}: only version 1 is supported",
                field="extensions.persistedQuery",
            )
        digest = persisted.get("sha256Hash")
        if not isinstance(digest, str) or not _HEX64.fullmatch(digest.lower()):
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                "persistedQuery.sha256Hash must be 64 hexadecimal digits",
                field="extensions.persistedQuery.sha256Hash",
            )
        digest = digest.lower()
        if query is None or query == "":
            known = self.get(digest)
            if known is None:
                raise DomainError(ErrorCode.PERSISTED_QUERY_NOT_FOUND, NOT_FOUND_MESSAGE)
            return known
        if not isinstance(query, str):
            return query  # refused by the caller as any malformed query is
        if sha256_hex(query) != digest:
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                "persistedQuery.sha256Hash is not the SHA-256 of the query text",
                field="extensions.persistedQuery.sha256Hash",
            )
        # Kept even if the text is then refused: every run by hash goes through the same checks.
        self.put(digest, query)
        return query
