"""Inputs of the workflow mutations."""

from __future__ import annotations

import strawberry

from schema.workflow.types import CaseTransition


@strawberry.input(description="Move a case through the workflow.")
class TransitionCaseInput:
    id: strawberry.ID
    transition: CaseTransition  # type: ignore[valid-type]
    comment: str | None = None


@strawberry.input(description="Make an old version the content of a new one.")
class RevertCaseInput:
    id: strawberry.ID
    to_version: int
    expected_version: int
