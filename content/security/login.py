"""Login: check a password, throttle repeated failures per username, open a sign-in session."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, select

from content import audit
from content.base import utcnow
from content.errors import DomainError, ErrorCode
from content.principal import ANONYMOUS
from content.security.models import LoginThrottle
from content.security.passwords import verify_password
from content.security.sessions import open_session
from content.users.models import User

FREE_FAILURES = 5  # failures allowed before the throttle starts
FAILURE_WINDOW = timedelta(minutes=15)
MAX_BLOCK = timedelta(minutes=15)


def _block_for(failures: int) -> timedelta:
    # Doubling from 2 s: a person who mistypes waits seconds, a guesser minutes.
    return min(timedelta(seconds=2 ** (failures - FREE_FAILURES + 1)), MAX_BLOCK)


def refuse_if_throttled(name: str, *, session: Session, now: datetime) -> LoginThrottle | None:
    """TOO_MANY_ATTEMPTS while this name is blocked after failed logins; else its throttle row."""
    throttle = session.get(LoginThrottle, name)
    if throttle and throttle.blocked_until and throttle.blocked_until > now:
        wait = int((throttle.blocked_until - now).total_seconds()) + 1
        raise DomainError(ErrorCode.TOO_MANY_ATTEMPTS, f"too many failed logins; try again in {wait} s")
    return throttle


def record_failure(name: str, throttle: LoginThrottle | None, *, session: Session, now: datetime) -> None:
    """Count a wrong password against `name` (committed even though the caller then refuses)."""
    if throttle is None or now - throttle.first_failure > FAILURE_WINDOW:
        throttle = throttle or LoginThrottle(username=name)
        throttle.failures, throttle.first_failure, throttle.blocked_until = 0, now, None
    throttle.failures += 1
    if throttle.failures >= FREE_FAILURES:
        throttle.blocked_until = now + _block_for(throttle.failures)
    session.add(throttle)


def login(username: str, password: str, *, session: Session, secret: bytes, ttl_seconds: int) -> tuple[str, User]:
    """A token for a new session. A person whose password was reset gets one that may only change it
    (user.must_change_password tells the caller to ask for a new password)."""
    name = username.strip().lower()[:100]
    now = utcnow()
    throttle = refuse_if_throttled(name, session=session, now=now)
    user = session.exec(select(User).where(User.username == name)).first()
    ok = verify_password(password, user.password_hash if user else None)
    if not ok or user is None or not user.active:
        record_failure(name, throttle, session=session, now=now)
        audit.record(session, ANONYMOUS, "login.failed", "user", user.uid if user else None, username=name)
        session.commit()
        raise DomainError(ErrorCode.INVALID_CREDENTIALS, "wrong username or password")
    if throttle is not None:
        session.delete(throttle)
    token = open_session(user, session=session, secret=secret, ttl_seconds=ttl_seconds)
    session.commit()
    return token, user
