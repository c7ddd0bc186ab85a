"""Sign-in sessions: opened by login, ended by logout, a password change or reset, and deactivation.

A person's bearer token names its session (a `sign_in_session` row) and carries a stamp of the
password hash it was issued under; an API token is its own `api_token` row. Ending either writes
the row and moves the revocation clock in the same transaction, then publishes SessionsEnded:
this process drops its cache of live credentials at once (content.security.revocation), every
other process within a second, when it next reads the clock.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from content import audit, events
from content.base import utcnow
from content.errors import DomainError, ErrorCode
from content.principal import Principal
from content.security import tokens
from content.security.models import ApiToken, RevocationClock, SignInSession
from content.users.models import User

# Why a session ended (sign_in_session.ended_by).
LOGOUT, PASSWORD, RESET, DEACTIVATED = "logout", "password", "reset", "deactivated"


def open_session(user: User, *, session: Session, secret: bytes, ttl_seconds: int) -> str:
    """A new session row (flushed; the caller commits) and the bearer token naming it."""
    row = SignInSession(user_uid=user.uid, expires=utcnow() + timedelta(seconds=ttl_seconds))
    session.add(row)
    session.flush()
    return tokens.issue(
        user.uid,
        secret=secret,
        ttl_seconds=ttl_seconds,
        session_id=row.uid,
        password_stamp=tokens.password_stamp(user.password_hash, secret=secret),
    )


def tick(session: Session) -> None:
    """Move the revocation clock in the caller's transaction (one row, created on first use)."""
    table = RevocationClock.__table__  # type: ignore[attr-defined]  # SQLModel does not declare __table__
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(table).values(id=1, generation=1)
    session.execute(stmt.on_conflict_do_update(index_elements=["id"], set_={"generation": table.c.generation + 1}))
    events.emit(session, events.SessionsEnded())


def clock_generation(session: Session) -> int:
    """The revocation clock's generation, bumped whenever sessions are ended (0 before the first)."""
    return session.exec(select(RevocationClock.generation).where(RevocationClock.id == 1)).first() or 0


def end_sessions_of(user_uid: str, *, reason: str, session: Session, api_tokens: bool = False) -> int:
    """End every open session of a person (and, if asked, revoke their API tokens); the caller commits."""
    ended = session.execute(
        sa.update(SignInSession)
        .where(col(SignInSession.user_uid) == user_uid, col(SignInSession.revoked_at).is_(None))
        .values(revoked_at=utcnow(), ended_by=reason)
    ).rowcount  # type: ignore[attr-defined]  # the typed Result lacks rowcount
    if api_tokens:
        ended += session.execute(
            sa.update(ApiToken)
            .where(col(ApiToken.user_uid) == user_uid, col(ApiToken.revoked).is_(False))
            .values(revoked=True)
        ).rowcount  # type: ignore[attr-defined]  # the typed Result lacks rowcount
    tick(session)
    return int(ended or 0)


def logout(*, session: Session, principal: Principal) -> None:
    """End the credential of this request: the sign-in session, or the API token it came with."""
    if principal.is_anonymous:
        raise DomainError(ErrorCode.UNAUTHENTICATED, "sign in first")
    if principal.session_id is not None:
        row = session.get(SignInSession, principal.session_id)
        if row is not None and row.revoked_at is None:
            row.revoked_at, row.ended_by = utcnow(), LOGOUT
            session.add(row)
        audit.record(session, principal, "session.end", "sign_in_session", principal.session_id)
    elif principal.api_token_id is not None:
        token = session.get(ApiToken, principal.api_token_id)
        if token is not None and not token.revoked:
            token.revoked = True
            session.add(token)
        audit.record(session, principal, "token.revoke", "api_token", principal.api_token_id, by="logout")
    else:  # a principal built in-process (the system) has no credential to end
        raise DomainError(ErrorCode.FORBIDDEN, "this caller has no session to end")
    tick(session)
    session.commit()
