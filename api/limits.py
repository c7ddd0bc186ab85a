"""Limits decided before work: a request body is measured as it arrives, never trusted to be small.

`Content-Length` refuses an announced oversize body before a byte is read; the running count
refuses one that lies about its length or streams chunked, as soon as it passes the cap.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request

from api.observability import Message
from content.errors import DomainError, ErrorCode


def too_large(max_bytes: int, what: str) -> DomainError:
    return DomainError(ErrorCode.TOO_LARGE, f"the {what} is larger than {max_bytes} bytes")


def check_announced(request: Request, max_bytes: int, what: str) -> None:
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > max_bytes:
        raise too_large(max_bytes, what)


def capped_receive(request: Request, max_bytes: int, what: str) -> Callable[[], Awaitable[Message]]:
    """The request's ASGI receive, raising TOO_LARGE once the body passes `max_bytes`."""
    receive = request.receive
    seen = 0

    async def counted() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > max_bytes:
                raise too_large(max_bytes, what)
        return message

    return counted


async def read_body(request: Request, max_bytes: int, what: str = "request body") -> bytes:
    """The whole body, refused (TOO_LARGE) past `max_bytes` without reading the rest."""
    check_announced(request, max_bytes, what)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise too_large(max_bytes, what)
        chunks.append(chunk)
    return b"".join(chunks)
