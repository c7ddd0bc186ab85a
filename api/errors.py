"""The one place a coded refusal becomes an HTTP response: the status of each code and the two body shapes.

Routes raise or catch `content.errors.DomainError`; this module turns it into JSON. GraphQL over
HTTP answers `{"errors": [{"message", "extensions": {"code"}}]}` (the GraphQL response format);
the plain routes (media, uploads, DICOMweb, UI) answer `{"error": {"code", "message", "field"}}`.
Every code is a member of `ErrorCode`, published in schema.graphql (tests/api/test_error_bodies.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse

from content.errors import DomainError, ErrorCode

HTTP_STATUS: dict[ErrorCode, int] = {
    ErrorCode.INVALID_CREDENTIALS: 401,
    ErrorCode.UNAUTHENTICATED: 401,
    ErrorCode.TOO_MANY_ATTEMPTS: 429,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.NOT_ACCEPTABLE: 406,
    ErrorCode.VERSION_CONFLICT: 409,
    ErrorCode.DUPLICATE: 409,
    ErrorCode.PATH_CLASH: 409,
    ErrorCode.INVALID_TRANSITION: 409,
    ErrorCode.QUARANTINED: 403,
    ErrorCode.TOO_LARGE: 413,
    ErrorCode.PASSWORD_CHANGE_REQUIRED: 403,
    ErrorCode.INTERNAL: 500,
    # Apollo's APQ protocol: older clients take a 4xx/5xx as "not supported" and stop sending
    # hashes, so an unknown hash is answered 200 (with no-store) and the client retries with the text.
    ErrorCode.PERSISTED_QUERY_NOT_FOUND: 200,
}


def http_status(code: ErrorCode) -> int:
    """The HTTP status of a refusal with this code; 400 (bad input) unless the table says otherwise."""
    return HTTP_STATUS.get(code, 400)


def error_response(exc: DomainError, *, headers: Mapping[str, str] | None = None) -> JSONResponse:
    """A plain route's refusal: `{"error": {"code", "message", "field"}}` with the code's status."""
    body = {"error": {"code": exc.code.value, "message": exc.message, "field": exc.field}}
    return JSONResponse(body, status_code=http_status(exc.code), headers=headers)


async def domain_error_handler(request: Request, exc: Exception) -> JSONResponse:
    """FastAPI's handler for a DomainError a plain route lets escape."""
    assert isinstance(exc, DomainError)
    return error_response(exc)


def graphql_error(message: str, code: ErrorCode, **fields: Any) -> dict[str, Any]:
    """One entry of a GraphQL response's `errors`; `fields` adds `path`, `locations`, ..., and `requestId`."""
    request_id = fields.pop("request_id", None)
    extensions: dict[str, Any] = {"code": code.value}
    if request_id is not None:
        extensions["requestId"] = request_id
    return {"message": message, **fields, "extensions": extensions}


def graphql_refusal(
    exc: DomainError, *, status: int | None = None, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    """A GraphQL request refused before it runs: one error, the code's status unless `status` is given."""
    return JSONResponse(
        {"errors": [graphql_error(exc.message, exc.code)]},
        status_code=status if status is not None else http_status(exc.code),
        headers=headers,
    )
