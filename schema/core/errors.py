"""Payload errors: domain errors become `errors { field message code }` on mutation payloads."""

from __future__ import annotations

import functools
import inspect
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


def refusable(on_error: Callable[[list[Error]], Any]) -> Callable[[Callable[..., P]], Callable[..., P]]:
    """Make a resolver a payload mutation: a DomainError it raises rolls the request's session back and
    becomes `on_error([Error])`, the payload saying why (the one shape every mutation has).

    Put it under `@strawberry.mutation`; the resolver keeps its signature, so strawberry sees its arguments.
    """

    def wrap(resolver: Callable[..., P]) -> Callable[..., P]:
        info_at = list(inspect.signature(resolver).parameters).index("info")

        @functools.wraps(resolver)
        def run(*args: Any, **kwargs: Any) -> P:
            try:
                return resolver(*args, **kwargs)
            except DomainError as exc:
                info = kwargs["info"] if "info" in kwargs else args[info_at]
                info.context.session.rollback()
                return on_error([to_error(exc)])  # type: ignore[no-any-return]

        return run

    return wrap
