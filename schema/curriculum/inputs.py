"""Inputs of curriculum maintenance."""

from __future__ import annotations

import strawberry


@strawberry.input(description="Retag a case's retired curriculum codes to their replacements.")
class RetagRetiredCurriculumInput:
    case: strawberry.ID = strawberry.field(description="The case.")
    expected_version: int = strawberry.field(description="The version edited; stale is VERSION_CONFLICT.")
