"""The one workflow engine: checks a transition's permission and guards, moves the state, versions it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from content import audit, events
from content.base import utcnow
from content.cases.models import Case, CaseVersion, CaseVersionStudy
from content.cases.service import claim_version, get_case
from content.cases.versions import version_studies, write_version
from content.errors import DomainError, ErrorCode
from content.imaging.models import Instance, Series, Study
from content.principal import Principal
from content.security.policy import may, permitted_condition, visible_condition
from content.workflow import TRANSITIONS, State, Transition, TransitionRule

Guard = Callable[[Session, Case, Principal], str | None]  # a reason to refuse, or None


def _four_eyes(session: Session, case: Case, principal: Principal) -> str | None:
    """The validator must have authored none of the versions since the last validated one."""
    since = case.published_version or 0
    rows = session.exec(
        select(CaseVersion.author_uid, CaseVersion.changed_fields).where(
            CaseVersion.case_uid == case.uid, col(CaseVersion.version) > since
        )
    )
    # Only versions that changed content count: requesting changes or submitting authors nothing.
    authors = {author for author, changed in rows if changed}
    if principal.user_id is None or principal.user_id in authors:
        return "four eyes: you authored a version under review, so another validator must validate it"
    return None


def _no_quarantined_images(session: Session, case: Case, principal: Principal) -> str | None:
    # The image set being submitted counts, and so does any study of the case no version lists yet;
    # only a study detached from the working copy (listed by older versions alone) is not published.
    studies = version_studies(session, [(case.uid, case.version)])[(case.uid, case.version)]
    listed = select(CaseVersionStudy.study_uid).where(CaseVersionStudy.case_uid == case.uid)
    stmt = (
        select(Instance.uid)
        .join(Series, col(Series.uid) == Instance.series_uid)
        .join(Study, col(Study.uid) == Series.study_uid)
        .where(
            Study.case_uid == case.uid,
            col(Study.uid).in_(studies) | col(Study.uid).not_in(listed),
            col(Instance.quarantined).is_(True),
        )
        .limit(1)
    )
    if session.exec(stmt).first() is not None:
        return "an image may carry burned-in text; release or mask it before submitting"
    return None


GUARDS: dict[str, Guard] = {"four_eyes": _four_eyes, "no_quarantined_images": _no_quarantined_images}


def _four_eyes_condition(principal: Principal) -> Any:
    """SQL twin of `_four_eyes` on the case table: no content-changing version by P since the published one."""
    if principal.user_id is None:
        return sa.false()
    authored = (
        select(CaseVersion.id)
        .where(
            col(CaseVersion.case_uid) == Case.uid,
            col(CaseVersion.version) > sa.func.coalesce(Case.published_version, 0),
            col(CaseVersion.author_uid) == principal.user_id,
            # An empty list is stored as "[]" on both databases: that version changed nothing.
            sa.cast(col(CaseVersion.changed_fields), sa.Text) != "[]",
        )
        .correlate(Case)
    )
    return ~sa.exists(authored)


# SQL twins of the guards a listing needs (the review queue); a guard without one cannot be listed.
GUARD_CONDITIONS: dict[str, Callable[[Principal], Any]] = {"four_eyes": _four_eyes_condition}


def transition_condition(rule: TransitionRule, principal: Principal) -> Any:
    """SQL twin of `refusal(...) is None` on the case table: rows P may apply `rule` to now."""
    return sa.and_(
        col(Case.state) == rule.source.value,
        visible_condition(principal, Case),
        permitted_condition(principal, rule.permission, Case),
        *(GUARD_CONDITIONS[name](principal) for name in rule.guards),
    )


def review_queue(*, first: int, session: Session, principal: Principal) -> list[Case]:
    """Submitted cases P may validate now, least recently modified first: a full page in one query."""
    if not 1 <= first <= 100:
        raise DomainError(ErrorCode.INVALID_INPUT, "first must be 1 to 100", field="first")
    stmt = (
        select(Case)
        .where(transition_condition(TRANSITIONS[Transition.VALIDATE], principal))
        .order_by(col(Case.modified), col(Case.uid))
        .limit(first)
    )
    return list(session.exec(stmt))


def refusal(session: Session, case: Case, rule: TransitionRule, principal: Principal) -> DomainError | None:
    """Why `principal` may not apply `rule` to `case` now (a coded error), or None if they may."""
    if case.state != rule.source.value:
        return DomainError(
            ErrorCode.INVALID_TRANSITION, f"{rule.name.value} is not possible from {case.state}", field="transition"
        )
    if not may(principal, rule.permission, case):
        return DomainError(ErrorCode.FORBIDDEN, f"you may not {rule.name.value} this case", field="transition")
    for name in rule.guards:
        reason = GUARDS[name](session, case, principal)
        if reason:
            return DomainError(ErrorCode.FORBIDDEN, reason, field="transition")
    return None


def available_transitions(case: Case, *, session: Session, principal: Principal) -> list[Transition]:
    """The transitions `principal` may apply to `case` in its current state."""
    return [t for t, rule in TRANSITIONS.items() if refusal(session, case, rule, principal) is None]


def transition(
    uid: str,
    name: Transition | str,
    *,
    comment: str | None = None,
    session: Session,
    principal: Principal,
    commit: bool = True,
) -> Case:
    """Apply a workflow transition: check permission and guards, change state, record it, emit the event."""
    case = get_case(uid, session=session, principal=principal)
    try:
        rule = TRANSITIONS[Transition(name)]
    except ValueError as exc:
        raise DomainError(ErrorCode.INVALID_TRANSITION, f"unknown transition {name}", field="transition") from exc
    error = refusal(session, case, rule, principal)
    if error is not None:
        raise error
    text = (comment or "").strip()
    if rule.comment_required and not text:
        raise DomainError(ErrorCode.INVALID_INPUT, f"{rule.name.value} needs a comment", field="comment")
    claim_version(session, case, case.version)
    before = case.snapshot()
    case.state = rule.target.value
    case.modified = utcnow()
    validator = None
    if rule.target is State.VALIDATED:
        case.published_version, validator = case.version, principal.user_id
    if rule.name is Transition.REOPEN:
        case.published_version = None
    write_version(session, case, author=principal, comment=text[:2000], before=before, validator_uid=validator)
    audit.record(
        session,
        principal,
        f"case.{rule.name.value.lower()}",
        "case",
        case.uid,
        source=rule.source.value,
        target=rule.target.value,
        comment=text,
        version=case.version,
    )
    events.emit(session, events.CaseChanged(case.uid, "transitioned"))
    events.emit(session, events.CaseTransitioned(case.uid, rule.name.value, rule.source.value, rule.target.value))
    if commit:  # a metadata import commits a whole file's cases and transitions together, or none
        session.commit()
    return case
