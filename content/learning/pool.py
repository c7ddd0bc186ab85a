"""The cases a trainee may study: validated, visible to them, never blind (content.cases.visibility),
under the topic they picked or in their curriculum gaps."""

from __future__ import annotations

from collections import Counter

from sqlmodel import Session, col, select

from content.cases.models import Case
from content.cases.visibility import validated_snapshots
from content.curriculum.models import CurriculumNode, ancestors_and_self
from content.errors import DomainError, ErrorCode
from content.learning.models import StudyReview
from content.principal import Principal
from content.security.policy import may
from content.security.roles import Permission
from content.workflow import State
from content.worklists.coverage import rolled_up
from content.worklists.progress import pinned_codes, submitted_reports

# The topic that means "what my reports and my self-study have not covered yet".
GAPS = "gaps"


def study_pool(session: Session, principal: Principal) -> dict[str, list[str]]:
    """Per case the person may study, its published curriculum codes: validated cases they may see and
    whose model answer they may open. Blind cases (in an open assignment, not reported) are left out by
    `validated_snapshots`, the set every count uses."""
    snaps = validated_snapshots(session, principal, ("curriculum_codes",))
    rows: list[Case] = list(session.exec(select(Case).where(col(Case.uid).in_(list(snaps))))) if snaps else []
    answerable = {r.uid for r in rows if may(principal, Permission.VIEW_MODEL_ANSWER, r, state=State.VALIDATED)}
    return {uid: list(data.get("curriculum_codes") or []) for uid, data in snaps.items() if uid in answerable}


def covered(session: Session, trainee_uid: str) -> Counter[str]:
    """Per curriculum node (rolled up), the trainee's submitted reports plus self-study reviews under it."""
    reports = submitted_reports(session, [trainee_uid])
    codes = pinned_codes(session, reports)
    reported = [codes.get((r.case_uid, r.case_version), []) for r in reports]
    studied = [
        list(codes)
        for codes in session.exec(select(StudyReview.curriculum_codes).where(StudyReview.trainee_uid == trainee_uid))
    ]
    return rolled_up(reported + studied)


def check_topic(topic: str, session: Session) -> None:
    """A topic is a live curriculum code (or GAPS); anything else is refused on `curriculum`."""
    if topic == GAPS:
        return
    node = session.get(CurriculumNode, topic)
    if node is None:
        raise DomainError(ErrorCode.INVALID_CURRICULUM_CODE, f"no curriculum node {topic!r}", field="curriculum")


def in_topic(codes: list[str], topic: str) -> bool:
    """Whether a case with these codes teaches something at or under `topic`."""
    return any(topic in ancestors_and_self(c) for c in codes)


def in_gaps(codes: list[str], coverage: Counter[str]) -> bool:
    """Whether a case teaches a node the trainee has covered nothing at or under (a gap of theirs)."""
    return any(coverage[c] == 0 for c in codes)


def gap_codes(session: Session, trainee_uid: str, pool: dict[str, list[str]]) -> list[str]:
    """The codes of the pool's cases that are gaps of the trainee, sorted (what "my gaps" draws from)."""
    coverage = covered(session, trainee_uid)
    return sorted({c for codes in pool.values() for c in codes if coverage[c] == 0})
