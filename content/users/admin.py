"""Administering people: list them, create them (with a one-time password), change roles and activity.

Administrators (ManageUsers) see and change everyone. Trainers (ManageWorklists) may list the
active trainees, the people they assign work to and add to their cohorts; nobody else may list.
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from content import audit
from content.errors import DomainError, ErrorCode
from content.principal import Principal
from content.security.password_policy import DEFAULT_POLICY, PasswordPolicy
from content.security.policy import may, require_unconfined
from content.security.roles import Permission, Role
from content.security.sessions import DEACTIVATED, end_sessions_of
from content.users.models import User, UserUpdate
from content.users.service import add_user, parse_roles

MAX_USERS_PAGE = 200
MAX_SEARCH = 200
MAX_DISPLAY_NAME = 200  # User.display_name


def _has_role(role: Role) -> sa.ColumnElement[bool]:
    """SQL: the JSON list of roles holds `role` (role names are plain words, so a quoted match is exact)."""
    return sa.cast(col(User.roles), sa.String).like(f'%"{role.value}"%')


def _display_name(value: str | None, default: str) -> str:
    name = (value or "").strip() or default
    if len(name) > MAX_DISPLAY_NAME:
        raise DomainError(
            ErrorCode.INVALID_INPUT, f"display name: at most {MAX_DISPLAY_NAME} characters", field="display_name"
        )
    return name


def list_users(
    *,
    search: str | None = None,
    role: str | None = None,
    include_inactive: bool = False,
    first: int = 50,
    session: Session,
    principal: Principal,
) -> list[User]:
    """People by username. Administrators: everyone; trainers: active trainees only."""
    if principal.is_anonymous:
        raise DomainError(ErrorCode.UNAUTHENTICATED, "sign in first")
    if not 1 <= first <= MAX_USERS_PAGE:
        raise DomainError(ErrorCode.INVALID_INPUT, f"first must be between 1 and {MAX_USERS_PAGE}", field="first")
    wanted = parse_roles([role])[0] if role is not None else None
    stmt = select(User).order_by(col(User.username)).limit(first)
    if may(principal, Permission.MANAGE_USERS) and principal.collection_limits() is None:
        if not include_inactive:
            stmt = stmt.where(col(User.active).is_(True))
    else:
        require_unconfined(principal, Permission.MANAGE_WORKLISTS)
        if wanted not in (None, Role.TRAINEE):
            return []
        stmt = stmt.where(col(User.active).is_(True), _has_role(Role.TRAINEE))
    if wanted is not None:
        stmt = stmt.where(_has_role(wanted))
    text = (search or "").strip()[:MAX_SEARCH]
    if text:
        stmt = stmt.where(
            sa.or_(
                col(User.username).icontains(text, autoescape=True),
                col(User.display_name).icontains(text, autoescape=True),
            )
        )
    return list(session.exec(stmt))


def create_user(
    username: str,
    *,
    roles: list[str],
    display_name: str | None = None,
    password: str | None = None,
    session: Session,
    principal: Principal,
    policy: PasswordPolicy = DEFAULT_POLICY,
) -> tuple[User, str | None]:
    """A new person; without a password one is generated and returned this once (None otherwise)."""
    require_unconfined(principal, Permission.MANAGE_USERS)
    generated = secrets.token_urlsafe(15) if password is None else None
    try:
        user = add_user(
            username,
            roles=roles,
            password=password if password is not None else generated,
            display_name=_display_name(display_name, username.strip().lower()),
            session=session,
            principal=principal,
            policy=policy,
        )
    except IntegrityError as exc:  # a concurrent create took the username first
        session.rollback()
        raise DomainError(ErrorCode.DUPLICATE, "that username was just taken", field="username") from exc
    return user, generated


def get_user(uid: str, *, session: Session) -> User:
    """A user by uid; NOT_FOUND (field `id`) if there is none."""
    user = session.get(User, uid)
    if user is None:
        raise DomainError(ErrorCode.NOT_FOUND, "no such user", field="id")
    return user


def update_user(uid: str, changes: UserUpdate, *, session: Session, principal: Principal) -> User:
    """Change display name, roles or activity. Nobody may take away their own administration
    (the lockout guard). Deactivating ends the person's sessions and revokes their API tokens, so
    reactivating them later brings none of the old tokens back."""
    require_unconfined(principal, Permission.MANAGE_USERS)
    user = get_user(uid, session=session)
    given = changes.model_dump(exclude_unset=True)
    detail: dict[str, object] = {}
    if given.get("display_name") is not None:
        user.display_name = _display_name(given["display_name"], user.display_name)
        detail["display_name"] = user.display_name
    if given.get("roles") is not None:
        roles = [r.value for r in dict.fromkeys(parse_roles(given["roles"]))]
        if not roles:
            raise DomainError(ErrorCode.INVALID_INPUT, "a person needs at least one role", field="roles")
        if (
            uid == principal.user_id
            and Role.ADMINISTRATOR.value in user.roles
            and Role.ADMINISTRATOR.value not in roles
        ):
            raise DomainError(ErrorCode.FORBIDDEN, "you may not remove your own administrator role", field="roles")
        user.roles = roles
        detail["roles"] = roles
    if given.get("active") is not None:
        if uid == principal.user_id and not given["active"]:
            raise DomainError(ErrorCode.FORBIDDEN, "you may not deactivate yourself", field="active")
        if user.active and not given["active"]:
            end_sessions_of(user.uid, reason=DEACTIVATED, session=session, api_tokens=True)
        user.active = bool(given["active"])
        detail["active"] = user.active
    if detail:
        session.add(user)
        audit.record(session, principal, "user.update", "user", user.uid, **detail)
        session.commit()
    return user
