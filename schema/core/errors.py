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

ErrorCode = strawberry.enum(DomainCode, name="ErrorCode", description="Why a request was refused.")


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
