"""Self-study types: cards in the queue, the model answer opened by a reveal, and progress figures."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from content.cases.models import Case as CaseRow
from content.imaging.tree import key_instances
from content.learning import progress as figures
from content.learning.answers import Revealed
from content.learning.models import StudyCard as CardRow
from content.learning.scheduling import CardState, StudyRating, state_of, utc
from schema.cases.types import Case
from schema.core.context import Context
from schema.core.enums import describe_values
from schema.core.errors import Error
from schema.imaging.types import Instance
from schema.users.types import Person

StudyCardState = strawberry.enum(
    CardState, name="StudyCardState", description="Where a study card stands in the scheduler."
)
StudyRatingEnum = strawberry.enum(
    StudyRating, name="StudyRating", description="How well the trainee recalled the case (FSRS rating)."
)
describe_values(
    StudyCardState,
    {
        "NEW": "Never rated: the case has not been studied yet.",
        "LEARNING": "Rated recently for the first time; shown again within the day.",
        "REVIEW": "Remembered: scheduled again after a growing interval.",
        "RELEARNING": "Forgotten after a review; shown again soon.",
    },
)
describe_values(
    StudyRatingEnum,
    {
        "AGAIN": "Not recalled: show it again soon.",
        "HARD": "Recalled with serious difficulty.",
        "GOOD": "Recalled after some thought.",
        "EASY": "Recalled at once.",
    },
)

# The title a study card's case shows until it is revealed: its own title names the answer.
CARD_LABEL = "Self-study case"


@strawberry.type(description="A trainee's spaced-repetition card of one case.")
class StudyCard:
    case: Case | None = strawberry.field(
        description="The case: clinical history and images; its answer fields are null until revealed."
    )
    due: datetime | None = strawberry.field(description="When the card is next due; null for a new case.")
    state: StudyCardState = strawberry.field(description="NEW, LEARNING, REVIEW or RELEARNING.")  # type: ignore
    reps: int = strawberry.field(description="Times rated.")
    lapses: int = strawberry.field(description="Times forgotten after it was learnt.")
    stability: float | None = strawberry.field(description="FSRS stability in days; null before the first rating.")
    difficulty: float | None = strawberry.field(description="FSRS difficulty, 1 (easy) to 10 (hard).")
    last_review: datetime | None = strawberry.field(description="When it was last rated.")
    revealed: bool = strawberry.field(
        description="An answer is committed and the model answer open, awaiting a rating."
    )
    plain_film: bool = strawberry.field(description="A plain film: the answer says normal or abnormal too.")

    @staticmethod
    def of(card: CardRow | None, case: Case | None, *, plain_film: bool = False) -> StudyCard:
        return StudyCard(
            case=case,
            due=utc(card.due) if card is not None and card.reps else None,
            state=state_of(card),
            reps=card.reps if card else 0,
            lapses=card.lapses if card else 0,
            stability=card.stability if card else None,
            difficulty=card.difficulty if card else None,
            last_review=card.last_review if card else None,
            revealed=bool(card and card.revealed_at is not None),
            plain_film=plain_film,
        )


@strawberry.type(description="What to practise next: due reviews first, then new cases.")
class StudyQueue:
    topic: str = strawberry.field(description="The curriculum code studied, or `gaps` for the trainee's gaps.")
    due_count: int = strawberry.field(description="Reviews due now under the topic.")
    new_count: int = strawberry.field(description="Cases under the topic the trainee has never studied.")
    cards: list[StudyCard] = strawberry.field(description="The first cards: due reviews, oldest first, then new.")


@strawberry.type(description="The author's model answer and annotations, open once an answer is committed.")
class StudyModelAnswer:
    row: strawberry.Private[CaseRow]
    key_image_uids: strawberry.Private[list[str]]
    title: str | None = strawberry.field(description="The case's title.")
    diagnosis: str | None = strawberry.field(description="Diagnosis.")
    findings: str | None = strawberry.field(description="Findings.")
    differential_diagnoses: list[str] | None = strawberry.field(description="Differential diagnoses.")
    discussion: str | None = strawberry.field(description="Teaching discussion.")
    teaching_points: str | None = strawberry.field(description="Teaching points.")
    abnormal: bool | None = strawberry.field(
        description="For a plain film: whether it is abnormal (false for a normal film); null otherwise."
    )
    your_answer: str = strawberry.field(description="The answer the trainee committed.")
    your_abnormal: bool | None = strawberry.field(description="The trainee's normal/abnormal call, if any.")

    @strawberry.field(description="The author's key images (what they marked), in order.")
    def key_images(self, info: Info[Context, None]) -> list[Instance]:
        ctx = info.context
        rows = key_instances(self.key_image_uids, session=ctx.session, principal=ctx.principal, case=self.row)
        return [Instance.of(r) for r in rows]

    @staticmethod
    def of(shown: Revealed) -> StudyModelAnswer:
        get, card = shown.answer.get, shown.card
        return StudyModelAnswer(
            row=shown.case,
            key_image_uids=list(get("key_images") or []),
            title=get("title"),
            diagnosis=get("diagnosis"),
            findings=get("findings"),
            differential_diagnoses=get("differential_diagnoses"),
            discussion=get("discussion"),
            teaching_points=get("teaching_points"),
            abnormal=shown.abnormal,
            your_answer=card.answer or "",
            your_abnormal=card.abnormal,
        )


@strawberry.type(description="Result of revealing a study case.")
class RevealStudyCasePayload:
    model_answer: StudyModelAnswer | None = strawberry.field(description="The model answer; null when refused.")
    card: StudyCard | None = strawberry.field(description="The card, awaiting a rating.")
    errors: list[Error] = strawberry.field(description="Why it was refused.")


@strawberry.type(description="Result of rating recall of a study case.")
class RateStudyCardPayload:
    card: StudyCard | None = strawberry.field(description="The card as rescheduled; null when refused.")
    errors: list[Error] = strawberry.field(description="Why it was refused.")


@strawberry.type(description="Result of changing whether one's self-study answers are shared.")
class StudySharingPayload:
    shares_answers: bool | None = strawberry.field(description="Whether the trainers now see the answers.")
    errors: list[Error] = strawberry.field(description="Why it was refused.")


@strawberry.type(description="Self-study under one curriculum node (its descendants included).")
class StudyNodeProgress:
    code: str = strawberry.field(description="Curriculum code.")
    title: str = strawberry.field(description="Its title.")
    depth: int = strawberry.field(description="1 for a system, deeper for its topics.")
    card_count: int = strawberry.field(description="Cards studied at least once.")
    due_count: int = strawberry.field(description="Cards due now.")
    learned_count: int = strawberry.field(description="Cards learnt (in review).")
    review_count: int = strawberry.field(description="Ratings given.")
    recalled_count: int = strawberry.field(description="Ratings that recalled the case (hard, good or easy).")
    retention: float | None = strawberry.field(
        description="Share of ratings that recalled the case (hard, good or easy); null before any."
    )

    @staticmethod
    def of(n: figures.NodeStudy) -> StudyNodeProgress:
        return StudyNodeProgress(
            code=n.code,
            title=n.title,
            depth=n.depth,
            card_count=n.card_count,
            due_count=n.due_count,
            learned_count=n.learned_count,
            review_count=n.review_count,
            recalled_count=n.recalled_count,
            retention=n.retention,
        )


@strawberry.type(description="Self-study figures: due cards, cards learnt and retention, per curriculum node.")
class StudyProgress:
    trainee_count: int = strawberry.field(description="Trainees counted (1 for one's own progress).")
    card_count: int = strawberry.field(description="Cards studied at least once.")
    due_count: int = strawberry.field(description="Cards due now.")
    learned_count: int = strawberry.field(description="Cards learnt (in review).")
    review_count: int = strawberry.field(description="Ratings given.")
    recalled_count: int = strawberry.field(description="Ratings that recalled the case (hard, good or easy).")
    retention: float | None = strawberry.field(description="Share of ratings that recalled the case.")
    shares_answers: bool = strawberry.field(description="Own progress: whether trainers see one's answers.")
    nodes: list[StudyNodeProgress] = strawberry.field(description="Per curriculum node with any card or rating.")

    @staticmethod
    def of(p: figures.StudyProgress) -> StudyProgress:
        return StudyProgress(
            trainee_count=p.trainee_count,
            card_count=p.card_count,
            due_count=p.due_count,
            learned_count=p.learned_count,
            review_count=p.review_count,
            recalled_count=p.recalled_count,
            retention=p.retention,
            shares_answers=p.shares_answers,
            nodes=[StudyNodeProgress.of(n) for n in p.nodes],
        )


@strawberry.type(description="A self-study answer its trainee shares with their trainers.")
class SharedStudyAnswer:
    trainee: Person = strawberry.field(description="Who answered.")
    case: Case | None = strawberry.field(description="The case, as the trainer may see it.")
    answer: str = strawberry.field(description="The committed answer.")
    abnormal: bool | None = strawberry.field(description="Their normal/abnormal call, for a plain film.")
    rating: StudyRatingEnum = strawberry.field(description="How they rated their recall.")  # type: ignore
    reviewed_at: datetime = strawberry.field(description="When.")


@strawberry.type(description="A cohort's self-study: counts and retention per node, and the shared answers only.")
class CohortStudyProgress:
    total: StudyProgress = strawberry.field(description="The cohort's figures (no individual answers).")
    shared_answers: list[SharedStudyAnswer] = strawberry.field(
        description="Answers of the trainees who share them, newest first (at most 200)."
    )
