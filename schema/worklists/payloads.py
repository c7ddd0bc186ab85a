"""Mutation payloads: the changed object, or why it was refused."""

from __future__ import annotations

import strawberry

from schema.errors import Error
from schema.worklists.report_types import Report
from schema.worklists.types import Assignment, Worklist


@strawberry.type(description="Result of a worklist mutation.")
class WorklistPayload:
    worklist: Worklist | None = strawberry.field(description="The worklist after the change.")
    errors: list[Error] = strawberry.field(description="Why it failed.")


@strawberry.type(description="Result of assignWorklist.")
class AssignWorklistPayload:
    assignments: list[Assignment] = strawberry.field(description="The assignments made (one per trainee).")
    errors: list[Error] = strawberry.field(description="Why it failed.")


@strawberry.type(description="Result of startAssignment.")
class AssignmentPayload:
    assignment: Assignment | None = strawberry.field(description="The assignment, its clock started.")
    errors: list[Error] = strawberry.field(description="Why it failed.")


@strawberry.type(description="Result of a report mutation (draft, submit, feedback, moderation).")
class ReportPayload:
    report: Report | None = strawberry.field(description="The report after the change.")
    errors: list[Error] = strawberry.field(description="Why it failed.")
