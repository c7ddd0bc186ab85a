"""Self-study mutations: commit an answer and reveal, rate recall, share one's answers."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from content.learning.answers import is_plain_film, rate, reveal
from content.learning.progress import set_sharing
from content.learning.scheduling import StudyRating
from schema.cases.types import pinned_case
from schema.core.context import Context
from schema.core.errors import Error, refusable
from schema.core.ids import from_global_id
from schema.learning.inputs import RateStudyCardInput, RevealStudyCaseInput, SetStudySharingInput
from schema.learning.types import (
    RateStudyCardPayload,
    RevealStudyCasePayload,
    StudyCard,
    StudyModelAnswer,
    StudySharingPayload,
)


def _reveal_refused(errs: list[Error]) -> RevealStudyCasePayload:
    return RevealStudyCasePayload(model_answer=None, card=None, errors=errs)


def _rate_refused(errs: list[Error]) -> RateStudyCardPayload:
    return RateStudyCardPayload(card=None, errors=errs)


def _sharing_refused(errs: list[Error]) -> StudySharingPayload:
    return StudySharingPayload(shares_answers=None, errors=errs)


@strawberry.type
class LearningMutation:
    @strawberry.mutation(
        description="Commit an answer to a study case; the model answer and the author's annotations open in "
        "the reply. Refused without an answer, and for a case of the caller's open assignments."
    )
    @refusable(_reveal_refused)
    def reveal_study_case(
        self,
        info: Info[Context, None],
        input: Annotated[
            RevealStudyCaseInput, strawberry.argument(description="An answer committed before the model answer.")
        ],
    ) -> RevealStudyCasePayload:
        ctx = info.context
        uid = from_global_id(input.case, "Case", field="case")[1]
        shown = reveal(uid, input.answer, input.abnormal, session=ctx.session, principal=ctx.principal, now=ctx.clock())
        case = pinned_case(shown.case, shown.version, blind=False, label="", ctx=ctx)
        return RevealStudyCasePayload(
            model_answer=StudyModelAnswer.of(shown),
            card=StudyCard.of(shown.card, case, plain_film=shown.plain_film),
            errors=[],
        )

    @strawberry.mutation(
        description="Rate recall of a revealed study case; the scheduler (FSRS) sets its next due date."
    )
    @refusable(_rate_refused)
    def rate_study_card(
        self,
        info: Info[Context, None],
        input: Annotated[RateStudyCardInput, strawberry.argument(description="How well a revealed case was recalled.")],
    ) -> RateStudyCardPayload:
        ctx = info.context
        uid = from_global_id(input.case, "Case", field="case")[1]
        rated = rate(uid, StudyRating(input.rating), session=ctx.session, principal=ctx.principal, now=ctx.clock())
        case = pinned_case(rated.case, rated.version, blind=False, label="", ctx=ctx)
        return RateStudyCardPayload(
            card=StudyCard.of(rated.card, case, plain_film=bool(case and is_plain_film(case.data))), errors=[]
        )

    @strawberry.mutation(description="Share one's self-study answers with one's cohorts' trainers, or stop.")
    @refusable(_sharing_refused)
    def set_study_sharing(
        self,
        info: Info[Context, None],
        input: Annotated[SetStudySharingInput, strawberry.argument(description="Share or not.")],
    ) -> StudySharingPayload:
        ctx = info.context
        return StudySharingPayload(
            shares_answers=set_sharing(input.share, session=ctx.session, principal=ctx.principal), errors=[]
        )
