"""Curriculum maintenance mutations."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from content.curriculum.retired import retag_retired
from schema.cases.types import Case, CasePayload
from schema.core.context import Context
from schema.core.errors import refusable
from schema.core.ids import from_global_id
from schema.curriculum.inputs import RetagRetiredCurriculumInput


@strawberry.type
class CurriculumMutation:
    @strawberry.mutation(
        description="Replace every retired curriculum code of a case by its replacement: a new "
        "version (on a validated case, a working copy to validate as usual)."
    )
    @refusable(lambda errs: CasePayload(case=None, errors=errs))
    def retag_retired_curriculum(
        self,
        info: Info[Context, None],
        input: Annotated[
            RetagRetiredCurriculumInput,
            strawberry.argument(description="Retag a case's retired curriculum codes to their replacements."),
        ],
    ) -> CasePayload:
        ctx = info.context
        uid = from_global_id(input.case, "Case", field="case")[1]
        row = retag_retired(uid, expected_version=input.expected_version, session=ctx.session, principal=ctx.principal)
        return CasePayload(case=Case.of(row, ctx), errors=[])
