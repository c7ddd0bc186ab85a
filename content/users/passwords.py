"""A person's password: chosen by themselves, reset by an administrator, or set by an operator.

Every path goes through `set_password`, which ends the person's sessions in the same
transaction; a token also carries a stamp of the hash it was issued under
(content.security.tokens), so even a hash changed some other way ends the old tokens.
"""

from __future__ import annotations

import secrets

from sqlmodel import Session

from content import audit
from content.base import utcnow
from content.errors import DomainError, ErrorCode
from content.principal import Principal
from content.security.login import record_failure, refuse_if_throttled
from content.security.password_policy import DEFAULT_POLICY, PasswordPolicy
from content.security.passwords import hash_password, verify_password
from content.security.policy import require_unconfined
from content.security.roles import Permission
from content.security.sessions import PASSWORD, RESET, end_sessions_of, open_session
from content.users.models import User


def set_password(user: User, password: str, *, reason: str, session: Session, api_tokens: bool = False) -> None:
    """Store a new hash and end every session of the person (the caller checked policy and commits)."""
    user.password_hash = hash_password(password)
    session.add(user)
    session.flush()
    end_sessions_of(user.uid, reason=reason, session=session, api_tokens=api_tokens)


def change_password(
    current: str,
    new: str,
    *,
    session: Session,
    principal: Principal,
    secret: bytes,
    ttl_seconds: int,
    policy: PasswordPolicy = DEFAULT_POLICY,
) -> str:
    """Change your own password from a signed-in session; the others end, and a new token is returned."""
    if principal.is_anonymous or principal.user_id is None:
        raise DomainError(ErrorCode.UNAUTHENTICATED, "sign in first")
    if principal.session_id is None:  # an API token or a partner: no password behind it
        raise DomainError(ErrorCode.FORBIDDEN, "sign in with your password to change it")
    user = session.get(User, principal.user_id)
    if user is None:
        raise DomainError(ErrorCode.UNAUTHENTICATED, "sign in first")
    now = utcnow()
    throttle = refuse_if_throttled(user.username, session=session, now=now)
    if not verify_password(current, user.password_hash):
        record_failure(user.username, throttle, session=session, now=now)
        audit.record(session, principal, "password.change.failed", "user", user.uid)
        session.commit()
        raise DomainError(ErrorCode.INVALID_CREDENTIALS, "the current password is not right", field="current_password")
    policy.check(new, username=user.username, field="new_password")
    if verify_password(new, user.password_hash):
        raise DomainError(
            ErrorCode.INVALID_INPUT, "choose a password different from the current one", field="new_password"
        )
    user.must_change_password = False
    set_password(user, new, reason=PASSWORD, session=session)
    token = open_session(user, session=session, secret=secret, ttl_seconds=ttl_seconds)
    audit.record(session, principal, "password.change", "user", user.uid)
    session.commit()
    return token


def reset_password(user_uid: str, *, session: Session, principal: Principal) -> str:
    """A one-time password for someone, returned this once; their sessions and API tokens end and they
    must choose a new password at their next sign-in (administrators)."""
    require_unconfined(principal, Permission.MANAGE_USERS)
    user = session.get(User, user_uid)
    if user is None:
        raise DomainError(ErrorCode.NOT_FOUND, "no such user", field="user")
    if user.uid == principal.user_id:
        raise DomainError(ErrorCode.FORBIDDEN, "change your own password instead of resetting it", field="user")
    temporary = secrets.token_urlsafe(15)
    user.must_change_password = True
    set_password(user, temporary, reason=RESET, session=session, api_tokens=True)
    audit.record(session, principal, "password.reset", "user", user.uid)
    session.commit()
    return temporary
