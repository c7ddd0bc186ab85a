"""Cohorts as administered: who sees which, who may create one, who may change its members.

Administrators (ManageUsers) see and change every cohort. A trainer (ManageWorklists) sees the
cohorts they belong to and changes their trainees; a trainer who creates a cohort joins it, so
it is theirs from the start.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from content import audit
from content.errors import DomainError, ErrorCode
from content.principal import Principal
from content.security.policy import may, require_unconfined
from content.security.roles import Permission, Role
from content.users.models import Cohort, CohortMember, User

MAX_TITLE = 200  # Cohort.title


def _administers(principal: Principal) -> bool:
    return may(principal, Permission.MANAGE_USERS) and principal.collection_limits() is None


def may_manage_cohort(principal: Principal, cohort_uid: str) -> bool:
    """Administrators, and trainers who belong to the cohort."""
    if _administers(principal):
        return True
    return (
        may(principal, Permission.MANAGE_WORKLISTS)
        and principal.collection_limits() is None
        and cohort_uid in principal.cohort_ids
    )


def may_see_members(principal: Principal, cohort_uid: str, members: list[User]) -> bool:
    """`may_manage_cohort`, reading membership from `members` (as loaded now) as well as from the
    principal (as loaded at sign-in), so a trainer sees the cohort they created in the same request."""
    if may_manage_cohort(principal, cohort_uid):
        return True
    return (
        may(principal, Permission.MANAGE_WORKLISTS)
        and principal.collection_limits() is None
        and principal.user_id in {m.uid for m in members}
    )


def visible_cohorts_of(principal: Principal, person_uid: str, cohorts: list[Cohort]) -> list[Cohort]:
    """The cohorts of a person the caller may see: all of them for administrators and the person
    themselves, otherwise only those the caller belongs to."""
    if principal.user_id == person_uid or may(principal, Permission.MANAGE_USERS):
        return cohorts
    return [c for c in cohorts if c.uid in principal.cohort_ids]


def _require_cohort_manager(principal: Principal) -> None:
    if not _administers(principal):
        require_unconfined(principal, Permission.MANAGE_WORKLISTS)


def get_cohort(uid: str, *, session: Session, field: str = "cohort") -> Cohort:
    """A cohort by uid; NOT_FOUND (on `field`) if there is none."""
    cohort = session.get(Cohort, uid)
    if cohort is None:
        raise DomainError(ErrorCode.NOT_FOUND, "no such cohort", field=field)
    return cohort


def list_cohorts(*, session: Session, principal: Principal) -> list[Cohort]:
    """Every cohort for administrators; a trainer's own cohorts for trainers."""
    _require_cohort_manager(principal)
    stmt = select(Cohort).order_by(col(Cohort.title))
    if not _administers(principal):
        stmt = stmt.where(col(Cohort.uid).in_(sorted(principal.cohort_ids) or [""]))
    return list(session.exec(stmt))


def create_cohort(title: str, *, session: Session, principal: Principal) -> Cohort:
    """Add a cohort with a unique title."""
    _require_cohort_manager(principal)
    title = title.strip()
    if not title or len(title) > MAX_TITLE:
        raise DomainError(ErrorCode.INVALID_INPUT, f"a title of 1 to {MAX_TITLE} characters", field="title")
    if session.exec(select(Cohort.uid).where(Cohort.title == title)).first():
        raise DomainError(ErrorCode.DUPLICATE, f"cohort {title} exists", field="title")
    cohort = Cohort(title=title)
    session.add(cohort)
    try:
        session.flush()
    except IntegrityError as exc:  # a concurrent create took the title first
        session.rollback()
        raise DomainError(ErrorCode.DUPLICATE, f"cohort {title} exists", field="title") from exc
    audit.record(session, principal, "cohort.add", "cohort", cohort.uid, title=title)
    if not _administers(principal) and principal.user_id is not None:
        session.add(CohortMember(cohort_uid=cohort.uid, user_uid=principal.user_id))
        audit.record(session, principal, "cohort.member.add", "cohort", cohort.uid, user=principal.user_id)
    session.commit()
    return cohort


def _member_target(cohort_uid: str, user_uid: str, *, session: Session, principal: Principal) -> tuple[Cohort, User]:
    """The cohort and person a membership change names, once the caller may make it."""
    _require_cohort_manager(principal)
    cohort = get_cohort(cohort_uid, session=session)
    if not may_manage_cohort(principal, cohort.uid):
        raise DomainError(
            ErrorCode.FORBIDDEN, "only administrators and the cohort's trainers may change it", field="cohort"
        )
    user = session.get(User, user_uid)
    if user is None:
        raise DomainError(ErrorCode.NOT_FOUND, "no such user", field="user")
    if not _administers(principal) and Role.TRAINEE.value not in user.roles:
        raise DomainError(ErrorCode.FORBIDDEN, "trainers add and remove trainees only", field="user")
    return cohort, user


def add_member(cohort_uid: str, user_uid: str, *, session: Session, principal: Principal) -> Cohort:
    """Add a user to a cohort (adding one already there changes nothing)."""
    cohort, user = _member_target(cohort_uid, user_uid, session=session, principal=principal)
    if not user.active and not _administers(principal):
        raise DomainError(ErrorCode.INVALID_INPUT, f"{user.username} is not active", field="user")
    if session.get(CohortMember, (cohort.uid, user.uid)) is None:
        session.add(CohortMember(cohort_uid=cohort.uid, user_uid=user.uid))
        audit.record(session, principal, "cohort.member.add", "cohort", cohort.uid, user=user.uid)
        try:
            session.commit()
        except IntegrityError:  # a concurrent request added the same member: the outcome wanted
            session.rollback()
            cohort = get_cohort(cohort_uid, session=session)
    return cohort


def remove_member(cohort_uid: str, user_uid: str, *, session: Session, principal: Principal) -> Cohort:
    """Take a user out of a cohort; NOT_FOUND if they are not in it."""
    cohort, user = _member_target(cohort_uid, user_uid, session=session, principal=principal)
    membership = session.get(CohortMember, (cohort.uid, user.uid))
    if membership is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"{user.username} is not in {cohort.title}", field="user")
    session.delete(membership)
    audit.record(session, principal, "cohort.member.remove", "cohort", cohort.uid, user=user.uid)
    session.commit()
    return cohort


def members_of(cohort_uids: Iterable[str], *, session: Session) -> dict[str, list[User]]:
    """Each cohort's members by username, in one query (callers decide who may see them)."""
    wanted = list(set(cohort_uids))
    out: dict[str, list[User]] = {uid: [] for uid in wanted}
    if not wanted:
        return out
    stmt = (
        select(CohortMember.cohort_uid, User)
        .join(User, col(User.uid) == CohortMember.user_uid)
        .where(col(CohortMember.cohort_uid).in_(wanted))
        .order_by(col(User.username))
    )
    for cohort_uid, user in session.exec(stmt):
        out[cohort_uid].append(user)
    return out
