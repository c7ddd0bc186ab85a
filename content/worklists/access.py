"""Who may do what with worklists.

Trainers manage worklists and mark reports through the existing ManageWorklists permission;
reporting is a trainee's act. Until roles.py gains REPORT / GIVE_FEEDBACK / MODERATE, the
trainee check reads the roles here, in one place, so the rule moves to the policy in one edit.
"""

from __future__ import annotations

from sqlmodel import Session

from content.errors import DomainError, ErrorCode
from content.principal import Principal
from content.security.policy import may, require
from content.security.roles import Permission, Role
from content.users.models import User


def require_trainer(principal: Principal) -> None:
    """Build, assign, mark and moderate: ManageWorklists (trainers and administrators)."""
    require(principal, Permission.MANAGE_WORKLISTS)


def is_trainer(principal: Principal) -> bool:
    """Whether the caller may manage worklists."""
    return may(principal, Permission.MANAGE_WORKLISTS)


def require_person(principal: Principal) -> str:
    """The caller's user id; anonymous callers and tokens without a person are refused."""
    if principal.is_anonymous:
        raise DomainError(ErrorCode.UNAUTHENTICATED, "sign in first")
    if principal.user_id is None or principal.read_only:
        raise DomainError(ErrorCode.FORBIDDEN, "only a signed-in person may do this")
    return principal.user_id


def is_trainee_user(user: User | None) -> bool:
    """Whether a user is an active trainee."""
    return user is not None and user.active and Role.TRAINEE.value in user.roles


def get_trainee(session: Session, uid: str, *, field: str = "trainees") -> User:
    """An active trainee by uid; NOT_FOUND or INVALID_INPUT (on `field`) otherwise."""
    user = session.get(User, uid)
    if user is None:
        raise DomainError(ErrorCode.NOT_FOUND, "no such person", field=field)
    if not is_trainee_user(user):
        raise DomainError(ErrorCode.INVALID_INPUT, f"{user.username} is not a trainee", field=field)
    return user
