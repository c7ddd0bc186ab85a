"""Self-study queries: the queue, one's own progress, and a cohort's figures for its trainers."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from content.learning.answers import is_plain_film
from content.learning.progress import cohort_study_progress, my_study_progress
from content.learning.queue import study_queue
from content.learning.scheduling import rating_of
from schema.cases.types import Case, pinned_case, prime_cases
from schema.core.context import Context
from schema.core.ids import from_global_id
from schema.learning.types import (
    CARD_LABEL,
    CohortStudyProgress,
    SharedStudyAnswer,
    StudyCard,
    StudyProgress,
    StudyQueue,
)
from schema.users.types import Person


@strawberry.type
class LearningQuery:
    @strawberry.field(
        description="The next cases to practise: due reviews first, then new cases of the topic (or, with no "
        "topic or `gaps`, of the caller's curriculum gaps). Cases of the caller's open assignments never appear; "
        "answer fields are null until revealed."
    )
    def study_queue(
        self,
        info: Info[Context, None],
        curriculum: Annotated[
            str | None, strawberry.argument(description="A curriculum code (its subtree), or `gaps`.")
        ] = None,
        first: Annotated[int, strawberry.argument(description="How many cards, 1..100.")] = 10,
    ) -> StudyQueue:
        ctx = info.context
        queue = study_queue(curriculum, first=first, session=ctx.session, principal=ctx.principal, now=ctx.clock())
        labels = ctx.blind_labels()
        prime_cases([q.case for q in queue.cards], ctx)  # one query per relation for the whole page
        cards = []
        for q in queue.cards:
            # Shown blind in this whole response (title, answer fields, answer-bearing image text) until
            # the trainee commits an answer; the published version, whatever the working copy is.
            labels.setdefault(q.case.uid, CARD_LABEL)
            case = pinned_case(q.case, q.case.published_version or 0, blind=True, label=CARD_LABEL, ctx=ctx)
            cards.append(StudyCard.of(q.card, case, plain_film=bool(case and is_plain_film(case.data))))
        return StudyQueue(topic=queue.topic, due_count=queue.due_count, new_count=queue.new_count, cards=cards)

    @strawberry.field(description="The caller's self-study: due cards, cards learnt and retention per node.")
    def study_progress(self, info: Info[Context, None]) -> StudyProgress:
        ctx = info.context
        return StudyProgress.of(my_study_progress(session=ctx.session, principal=ctx.principal, now=ctx.clock()))

    @strawberry.field(
        description="A cohort's self-study for its trainers: counts and retention per node; answers only of "
        "the trainees who share them."
    )
    def cohort_study_progress(
        self,
        info: Info[Context, None],
        cohort: Annotated[strawberry.ID, strawberry.argument(description="The cohort.")],
    ) -> CohortStudyProgress:
        ctx = info.context
        total, shared = cohort_study_progress(
            from_global_id(cohort, "Cohort", field="cohort")[1],
            session=ctx.session,
            principal=ctx.principal,
            now=ctx.clock(),
        )
        return CohortStudyProgress(
            total=StudyProgress.of(total),
            shared_answers=[
                SharedStudyAnswer(
                    trainee=Person(display_name=a.trainee.display_name),
                    case=Case.of(a.case, ctx),
                    answer=a.answer,
                    abnormal=a.abnormal,
                    rating=rating_of(a.rating),
                    reviewed_at=a.reviewed_at,
                )
                for a in shared
            ],
        )
