"""Worklist and assignment mutations."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from content.errors import DomainError, ErrorCode
from content.worklists.assignments import assign_worklist
from content.worklists.clock import start_assignment
from content.worklists.from_search import validated_case_uids
from content.worklists.service import WorklistSpec, create_worklist, reorder_worklist, update_worklist
from schema.core.context import Context
from schema.core.errors import refusable
from schema.core.ids import from_global_id
from schema.search.inputs import CaseSearch, search_request
from schema.worklists.inputs import (
    AssignWorklistInput,
    CreateWorklistInput,
    ReorderWorklistInput,
    StartAssignmentInput,
    UpdateWorklistInput,
)
from schema.worklists.types import Assignment, AssignmentPayload, AssignWorklistPayload, Worklist, WorklistPayload

MAX_IDS = 500


def _uids(ids: list[strawberry.ID] | None, type_name: str, field: str) -> list[str]:
    if ids and len(ids) > MAX_IDS:
        raise DomainError(ErrorCode.INVALID_INPUT, f"at most {MAX_IDS} ids", field=field)
    return [from_global_id(i, type_name, field=field)[1] for i in ids or []]


def _from_search(s: CaseSearch, limit: int, ctx: Context) -> list[str]:
    if ctx.catalog is None:
        raise DomainError(ErrorCode.INVALID_INPUT, "search is not available here", field="fromSearch")
    coll = from_global_id(s.collection, "Collection", field="collection")[1] if s.collection else None
    return validated_case_uids(
        search_request(s, coll), limit=limit, session=ctx.session, principal=ctx.principal, catalog=ctx.catalog
    )


@strawberry.type
class WorklistMutation:
    @strawberry.mutation(description="Build a worklist of validated cases (trainers).")
    @refusable(lambda errs: WorklistPayload(worklist=None, errors=errs))
    def create_worklist(
        self,
        info: Info[Context, None],
        input: Annotated[
            CreateWorklistInput,
            strawberry.argument(
                description="Build a worklist of validated cases, by hand and/or from a curriculum search."
            ),
        ],
    ) -> WorklistPayload:
        ctx = info.context
        cases = _uids(input.cases, "Case", "cases")
        if input.from_search is not None:
            found = _from_search(input.from_search, input.search_limit, ctx)
            cases += [c for c in found if c not in cases]
        spec = WorklistSpec(
            title=input.title,
            mode=input.mode.value,  # type: ignore[attr-defined]
            case_uids=tuple(cases),
            instructions=input.instructions or "",
            time_limit_minutes=input.time_limit_minutes,
            late_answers=input.late_answers.value,  # type: ignore[attr-defined]
            cohort_uid=from_global_id(input.cohort, "Cohort", field="cohort")[1] if input.cohort else None,
        )
        row = create_worklist(spec, session=ctx.session, principal=ctx.principal)
        return WorklistPayload(worklist=Worklist.of(row), errors=[])

    @strawberry.mutation(description="Replace a worklist's title, instructions, limit and cases (a new version).")
    @refusable(lambda errs: WorklistPayload(worklist=None, errors=errs))
    def update_worklist(
        self,
        info: Info[Context, None],
        input: Annotated[
            UpdateWorklistInput,
            strawberry.argument(description="Replace a worklist's title, instructions, time limit and cases."),
        ],
    ) -> WorklistPayload:
        ctx = info.context
        uid = from_global_id(input.id, "Worklist")[1]
        spec = WorklistSpec(
            title=input.title,
            mode="",
            case_uids=tuple(_uids(input.cases, "Case", "cases")),
            instructions=input.instructions or "",
            time_limit_minutes=input.time_limit_minutes,
            late_answers=input.late_answers.value,  # type: ignore[attr-defined]
        )
        row = update_worklist(
            uid,
            expected_version=input.expected_version,
            spec=spec,
            comment=input.comment or "",
            session=ctx.session,
            principal=ctx.principal,
        )
        return WorklistPayload(worklist=Worklist.of(row), errors=[])

    @strawberry.mutation(description="Put a worklist's cases in a new order (a new version).")
    @refusable(lambda errs: WorklistPayload(worklist=None, errors=errs))
    def reorder_worklist(
        self,
        info: Info[Context, None],
        input: Annotated[
            ReorderWorklistInput, strawberry.argument(description="Put a worklist's cases in a new order.")
        ],
    ) -> WorklistPayload:
        ctx = info.context
        uid = from_global_id(input.id, "Worklist")[1]
        row = reorder_worklist(
            uid,
            expected_version=input.expected_version,
            case_uids=_uids(input.cases, "Case", "cases"),
            session=ctx.session,
            principal=ctx.principal,
        )
        return WorklistPayload(worklist=Worklist.of(row), errors=[])

    @strawberry.mutation(description="Assign a worklist to trainees or a cohort; case versions are pinned now.")
    @refusable(lambda errs: AssignWorklistPayload(assignments=[], errors=errs))
    def assign_worklist(
        self,
        info: Info[Context, None],
        input: Annotated[
            AssignWorklistInput,
            strawberry.argument(description="Assign a worklist to trainees or to every trainee of a cohort."),
        ],
    ) -> AssignWorklistPayload:
        ctx = info.context
        rows = assign_worklist(
            from_global_id(input.worklist, "Worklist", field="worklist")[1],
            trainee_uids=_uids(input.trainees, "User", "trainees"),
            cohort_uid=from_global_id(input.cohort, "Cohort", field="cohort")[1] if input.cohort else None,
            due_at=input.due_at,
            session=ctx.session,
            principal=ctx.principal,
        )
        ctx.loaders.users.want(r.trainee_uid for r in rows)
        return AssignWorklistPayload(assignments=[Assignment.of(r) for r in rows], errors=[])

    @strawberry.mutation(
        description="Start the server's clock of one's own assignment (once; later calls "
        "change nothing): a timed worklist's limit runs from here."
    )
    @refusable(lambda errs: AssignmentPayload(assignment=None, errors=errs))
    def start_assignment(
        self,
        info: Info[Context, None],
        input: Annotated[
            StartAssignmentInput, strawberry.argument(description="Start the clock of one's own timed assignment.")
        ],
    ) -> AssignmentPayload:
        ctx = info.context
        row = start_assignment(
            from_global_id(input.assignment, "Assignment", field="assignment")[1],
            session=ctx.session,
            principal=ctx.principal,
        )
        return AssignmentPayload(assignment=Assignment.of(row), errors=[])
