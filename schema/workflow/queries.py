"""Workflow queries: caseDiff and reviewQueue."""

from __future__ import annotations

import json
from typing import Annotated, Any

import strawberry
from sqlmodel import col, select
from strawberry.types import Info

from content.cases.history import case_diff
from content.cases.models import Case as CaseRow
from content.cases.transitions import available_transitions
from content.errors import DomainError, ErrorCode
from content.security.policy import may, visible_condition
from content.security.roles import Permission
from content.workflow import State
from content.workflow import Transition as TransitionName
from schema.cases.types import Case, prime_cases
from schema.core.context import Context
from schema.core.ids import from_global_id, to_global_id
from schema.workflow.types import FieldDiff


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value)


# Image-set fields hold row uids; a client knows them by their global ids.
_ID_TYPES = {"key_images": "Instance", "studies": "Study", "series": "Series"}


def _ids(field: str, value: Any) -> Any:
    if field == "annotations" and isinstance(value, list):  # each names its instance by row uid
        return [{**a, "instance": to_global_id("Instance", a["instance"])} for a in value]
    kind = _ID_TYPES.get(field)
    return [to_global_id(kind, v) for v in value] if kind and isinstance(value, list) else value


@strawberry.type
class WorkflowQuery:
    @strawberry.field(
        description="Field-level differences between two versions of a case; image changes "
        "appear as studies, series (added or removed) and key_images, as global ids."
    )
    def case_diff(
        self,
        info: Info[Context, None],
        id: Annotated[strawberry.ID, strawberry.argument(description="The case.")],
        from_version: Annotated[int, strawberry.argument(description="The earlier version.")],
        to_version: Annotated[int, strawberry.argument(description="The later version.")],
    ) -> list[FieldDiff]:
        ctx = info.context
        uid = from_global_id(id, "Case")[1]
        changes = case_diff(uid, from_version, to_version, session=ctx.session, principal=ctx.principal)
        return [
            FieldDiff(field=c.field, before=_text(_ids(c.field, c.before)), after=_text(_ids(c.field, c.after)))
            for c in changes
        ]

    @strawberry.field(description="Submitted cases the caller may validate, oldest first.")
    def review_queue(
        self,
        info: Info[Context, None],
        first: Annotated[int, strawberry.argument(description="How many cases, 1 to 100.")] = 50,
    ) -> list[Case]:
        ctx = info.context
        if not 1 <= first <= 100:
            raise DomainError(ErrorCode.INVALID_INPUT, "first must be 1 to 100", field="first")
        stmt = (
            select(CaseRow)
            .where(CaseRow.state == State.SUBMITTED.value, visible_condition(ctx.principal, CaseRow))
            .order_by(col(CaseRow.modified))
        )
        rows = [
            r
            for r in ctx.session.exec(stmt.limit(first * 2))
            if may(ctx.principal, Permission.VALIDATE, r)
            and TransitionName.VALIDATE in available_transitions(r, session=ctx.session, principal=ctx.principal)
        ]
        rows = rows[:first]
        prime_cases(rows, ctx)
        return [c for c in (Case.of(r, ctx) for r in rows) if c is not None]
