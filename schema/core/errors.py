"""Payload errors: domain errors become `errors { field message code }` on mutation payloads."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

import strawberry

from content.errors import DomainError
from content.errors import ErrorCode as DomainCode
from content.unit_of_work import unit_of_work as open_unit_of_work
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
        "PERSISTED_QUERY_NOT_FOUND": "An unknown persisted query hash: send the query text with it.",
        "INTERNAL": "An unexpected server error; the request id identifies it in the logs.",
    },
)


@strawberry.type(description="A refusal: which input, why, and a stable code.")
class Error:
    field: str | None = strawberry.field(description="The input field at fault, if any.")
    message: str = strawberry.field(description="A sentence for a person.")
    code: ErrorCode = strawberry.field(description="A stable code for a program.")  # type: ignore[valid-type]


# Domain errors name the domain's fields (snake_case, as content/ calls them); a payload names the
# GraphQL input field the client sent. This is the one translation, for the names that differ; a
# name not listed (title, cohort, first, ...) is the same on both sides and passes through.
INPUT_FIELDS: dict[str, str] = {
    "expected_version": "expectedVersion",
    "curriculum_codes": "curriculumCodes",
    "display_name": "displayName",
    "current_password": "currentPassword",
    "new_password": "newPassword",
    "due_at": "dueAt",
    "time_limit_minutes": "timeLimitMinutes",
    "late_answers": "lateAnswers",
    "trainee_uid": "traineeId",
}
# Per mutation, where one domain name is another input field there: a report's answer fields.
# (A case's own fields keep their domain names in its mutations' errors, as they always have.)
_REPORT_FIELDS = {"principal_diagnosis": "principalDiagnosis", "differential_diagnoses": "differentialDiagnoses"}
MUTATION_INPUT_FIELDS: dict[str, dict[str, str]] = {
    "saveReportDraft": _REPORT_FIELDS,
    "submitReport": _REPORT_FIELDS,
}


def input_field(field: str | None, mutation: str | None = None) -> str | None:
    """The GraphQL input field a domain error's field is, in `mutation` (its GraphQL name)."""
    if field is None:
        return None
    per_mutation = MUTATION_INPUT_FIELDS.get(mutation or "", {})
    return per_mutation.get(field) or INPUT_FIELDS.get(field, field)


def to_error(exc: DomainError, mutation: str | None = None) -> Error:
    """The payload error of a domain error raised in `mutation`, its field named as the client sent it."""
    return Error(field=input_field(exc.field, mutation), message=exc.message, code=exc.code)


P = TypeVar("P")


def refusable(
    on_error: Callable[[list[Error]], Any], *, unit_of_work: bool = False
) -> Callable[[Callable[..., P]], Callable[..., P]]:
    """Make a resolver a payload mutation: a DomainError it raises rolls the request's session back and
    becomes `on_error([Error])`, the payload saying why (the one shape every mutation has).

    With `unit_of_work` the mutation owns its transaction (content.unit_of_work): committed when the
    resolver returns, rolled back when it raises; its services do not commit. Put it under
    `@strawberry.mutation`; the resolver keeps its signature, so strawberry sees its arguments.
    """

    def wrap(resolver: Callable[..., P]) -> Callable[..., P]:
        info_at = list(inspect.signature(resolver).parameters).index("info")

        @functools.wraps(resolver)
        def run(*args: Any, **kwargs: Any) -> P:
            info = kwargs["info"] if "info" in kwargs else args[info_at]
            try:
                if unit_of_work:
                    with open_unit_of_work(info.context.session):
                        return resolver(*args, **kwargs)
                return resolver(*args, **kwargs)
            except DomainError as exc:
                info.context.session.rollback()
                mutation = getattr(info, "field_name", None)
                return on_error([to_error(exc, mutation)])  # type: ignore[no-any-return]

        return run

    return wrap
