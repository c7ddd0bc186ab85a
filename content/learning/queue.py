"""The study queue: a trainee's due reviews first (oldest due first), then cases new to them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from content.cases.models import Case
from content.errors import DomainError, ErrorCode
from content.learning.models import StudyCard
from content.learning.pool import GAPS, check_topic, covered, in_gaps, in_topic, study_pool
from content.learning.scheduling import utc
from content.principal import Principal
from content.security.policy import require
from content.security.roles import Permission
from content.worklists.access import require_person

MAX_FIRST = 100


@dataclass(frozen=True)
class QueuedCard:
    """A case in the queue with the trainee's card (None for a case they have never studied)."""

    case: Case
    card: StudyCard | None


@dataclass(frozen=True)
class StudyQueue:
    """What to study next: how many reviews are due and how many cases are new, and the first cards."""

    topic: str
    due_count: int
    new_count: int
    cards: list[QueuedCard]


def cards_of(session: Session, trainee_uid: str, case_uids: list[str] | None = None) -> list[StudyCard]:
    """The trainee's cards (of these cases), in no particular order."""
    stmt = select(StudyCard).where(StudyCard.trainee_uid == trainee_uid)
    if case_uids is not None:
        stmt = stmt.where(col(StudyCard.case_uid).in_(case_uids))
    return list(session.exec(stmt))


def study_queue(
    topic: str | None, *, first: int = 10, session: Session, principal: Principal, now: datetime
) -> StudyQueue:
    """Due reviews under `topic` (every due review for "my gaps"), then cases new to the trainee: under
    the topic, or teaching a node their reports and self-study have not covered (`topic` None or GAPS)."""
    me = require_person(principal)
    require(principal, Permission.VIEW)
    if not 1 <= first <= MAX_FIRST:
        raise DomainError(ErrorCode.INVALID_INPUT, f"first must be between 1 and {MAX_FIRST}", field="first")
    topic = (topic or GAPS).strip()
    check_topic(topic, session)
    pool = study_pool(session, principal)
    cards = {c.case_uid: c for c in cards_of(session, me) if c.case_uid in pool}
    if topic == GAPS:
        # A due review is due whatever its topic; new cases come from the trainee's gaps.
        coverage = covered(session, me)
        due = [c for c in cards.values() if utc(c.due) <= now]
        new = sorted(uid for uid, codes in pool.items() if uid not in cards and in_gaps(codes, coverage))
    else:
        due = [c for uid, c in cards.items() if utc(c.due) <= now and in_topic(pool[uid], topic)]
        new = sorted(uid for uid, codes in pool.items() if uid not in cards and in_topic(codes, topic))
    due.sort(key=lambda c: (utc(c.due), c.case_uid))
    chosen: list[tuple[str, StudyCard | None]] = [(c.case_uid, c) for c in due] + [(uid, None) for uid in new]
    chosen = chosen[:first]
    rows = {r.uid: r for r in session.exec(select(Case).where(col(Case.uid).in_([uid for uid, _ in chosen])))}
    return StudyQueue(
        topic=topic,
        due_count=len(due),
        new_count=len(new),
        cards=[QueuedCard(case=rows[uid], card=card) for uid, card in chosen if uid in rows],
    )
