"""Worklist objects reachable through the root `node(id)` field, each through its own service check."""

from __future__ import annotations

from collections.abc import Callable

from content.worklists.assignments import get_assignment
from content.worklists.reports import get_report
from content.worklists.service import get_worklist
from schema.context import Context
from schema.types import Node
from schema.worklists.report_types import Report
from schema.worklists.types import Assignment, Worklist

WORKLIST_NODES: dict[str, Callable[[str, Context], Node]] = {
    "Worklist": lambda uid, ctx: Worklist.of(get_worklist(uid, session=ctx.session, principal=ctx.principal)),
    "Assignment": lambda uid, ctx: Assignment.of(get_assignment(uid, session=ctx.session, principal=ctx.principal)),
    "Report": lambda uid, ctx: Report.of(get_report(uid, session=ctx.session, principal=ctx.principal)),
}
