"""Workflow transitions and version differences."""

from __future__ import annotations

import strawberry

from content.workflow import Transition as TransitionName
from schema.core.enums import describe_values

CaseTransition = strawberry.enum(TransitionName, name="CaseTransition", description="A workflow transition.")

describe_values(
    CaseTransition,
    {
        "SUBMIT": "DRAFT to SUBMITTED: ask for review (refused while an image is held in quarantine).",
        "REQUEST_CHANGES": "SUBMITTED to DRAFT: send the case back to its authors, with a comment.",
        "VALIDATE": "SUBMITTED to VALIDATED: publish the case (by a validator who authored no version under review).",
        "RETIRE": "VALIDATED to RETIRED: withdraw a published case.",
        "REOPEN": "RETIRED to DRAFT: start work on a retired case again.",
    },
)


@strawberry.type(description="One field that differs between two versions.")
class FieldDiff:
    field: str = strawberry.field(description="Field name.")
    before: str | None = strawberry.field(description="Value before (JSON for lists).")
    after: str | None = strawberry.field(description="Value after (JSON for lists).")
