"""Create and edit cases: each parses its input, calls one service and maps the result."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from content.cases.service import create_case, update_case
from schema.cases.inputs import CreateCaseInput, UpdateCaseInput
from schema.cases.types import Case, CasePayload
from schema.core.context import Context
from schema.core.errors import refusable
from schema.core.ids import from_global_id

_CASE_FIELDS = (
    "title",
    "clinical_history",
    "findings",
    "diagnosis",
    "differential_diagnoses",
    "discussion",
    "teaching_points",
    "difficulty",
    "curriculum_codes",
    "tags",
    "modalities",
    "body_regions",
)


def _fields(data: Any, *, only_set: bool) -> dict[str, Any]:
    out = {}
    for name in _CASE_FIELDS:
        value = getattr(data, name)
        if only_set and value is strawberry.UNSET:
            continue
        if not only_set and value is None:
            continue
        out[name] = value.value if hasattr(value, "value") else value
    return out


@strawberry.type
class CaseMutation:
    @strawberry.mutation(description="Create a draft case in a collection.")
    @refusable(lambda errs: CasePayload(case=None, errors=errs))
    def create_case(
        self,
        info: Info[Context, None],
        input: Annotated[CreateCaseInput, strawberry.argument(description="Create a draft case in a collection.")],
    ) -> CasePayload:
        ctx = info.context
        coll = from_global_id(input.collection, "Collection", field="collection")[1]
        row = create_case(
            collection_uid=coll,
            fields=_fields(input, only_set=False),
            comment=input.comment or "",
            session=ctx.session,
            principal=ctx.principal,
        )
        return CasePayload(case=Case.of(row, ctx), errors=[])

    @strawberry.mutation(description="Edit a case; a stale expectedVersion is VERSION_CONFLICT.")
    @refusable(lambda errs: CasePayload(case=None, errors=errs))
    def update_case(
        self,
        info: Info[Context, None],
        input: Annotated[
            UpdateCaseInput, strawberry.argument(description="Edit a case; only the fields given change.")
        ],
    ) -> CasePayload:
        ctx = info.context
        uid = from_global_id(input.id, "Case")[1]
        row = update_case(
            uid,
            expected_version=input.expected_version,
            changes=_fields(input, only_set=True),
            comment=input.comment or "",
            session=ctx.session,
            principal=ctx.principal,
        )
        return CasePayload(case=Case.of(row, ctx), errors=[])
