"""Inputs of the workflow mutations."""

from __future__ import annotations

import strawberry

from schema.workflow.types import CaseTransition


@strawberry.input(description="Move a case through the workflow.")
class TransitionCaseInput:
    id: strawberry.ID = strawberry.field(description="The case.")
    transition: CaseTransition = strawberry.field(description="The transition to make.")  # type: ignore[valid-type]
    comment: str | None = strawberry.field(default=None, description="Why, kept in the audit trail.")


@strawberry.input(description="Make an old version the content of a new one.")
class RevertCaseInput:
    id: strawberry.ID = strawberry.field(description="The case.")
    to_version: int = strawberry.field(description="The old version whose content comes back.")
    expected_version: int = strawberry.field(description="The current version; stale is VERSION_CONFLICT.")
