"""Domain errors: every refusal below the API carries a stable code that schema/ maps to a payload error."""

from __future__ import annotations

from enum import Enum


class ErrorCode(str, Enum):
    """The codes of domain errors, published to clients as the GraphQL ErrorCode enum."""

    INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
    TOO_MANY_ATTEMPTS = "TOO_MANY_ATTEMPTS"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
    VERSION_CONFLICT = "VERSION_CONFLICT"
    INVALID_CURRICULUM_CODE = "INVALID_CURRICULUM_CODE"
    INVALID_TRANSITION = "INVALID_TRANSITION"
    PATH_CLASH = "PATH_CLASH"
    INVALID_INPUT = "INVALID_INPUT"
    TOO_LARGE = "TOO_LARGE"
    DUPLICATE = "DUPLICATE"
    INVALID_QUERY = "INVALID_QUERY"
    UNDECODABLE = "UNDECODABLE"
    QUARANTINED = "QUARANTINED"
    PASSWORD_TOO_SHORT = "PASSWORD_TOO_SHORT"
    PASSWORD_TOO_COMMON = "PASSWORD_TOO_COMMON"
    PASSWORD_CHANGE_REQUIRED = "PASSWORD_CHANGE_REQUIRED"
    TIME_LIMIT_EXCEEDED = "TIME_LIMIT_EXCEEDED"
    NOT_ACCEPTABLE = "NOT_ACCEPTABLE"  # HTTP content negotiation (DICOMweb Accept)
    PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"  # APQ: send the query text with its hash
    INTERNAL = "INTERNAL"  # an unexpected failure, reported with a request id and no detail


class DomainError(Exception):
    """A refusal the caller can act on; never a bug. `field` names the offending input."""

    def __init__(self, code: ErrorCode, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code.value}: {self.message})"
