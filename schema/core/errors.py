"""Payload errors: domain errors become `errors { field message code }` on mutation payloads."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import strawberry

from content.errors import DomainError
from content.errors import ErrorCode as DomainCode

ErrorCode = strawberry.enum(DomainCode, name="ErrorCode", description="Why a request was refused.")


@strawberry.type(description="A refusal: which input, why, and a stable code.")
class Error:
    field: str | None = strawberry.field(description="The input field at fault, if any.")
    message: str = strawberry.field(description="A sentence for a person.")
    code: ErrorCode = strawberry.field(description="A stable code for a program.")  # type: ignore[valid-type]


def to_error(exc: DomainError) -> Error:
    return Error(field=exc.field, message=exc.message, code=exc.code)


P = TypeVar("P")


def payload(build: Callable[[], P], on_error: Callable[[list[Error]], P], session: Any) -> P:
    """Run a mutation's service call; a DomainError rolls back and becomes a payload error."""
    try:
        return build()
    except DomainError as exc:
        session.rollback()
        return on_error([to_error(exc)])
