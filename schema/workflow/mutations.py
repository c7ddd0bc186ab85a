"""Workflow mutations: transitionCase and revertCase."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from content.cases.history import revert_case
from content.cases.transitions import transition
from schema.cases.types import Case, CasePayload
from schema.core.context import Context
from schema.core.errors import refusable
from schema.core.ids import from_global_id
from schema.workflow.inputs import RevertCaseInput, TransitionCaseInput


@strawberry.type
class WorkflowMutation:
    @strawberry.mutation(description="Move a case through the validation workflow.")
    @refusable(lambda errs: CasePayload(case=None, errors=errs))
    def transition_case(
        self,
        info: Info[Context, None],
        input: Annotated[TransitionCaseInput, strawberry.argument(description="Move a case through the workflow.")],
    ) -> CasePayload:
        ctx = info.context
        uid = from_global_id(input.id, "Case")[1]
        row = transition(
            uid,
            str(input.transition.value),  # type: ignore[attr-defined]
            comment=input.comment,
            session=ctx.session,
            principal=ctx.principal,
        )
        return CasePayload(case=Case.of(row, ctx), errors=[])

    @strawberry.mutation(description="Make an old version the content of a new version.")
    @refusable(lambda errs: CasePayload(case=None, errors=errs))
    def revert_case(
        self,
        info: Info[Context, None],
        input: Annotated[
            RevertCaseInput, strawberry.argument(description="Make an old version the content of a new one.")
        ],
    ) -> CasePayload:
        ctx = info.context
        uid = from_global_id(input.id, "Case")[1]
        row = revert_case(
            uid,
            to_version=input.to_version,
            expected_version=input.expected_version,
            session=ctx.session,
            principal=ctx.principal,
        )
        return CasePayload(case=Case.of(row, ctx), errors=[])
