"""People and cohorts: create users, manage cohort membership, build a Principal for a person."""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlmodel import Session, col, select

from content import audit
from content.collections.models import Collection
from content.errors import DomainError, ErrorCode
from content.principal import Principal
from content.security.models import LocalRoleGrant
from content.security.password_policy import DEFAULT_POLICY, PasswordPolicy
from content.security.passwords import hash_password
from content.security.policy import require
from content.security.roles import Permission, Role, parse_role
from content.users.models import Cohort, CohortMember, User

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")


def parse_roles(names: Iterable[str]) -> list[Role]:
    """Role names as Roles; INVALID_INPUT (field `roles`) for an unknown one."""
    return [parse_role(name, field="roles") for name in names]


def add_user(
    username: str,
    *,
    roles: Iterable[str],
    password: str | None,
    display_name: str | None = None,
    email: str | None = None,
    session: Session,
    principal: Principal,
    policy: PasswordPolicy = DEFAULT_POLICY,
) -> User:
    """Add a user with roles and an optional password checked against `policy`."""
    require(principal, Permission.MANAGE_USERS)
    username = username.strip().lower()
    if not USERNAME.match(username):
        raise DomainError(ErrorCode.INVALID_INPUT, "username: 2-64 of a-z 0-9 . _ -", field="username")
    role_list = parse_roles(roles)
    if not role_list:
        raise DomainError(ErrorCode.INVALID_INPUT, "a person needs at least one role", field="roles")
    if password is not None:
        policy.check(password, username=username)
    if session.exec(select(User).where(User.username == username)).first():
        raise DomainError(ErrorCode.DUPLICATE, f"user {username} exists", field="username")
    user = User(
        username=username,
        display_name=display_name or username,
        email=email,
        roles=[r.value for r in role_list],
        password_hash=hash_password(password) if password else None,
    )
    session.add(user)
    session.flush()
    audit.record(session, principal, "user.add", "user", user.uid, username=username, roles=user.roles)
    session.commit()
    return user


def get_or_create_cohort(title: str, *, session: Session, principal: Principal) -> Cohort:
    """The cohort with this title, added if there is none."""
    require(principal, Permission.MANAGE_USERS)
    cohort = session.exec(select(Cohort).where(Cohort.title == title)).first()
    if cohort is None:
        cohort = Cohort(title=title)
        session.add(cohort)
        session.flush()
        audit.record(session, principal, "cohort.add", "cohort", cohort.uid, title=title)
        session.commit()
    return cohort


def add_to_cohort(cohort_uid: str, user_uid: str, *, session: Session, principal: Principal) -> None:
    """Add a user to a cohort (user managers); adding one already there changes nothing."""
    require(principal, Permission.MANAGE_USERS)
    if session.get(Cohort, cohort_uid) is None or session.get(User, user_uid) is None:
        raise DomainError(ErrorCode.NOT_FOUND, "no such cohort or user")
    if session.get(CohortMember, (cohort_uid, user_uid)) is None:
        session.add(CohortMember(cohort_uid=cohort_uid, user_uid=user_uid))
        audit.record(session, principal, "cohort.member.add", "cohort", cohort_uid, user=user_uid)
        session.commit()


def cohorts_of(user_uids: Iterable[str], *, session: Session) -> dict[str, list[Cohort]]:
    """Each user's cohorts, by user uid."""
    wanted = list(set(user_uids))
    out: dict[str, list[Cohort]] = {uid: [] for uid in wanted}
    if not wanted:
        return out
    stmt = (
        select(CohortMember.user_uid, Cohort)
        .join(Cohort, col(Cohort.uid) == CohortMember.cohort_uid)
        .where(col(CohortMember.user_uid).in_(wanted))
        .order_by(col(Cohort.title))
    )
    for user_uid, cohort in session.exec(stmt):
        out[user_uid].append(cohort)
    return out


def principal_for(
    user: User, *, session: Session, token_scope: str | None = None, token_collection_path: str | None = None
) -> Principal:
    """Everything permission checks need about a person, loaded in two queries."""
    cohort_ids = [c.uid for c in cohorts_of([user.uid], session=session)[user.uid]]
    grants = session.exec(
        select(Collection.path, LocalRoleGrant.role)
        .join(Collection, col(Collection.uid) == LocalRoleGrant.collection_uid)
        .where(
            ((col(LocalRoleGrant.principal_type) == "user") & (col(LocalRoleGrant.principal_uid) == user.uid))
            | (
                (col(LocalRoleGrant.principal_type) == "cohort")
                & col(LocalRoleGrant.principal_uid).in_(cohort_ids or [""])
            )
        )
    ).all()
    return Principal(
        user_id=user.uid,
        username=user.username,
        roles=frozenset(Role(r) for r in user.roles),
        cohort_ids=frozenset(cohort_ids),
        token_scope=token_scope,
        token_collection_path=token_collection_path,
        local_roles=tuple(sorted((path, Role(role)) for path, role in grants)),
    )


def users_by_uid(uids: Iterable[str], *, session: Session) -> dict[str, User]:
    """The users with these uids, by uid (unknown ones are left out)."""
    wanted = list(set(uids))
    if not wanted:
        return {}
    return {u.uid: u for u in session.exec(select(User).where(col(User.uid).in_(wanted)))}
