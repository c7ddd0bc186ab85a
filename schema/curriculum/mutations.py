"""Curriculum maintenance mutations."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from content.curriculum.retired import retag_retired
from schema.context import Context
from schema.errors import payload
from schema.mutations import CasePayload
from schema.node import from_global_id
from schema.types import Case


@strawberry.input(description="Retag a case's retired curriculum codes to their replacements.")
class RetagRetiredCurriculumInput:
    case: strawberry.ID
    expected_version: int


@strawberry.type
class CurriculumMutation:
    @strawberry.mutation(description="Replace every retired curriculum code of a case by its replacement: a new "
                                     "version (on a validated case, a working copy to validate as usual).")
    def retag_retired_curriculum(self, info: Info[Context, None],
                                 input: RetagRetiredCurriculumInput) -> CasePayload:
        ctx = info.context

        def run() -> CasePayload:
            uid = from_global_id(input.case, "Case", field="case")[1]
            row = retag_retired(uid, expected_version=input.expected_version, session=ctx.session,
                                principal=ctx.principal)
            return CasePayload(case=Case.of(row, ctx), errors=[])

        return payload(run, lambda errs: CasePayload(case=None, errors=errs), ctx.session)
