"""Workflow transitions and version differences."""

from __future__ import annotations

import strawberry

from content.workflow import Transition as TransitionName

CaseTransition = strawberry.enum(TransitionName, name="CaseTransition", description="A workflow transition.")


@strawberry.type(description="One field that differs between two versions.")
class FieldDiff:
    field: str = strawberry.field(description="Field name.")
    before: str | None = strawberry.field(description="Value before (JSON for lists).")
    after: str | None = strawberry.field(description="Value after (JSON for lists).")
