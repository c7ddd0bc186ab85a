"""Inputs of the self-study mutations."""

from __future__ import annotations

import strawberry

from schema.learning.types import StudyRatingEnum


@strawberry.input(description="An answer committed before the model answer opens.")
class RevealStudyCaseInput:
    case: strawberry.ID = strawberry.field(description="A validated case from the study queue.")
    answer: str = strawberry.field(description="The trainee's answer, in free text (required, not blank).")
    abnormal: bool | None = strawberry.field(
        default=None, description="For a plain film: abnormal (true) or normal (false); required there."
    )


@strawberry.input(description="How well a revealed case was recalled.")
class RateStudyCardInput:
    case: strawberry.ID = strawberry.field(description="The case just revealed.")
    rating: StudyRatingEnum = strawberry.field(description="AGAIN, HARD, GOOD or EASY.")  # type: ignore[valid-type]


@strawberry.input(description="Whether one's self-study answers are shared with one's cohorts' trainers.")
class SetStudySharingInput:
    share: bool = strawberry.field(description="True to share the answers, false to keep them private.")
