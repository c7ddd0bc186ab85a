"""Worklist queries: thin resolvers, each calling one worklist service and mapping its result."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import strawberry
from strawberry.types import Info

from content.worklists.assignments import get_assignment, my_assignments
from content.worklists.reports import get_report
from content.worklists.service import get_worklist, list_worklists
from schema.core.context import Context
from schema.core.ids import from_global_id
from schema.core.node import Node
from schema.reports.types import Report
from schema.worklists.types import Assignment, Worklist


@strawberry.type
class WorklistQuery:
    @strawberry.field(description="The caller's assignments, oldest first, each case blind until reported.")
    def my_assignments(self, info: Info[Context, None]) -> list[Assignment]:
        ctx = info.context
        return [Assignment.of(a) for a in my_assignments(session=ctx.session, principal=ctx.principal)]

    @strawberry.field(description="All worklists, newest first (trainers).")
    def worklists(self, info: Info[Context, None]) -> list[Worklist]:
        ctx = info.context
        return [Worklist.of(w) for w in list_worklists(session=ctx.session, principal=ctx.principal)]

    @strawberry.field(description="One worklist (trainers).")
    def worklist(
        self,
        info: Info[Context, None],
        id: Annotated[strawberry.ID, strawberry.argument(description="The worklist.")],
    ) -> Worklist:
        ctx = info.context
        uid = from_global_id(id, "Worklist")[1]
        return Worklist.of(get_worklist(uid, session=ctx.session, principal=ctx.principal))


WORKLIST_NODES: dict[str, Callable[[str, Context], Node]] = {
    "Worklist": lambda uid, ctx: Worklist.of(get_worklist(uid, session=ctx.session, principal=ctx.principal)),
    "Assignment": lambda uid, ctx: Assignment.of(get_assignment(uid, session=ctx.session, principal=ctx.principal)),
    "Report": lambda uid, ctx: Report.of(get_report(uid, session=ctx.session, principal=ctx.principal)),
}
