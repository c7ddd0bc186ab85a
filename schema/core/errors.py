"""Payload errors: domain errors become `errors { field message code }` on mutation payloads."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

import strawberry

from content.errors import DomainError
from content.errors import ErrorCode as DomainCode
from schema.core.enums import describe_values

ErrorCode = strawberry.enum(DomainCode, name="ErrorCode", description="Why a request was refused.")

describe_values(
    ErrorCode,
    {
        "INVALID_CREDENTIALS": "Wrong username or password (or a wrong current password).",
        "TOO_MANY_ATTEMPTS": "Too many attempts in a short time; the message says when to retry.",
        "UNAUTHENTICATED": "No valid session or API token: sign in first.",
        "FORBIDDEN": "Signed in, but not allowed to do this.",
        "NOT_FOUND": "No such object, or one the caller may not see.",
        "VERSION_CONFLICT": "Someone changed the object in the meantime; reload and try again.",
        "INVALID_CURRICULUM_CODE": "A curriculum code that is malformed or not in the tree.",
        "INVALID_TRANSITION": "The workflow does not allow this step from the current state.",
        "PATH_CLASH": "Another collection already has this path.",
        "INVALID_INPUT": "An input value is missing, malformed or out of range; `field` names it.",
        "TOO_LARGE": "A request, upload or file is larger than allowed.",
        "DUPLICATE": "Something with this name or key already exists.",
        "INVALID_QUERY": "The request is not a well-formed GraphQL query for this schema.",
        "UNDECODABLE": "A file or image could not be read.",
        "QUARANTINED": "An image is held in quarantine (suspected burned-in text) and cannot be used yet.",
        "PASSWORD_TOO_SHORT": "The new password is shorter than the minimum length.",
        "PASSWORD_TOO_COMMON": "The new password is on the list of common passwords.",
        "PASSWORD_CHANGE_REQUIRED": "The account must choose a new password before anything else.",
        "TIME_LIMIT_EXCEEDED": "A timed worklist's time is up and it refuses late answers.",
        "NOT_ACCEPTABLE": "The resource is not offered in the media type asked for.",
        "INTERNAL": "An unexpected server error; the request id identifies it in the logs.",
    },
)


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
