"""Inputs of the report mutations."""

from __future__ import annotations

import strawberry

from schema.annotations.inputs import AnnotationInput


@strawberry.input(description="A report of one case of an assignment (a draft, or the submission).")
class SubmitReportInput:
    assignment: strawberry.ID = strawberry.field(description="One's own assignment.")
    case: strawberry.ID = strawberry.field(description="A case of it.")
    observations: str | None = strawberry.field(default=None, description="Long case: what is seen.")
    interpretation: str | None = strawberry.field(default=None, description="Long case: what it means.")
    principal_diagnosis: str | None = strawberry.field(default=None, description="Long case: the diagnosis.")
    differential_diagnoses: list[str] | None = strawberry.field(
        default=None, description="Long case: the differentials."
    )
    management: str | None = strawberry.field(default=None, description="Long case: what to do next.")
    abnormal: bool | None = strawberry.field(
        default=None, description="Rapid reporting: abnormal (true) or normal (false)."
    )
    abnormality: str | None = strawberry.field(default=None, description="Rapid reporting: the abnormality.")
    site: str | None = strawberry.field(default=None, description="Rapid reporting: its site.")
    annotations: list[AnnotationInput] | None = strawberry.field(
        default=None,
        description="One's own marks on the images (at most 200); given, they replace the draft's; null keeps them.",
    )


@strawberry.input(description="One rubric section's score.")
class SectionScoreInput:
    section: str = strawberry.field(description="Rubric section, e.g. observations.")
    score: int = strawberry.field(description="Its score, 1..8.")


@strawberry.input(description="A trainer's mark of a long-case report.")
class FeedbackInput:
    report: strawberry.ID = strawberry.field(description="A submitted long-case report.")
    score: int = strawberry.field(description="The mark, 1..8.")
    feedback: str = strawberry.field(description="Feedback for the trainee.")
    sections: list[SectionScoreInput] | None = strawberry.field(
        default=None, description="Per-section scores, 1..8 each."
    )


@strawberry.input(description="A second trainer's moderation of a mark.")
class ModerateReportInput:
    report: strawberry.ID = strawberry.field(description="A marked report.")
    agreed: bool = strawberry.field(description="Whether the moderator agrees with the mark.")
    score: int | None = strawberry.field(default=None, description="The score that counts, when not agreed.")
    comment: str | None = strawberry.field(default=None, description="Why.")
