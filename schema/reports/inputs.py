"""Inputs of the report mutations."""

from __future__ import annotations

import strawberry


@strawberry.input(description="A report of one case of an assignment (a draft, or the submission).")
class SubmitReportInput:
    assignment: strawberry.ID
    case: strawberry.ID
    observations: str | None = None
    interpretation: str | None = None
    principal_diagnosis: str | None = None
    differential_diagnoses: list[str] | None = None
    management: str | None = None
    abnormal: bool | None = None
    abnormality: str | None = strawberry.field(default=None, description="Rapid reporting: the abnormality.")
    site: str | None = strawberry.field(default=None, description="Rapid reporting: its site.")


@strawberry.input(description="One rubric section's score.")
class SectionScoreInput:
    section: str
    score: int


@strawberry.input(description="A trainer's mark of a long-case report.")
class FeedbackInput:
    report: strawberry.ID
    score: int
    feedback: str
    sections: list[SectionScoreInput] | None = strawberry.field(default=None,
                                                                description="Per-section scores, 1..8 each.")


@strawberry.input(description="A second trainer's moderation of a mark.")
class ModerateReportInput:
    report: strawberry.ID
    agreed: bool
    score: int | None = None
    comment: str | None = None
