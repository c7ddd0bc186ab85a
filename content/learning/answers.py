"""Answer, reveal, rate: the trainee commits an answer before the model answer opens, then rates recall."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from content.cases.models import Case
from content.cases.versions import get_version
from content.cases.visibility import is_blind
from content.errors import DomainError, ErrorCode
from content.learning.models import StudyCard, StudyReview
from content.learning.scheduling import RATINGS, CardState, StudyRating, schedule, state_of
from content.principal import Principal
from content.security.policy import may
from content.security.roles import Permission
from content.workflow import State
from content.worklists.access import require_person
from content.worklists.rapid_marking import is_normal_case

MAX_ANSWER = 10_000
# Radiographs: the trainee also says normal or abnormal, as in rapid reporting.
PLAIN_FILM_MODALITIES = frozenset({"CR", "DX", "XR"})


@dataclass(frozen=True)
class Revealed:
    """The model answer of the published version studied, and the card holding the committed answer."""

    case: Case
    version: int
    answer: dict[str, Any]
    card: StudyCard
    plain_film: bool
    abnormal: bool | None  # a plain film's truth (rapid reporting's rule); None for other cases


def is_plain_film(data: dict[str, Any]) -> bool:
    """Whether a case version is a plain film (a normal/abnormal call is part of the answer)."""
    return bool(PLAIN_FILM_MODALITIES.intersection(data.get("modalities") or []))


def study_case(case_uid: str, *, session: Session, principal: Principal) -> Case:
    """A validated case the trainee may study; NOT_FOUND for one they may not see, FORBIDDEN while it is
    blind to them (an open assignment of theirs: it must not open here before they report it)."""
    row = session.get(Case, case_uid)
    if (
        row is None
        or row.published_version is None
        or row.state == State.RETIRED.value
        or not may(principal, Permission.VIEW, row, state=State.VALIDATED)
    ):
        raise DomainError(ErrorCode.NOT_FOUND, "no such validated case", field="case")
    if is_blind(row.uid, session=session, principal=principal):
        raise DomainError(
            ErrorCode.FORBIDDEN, "this case is in one of your open assignments: report it there first", field="case"
        )
    if not may(principal, Permission.VIEW_MODEL_ANSWER, row, state=State.VALIDATED):
        raise DomainError(ErrorCode.FORBIDDEN, "you may not see this case's model answer", field="case")
    return row


def _card(session: Session, trainee_uid: str, case_uid: str) -> StudyCard | None:
    return session.exec(
        select(StudyCard).where(StudyCard.trainee_uid == trainee_uid, StudyCard.case_uid == case_uid)
    ).first()


def reveal(
    case_uid: str,
    answer: str,
    abnormal: bool | None = None,
    *,
    session: Session,
    principal: Principal,
    now: datetime,
) -> Revealed:
    """Commit the trainee's answer and open the model answer. Refused (nothing stored) without an answer,
    or without normal/abnormal for a plain film. A second reveal before rating keeps the first answer:
    once the model answer is seen, the committed answer cannot change."""
    me = require_person(principal)
    row = study_case(case_uid, session=session, principal=principal)
    version = row.published_version or 0
    data = dict(get_version(session, row.uid, version).data)
    card = _card(session, me, row.uid)
    if card is not None and card.revealed_at is not None:
        version = card.case_version or version
        return _revealed(row, version, dict(get_version(session, row.uid, version).data), card, session)
    text = answer.strip()
    if not text:
        raise DomainError(ErrorCode.INVALID_INPUT, "commit an answer before the model answer opens", field="answer")
    if len(text) > MAX_ANSWER:
        raise DomainError(ErrorCode.INVALID_INPUT, f"an answer is at most {MAX_ANSWER} characters", field="answer")
    if abnormal is None and is_plain_film(data):
        raise DomainError(ErrorCode.INVALID_INPUT, "say whether the film is normal or abnormal", field="abnormal")
    if card is None:
        card = StudyCard(trainee_uid=me, case_uid=row.uid, due=now)
    card.case_version, card.answer, card.abnormal, card.revealed_at = version, text, abnormal, now
    session.add(card)
    try:
        session.flush()
    except IntegrityError as exc:  # the same case revealed at the same moment in another tab
        raise DomainError(ErrorCode.VERSION_CONFLICT, "this card changed meanwhile: reload it", field="case") from exc
    session.commit()
    return _revealed(row, version, data, card, session)


def _revealed(row: Case, version: int, data: dict[str, Any], card: StudyCard, session: Session) -> Revealed:
    plain = is_plain_film(data)
    truth = (not is_normal_case(data, session=session)) if plain else None
    return Revealed(case=row, version=version, answer=data, card=card, plain_film=plain, abnormal=truth)


@dataclass(frozen=True)
class Rated:
    """A card just rescheduled, with its case and the version studied."""

    case: Case
    version: int
    card: StudyCard


def rate(case_uid: str, rating: StudyRating, *, session: Session, principal: Principal, now: datetime) -> Rated:
    """Rate recall of a revealed case: FSRS schedules the card and the review (with its answer) is logged."""
    me = require_person(principal)
    row = study_case(case_uid, session=session, principal=principal)  # still theirs to study (not blind since)
    card = _card(session, me, case_uid)
    if card is None or card.revealed_at is None or card.answer is None:
        raise DomainError(ErrorCode.INVALID_INPUT, "answer and reveal the case before rating it", field="case")
    version = card.case_version or 0
    codes = list(get_version(session, case_uid, version).data.get("curriculum_codes") or [])
    before = 0 if state_of(card) is CardState.NEW else card.state
    schedule(card, rating, now)
    session.add(
        StudyReview(
            trainee_uid=me,
            case_uid=case_uid,
            case_version=version,
            curriculum_codes=codes,
            answer=card.answer,
            abnormal=card.abnormal,
            rating=int(RATINGS[rating]),
            state_before=before,
            due_after=card.due,
            reviewed_at=now,
        )
    )
    card.answer, card.abnormal, card.revealed_at = None, None, None
    session.add(card)
    session.commit()
    return Rated(case=row, version=version, card=card)
