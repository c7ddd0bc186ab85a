"""FSRS scheduling of a study card: the `fsrs` package's Scheduler applied to a stored StudyCard."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum

from fsrs import Card, Rating, Scheduler, State

from content.learning.models import StudyCard


class StudyRating(str, Enum):
    """How well the trainee recalled the case, as FSRS rates it."""

    AGAIN = "AGAIN"
    HARD = "HARD"
    GOOD = "GOOD"
    EASY = "EASY"


class CardState(str, Enum):
    """Where a card stands: never studied, being learnt, known (in review), or being relearnt after a lapse."""

    NEW = "NEW"
    LEARNING = "LEARNING"
    REVIEW = "REVIEW"
    RELEARNING = "RELEARNING"


RATINGS = {
    StudyRating.AGAIN: Rating.Again,
    StudyRating.HARD: Rating.Hard,
    StudyRating.GOOD: Rating.Good,
    StudyRating.EASY: Rating.Easy,
}


def rating_of(value: int) -> StudyRating:
    """The rating stored in a review log (fsrs.Rating's number) by name."""
    return next(k for k, v in RATINGS.items() if v.value == value)


STATES = {State.Learning: CardState.LEARNING, State.Review: CardState.REVIEW, State.Relearning: CardState.RELEARNING}
# Fuzzing spreads due dates at random; without it an interval is a function of the ratings alone, so a
# trainee (and a test) can predict it. A school's pool is small enough that clumping does not matter.
SCHEDULER = Scheduler(enable_fuzzing=False)


def utc(at: datetime) -> datetime:
    """`at` in UTC: fsrs refuses any other zone object, and PostgreSQL may hand back its own."""
    return at.astimezone(UTC)


def state_of(card: StudyCard | None) -> CardState:
    """The card's state for the trainee: NEW when there is no card or it was never rated."""
    if card is None or card.reps == 0:
        return CardState.NEW
    return STATES[State(card.state)]


def _fsrs_card(card: StudyCard) -> Card:
    return Card(
        card_id=1,  # fsrs needs an id only to tell its own cards apart; ours is the row's uid
        state=State(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=utc(card.due),
        last_review=utc(card.last_review) if card.last_review else None,
    )


def schedule(card: StudyCard, rating: StudyRating, now: datetime) -> StudyCard:
    """Apply one rated review at `now` to `card` (in place): FSRS sets its state, stability and next due date."""
    before = State(card.state)
    after, _ = SCHEDULER.review_card(_fsrs_card(card), RATINGS[rating], review_datetime=utc(now))
    card.state = after.state.value
    card.step = after.step
    card.stability = after.stability
    card.difficulty = after.difficulty
    card.due = after.due
    card.last_review = after.last_review
    card.reps += 1
    if before is State.Review and rating is StudyRating.AGAIN:
        card.lapses += 1
    return card


def retrievability(card: StudyCard, now: datetime) -> float:
    """The predicted chance the trainee recalls the case now (0 for a card never rated)."""
    if card.reps == 0:
        return 0.0
    return float(SCHEDULER.get_card_retrievability(_fsrs_card(card), utc(now)))
