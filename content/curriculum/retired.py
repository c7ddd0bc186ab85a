"""Retired curriculum codes still on cases: the report of who carries them, and the retag to replacements.

A code is retired in the curriculum file (`deprecated: true`, `replaced_by: NEW.CODE`), never deleted,
so old cases keep pointing at it until someone retags them. A retag is an ordinary case edit: a new
version, and on a validated case a working copy that trainees do not see until it is validated again.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from content.cases.models import Case, CaseTerm, CaseVersion
from content.cases.service import get_case, update_case
from content.curriculum.models import CurriculumNode
from content.errors import DomainError, ErrorCode
from content.principal import Principal
from content.security.policy import require, visible_condition
from content.security.roles import Permission
from content.workflow import State

MAX_REPORT = 100


@dataclass(frozen=True)
class RetiredTags:
    """One case and the retired codes it carries (in its working copy, or only in its published version)."""

    case: Case
    codes: tuple[str, ...]
    # The working copy is already retagged; the published version keeps the old codes until validated.
    awaiting_validation: bool


@dataclass(frozen=True)
class RetiredReport:
    """Cases still tagged with retired curriculum codes: how many, and which."""

    total: int
    entries: list[RetiredTags]


def retired_codes(session: Session) -> dict[str, CurriculumNode]:
    """The retired (deprecated) curriculum nodes, by code."""
    return {n.code: n for n in session.exec(select(CurriculumNode).where(col(CurriculumNode.deprecated)))}


def replacement_for(code: str, retired: dict[str, CurriculumNode], session: Session) -> str:
    """The live code a retired one is retagged to; refuses a code with no replacement or a retired one."""
    node = retired[code]
    target = session.get(CurriculumNode, node.replaced_by) if node.replaced_by else None
    if target is None:
        raise DomainError(
            ErrorCode.INVALID_CURRICULUM_CODE,
            f"retired code {code} names no replacement; choose a code by editing the case",
            field="curriculum_codes",
        )
    if target.deprecated:
        raise DomainError(
            ErrorCode.INVALID_CURRICULUM_CODE,
            f"{code} is replaced by {target.code}, which is retired too; fix the curriculum file",
            field="curriculum_codes",
        )
    return target.code


def retired_report(*, first: int = 50, session: Session, principal: Principal) -> RetiredReport:
    """Cases the caller may edit-see that still carry a retired code, oldest path first."""
    require(principal, Permission.EDIT)
    if not 1 <= first <= MAX_REPORT:
        raise DomainError(ErrorCode.INVALID_INPUT, f"first must be 1 to {MAX_REPORT}", field="first")
    retired = retired_codes(session)
    if not retired:
        return RetiredReport(total=0, entries=[])
    live = (col(Case.state) != State.RETIRED.value, visible_condition(principal, Case))
    tagged = select(CaseTerm.case_uid).where(CaseTerm.kind == "curriculum", col(CaseTerm.value).in_(retired)).distinct()
    working = list(session.exec(select(Case).where(col(Case.uid).in_(tagged), *live).order_by(col(Case.path))))
    # Cases whose working copy differs from their published version: that version may still carry them.
    revising = session.exec(
        select(Case, CaseVersion)
        .join(
            CaseVersion, (col(CaseVersion.case_uid) == Case.uid) & (col(CaseVersion.version) == Case.published_version)
        )
        .where(col(Case.state) != State.VALIDATED.value, col(Case.uid).not_in(tagged), *live)
    )
    pending = [
        (case, tuple(c for c in version.data.get("curriculum_codes") or () if c in retired))
        for case, version in revising
    ]
    entries = [RetiredTags(case, tuple(c for c in case.curriculum_codes if c in retired), False) for case in working]
    entries += [RetiredTags(case, codes, True) for case, codes in pending if codes]
    entries.sort(key=lambda e: e.case.path)
    return RetiredReport(total=len(entries), entries=entries[:first])


def retag_retired(case_uid: str, *, expected_version: int, session: Session, principal: Principal) -> Case:
    """Replace every retired code of the case's working copy by its replacement, as one case edit."""
    case = get_case(case_uid, session=session, principal=principal)
    require(principal, Permission.EDIT, case)
    retired = retired_codes(session)
    old = [c for c in case.curriculum_codes if c in retired]
    if not old:
        raise DomainError(ErrorCode.INVALID_INPUT, "this case carries no retired curriculum code", field="case")
    mapping = {code: replacement_for(code, retired, session) for code in old}
    codes = list(dict.fromkeys(mapping.get(c, c) for c in case.curriculum_codes))
    comment = "retagged retired curriculum codes: " + ", ".join(f"{a} -> {b}" for a, b in mapping.items())
    return update_case(
        case_uid,
        expected_version=expected_version,
        changes={"curriculum_codes": codes},
        comment=comment,
        session=session,
        principal=principal,
    )
