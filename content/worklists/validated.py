"""Which cases may go into a worklist: those with a published (validated) version that is not retired."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, select

from content.cases.models import Case
from content.errors import DomainError, ErrorCode
from content.workflow import State

MAX_CASES = 200


def is_validated(case: Case) -> bool:
    """Whether a case has a published version and is not retired."""
    # A validated case being re-edited is DRAFT with a published version: trainees still see that version.
    return case.published_version is not None and case.state != State.RETIRED.value


def checked_cases(session: Session, case_uids: Sequence[str], *, field: str = "cases") -> list[Case]:
    """The cases in the given order; refuses duplicates, unknown and unvalidated cases."""
    if len(case_uids) > MAX_CASES:
        raise DomainError(ErrorCode.INVALID_INPUT, f"at most {MAX_CASES} cases", field=field)
    if len(set(case_uids)) != len(case_uids):
        raise DomainError(ErrorCode.DUPLICATE, "a worklist cannot hold the same case twice", field=field)
    found = {c.uid: c for c in session.exec(select(Case).where(col(Case.uid).in_(list(case_uids))))}
    out = []
    for uid in case_uids:
        case = found.get(uid)
        if case is None:
            raise DomainError(ErrorCode.NOT_FOUND, "no such case", field=field)
        if not is_validated(case):
            raise DomainError(ErrorCode.INVALID_INPUT, f"{case.path} is not validated", field=field)
        out.append(case)
    return out
