"""Media refusals, carrying the codes of `content.errors` so schema/ and api/ map them."""

from __future__ import annotations

from content.errors import DomainError, ErrorCode

__all__ = ["ErrorCode", "RenderError", "StoreError"]


class RenderError(DomainError):
    """A render that cannot be done: bad options (INVALID_INPUT) or pixels (UNDECODABLE)."""


class StoreError(DomainError):
    """A storage refusal: a malformed key (INVALID_INPUT) or a missing blob (NOT_FOUND)."""
