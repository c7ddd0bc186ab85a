"""Self-study progress: due cards, cards learned and retention per curriculum node, for a trainee and
for a cohort (counts only). A trainee's answers reach their trainers only when the trainee shares them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from content.base import utcnow
from content.cases.models import Case
from content.cases.visibility import validated_snapshots
from content.curriculum.models import ancestors_and_self
from content.curriculum.service import subtree
from content.errors import DomainError, ErrorCode
from content.learning.models import StudyCard, StudyReview, StudySharing
from content.learning.pool import study_pool
from content.learning.scheduling import CardState, state_of, utc
from content.principal import Principal
from content.users.cohorts import get_cohort, may_manage_cohort
from content.users.models import CohortMember, User
from content.worklists.access import is_trainee_user, require_person

AGAIN = 1
MAX_SHARED = 200  # the most recent shared answers a trainer is shown per cohort


@dataclass(frozen=True)
class NodeStudy:
    """Self-study under one curriculum node (rolled up from its descendants)."""

    code: str
    title: str
    depth: int
    card_count: int
    due_count: int
    learned_count: int
    review_count: int
    recalled_count: int

    @property
    def retention(self) -> float | None:
        """Share of reviews recalled (rated hard, good or easy); None before any review."""
        return round(self.recalled_count / self.review_count, 3) if self.review_count else None


@dataclass(frozen=True)
class StudyProgress:
    """Self-study of one trainee or a cohort: totals and per-node figures (nodes with any card or review)."""

    trainee_count: int
    card_count: int
    due_count: int
    learned_count: int
    review_count: int
    recalled_count: int
    nodes: list[NodeStudy]
    shares_answers: bool = False

    @property
    def retention(self) -> float | None:
        """Share of all reviews recalled; None before any review."""
        return round(self.recalled_count / self.review_count, 3) if self.review_count else None


@dataclass(frozen=True)
class SharedAnswer:
    """One self-study answer a trainee chose to share with their trainers."""

    trainee: User
    case: Case
    answer: str
    abnormal: bool | None
    rating: int
    reviewed_at: datetime


def _codes(cards: Iterable[StudyCard], codes_of: dict[str, list[str]]) -> Iterable[tuple[StudyCard, set[str]]]:
    for card in cards:
        yield card, {a for c in codes_of.get(card.case_uid, []) for a in ancestors_and_self(c)}


def summarise(
    session: Session, trainee_uids: Sequence[str], codes_of: dict[str, list[str]], now: datetime
) -> StudyProgress:
    """Figures of these trainees' cards (of the cases in `codes_of`) and all their reviews."""
    uids = list(trainee_uids)
    rows = session.exec(select(StudyCard).where(col(StudyCard.trainee_uid).in_(uids)))
    cards = [c for c in rows if c.case_uid in codes_of and c.reps > 0]
    reviews = list(session.exec(select(StudyReview).where(col(StudyReview.trainee_uid).in_(uids))))
    per: dict[str, Counter[str]] = {k: Counter() for k in ("cards", "due", "learned", "reviews", "recalled")}
    for card, nodes in _codes(cards, codes_of):
        per["cards"].update(nodes)
        if utc(card.due) <= now:
            per["due"].update(nodes)
        if state_of(card) is CardState.REVIEW:
            per["learned"].update(nodes)
    for review in reviews:
        nodes = {a for c in review.curriculum_codes for a in ancestors_and_self(c)}
        per["reviews"].update(nodes)
        if review.rating != AGAIN:
            per["recalled"].update(nodes)
    per_node = [
        NodeStudy(
            code=n.code,
            title=n.title,
            depth=n.depth,
            card_count=per["cards"][n.code],
            due_count=per["due"][n.code],
            learned_count=per["learned"][n.code],
            review_count=per["reviews"][n.code],
            recalled_count=per["recalled"][n.code],
        )
        for n in subtree(None, session=session)
        if per["cards"][n.code] or per["reviews"][n.code]
    ]
    return StudyProgress(
        trainee_count=len(uids),
        card_count=len(cards),
        due_count=sum(1 for c in cards if utc(c.due) <= now),
        learned_count=sum(1 for c in cards if state_of(c) is CardState.REVIEW),
        review_count=len(reviews),
        recalled_count=sum(1 for r in reviews if r.rating != AGAIN),
        nodes=per_node,
    )


def shares_answers(session: Session, trainee_uid: str) -> bool:
    """Whether the trainee lets their trainers read their self-study answers."""
    row = session.get(StudySharing, trainee_uid)
    return bool(row and row.share_answers)


def my_study_progress(*, session: Session, principal: Principal, now: datetime) -> StudyProgress:
    """The caller's own self-study: due counts over the cases they may study now (never a blind one)."""
    me = require_person(principal)
    mine = summarise(session, [me], study_pool(session, principal), now)
    return StudyProgress(**{**mine.__dict__, "shares_answers": shares_answers(session, me)})


def _cohort_trainees(cohort_uid: str, session: Session) -> list[User]:
    rows = session.exec(
        select(User)
        .join(CohortMember, col(CohortMember.user_uid) == User.uid)
        .where(CohortMember.cohort_uid == cohort_uid)
        .order_by(col(User.username))
    )
    return [u for u in rows if is_trainee_user(u)]


def cohort_study_progress(
    cohort_uid: str, *, session: Session, principal: Principal, now: datetime
) -> tuple[StudyProgress, list[SharedAnswer]]:
    """A cohort's self-study as counts and retention per node (its trainers and administrators), and the
    answers of only those trainees who share them: nobody's answers are shown by default."""
    require_person(principal)
    get_cohort(cohort_uid, session=session)
    if not may_manage_cohort(principal, cohort_uid):
        raise DomainError(ErrorCode.FORBIDDEN, "only the cohort's trainers see its self-study", field="cohort")
    trainees = _cohort_trainees(cohort_uid, session)
    codes_of = {
        uid: list(d.get("curriculum_codes") or [])
        for uid, d in validated_snapshots(session, None, ("curriculum_codes",)).items()
    }
    figures = summarise(session, [t.uid for t in trainees], codes_of, now)
    sharing = {t.uid: t for t in trainees if shares_answers(session, t.uid)}
    shared = session.exec(
        select(StudyReview)
        .where(col(StudyReview.trainee_uid).in_(list(sharing)))
        .order_by(col(StudyReview.reviewed_at).desc(), col(StudyReview.uid))
        .limit(MAX_SHARED)
    )
    reviews = list(shared)
    rows = {c.uid: c for c in session.exec(select(Case).where(col(Case.uid).in_({r.case_uid for r in reviews})))}
    answers = [
        SharedAnswer(
            trainee=sharing[r.trainee_uid],
            case=rows[r.case_uid],
            answer=r.answer,
            abnormal=r.abnormal,
            rating=r.rating,
            reviewed_at=r.reviewed_at,
        )
        for r in reviews
    ]
    return figures, answers


def set_sharing(share: bool, *, session: Session, principal: Principal) -> bool:
    """The trainee shares their self-study answers with their cohorts' trainers, or stops sharing them."""
    me = require_person(principal)
    row = session.get(StudySharing, me) or StudySharing(trainee_uid=me)
    row.share_answers, row.modified = share, utcnow()
    session.add(row)
    session.commit()
    return share
