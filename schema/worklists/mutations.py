"""The worklist mutations as one class for the root Mutation to inherit."""

from __future__ import annotations

import strawberry

from schema.worklists.report_mutations import ReportMutations
from schema.worklists.worklist_mutations import WorklistMutations


@strawberry.type
class WorklistMutation(WorklistMutations, ReportMutations):
    pass
