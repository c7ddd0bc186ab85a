"""Login: check a password, throttle repeated failures per username, issue a bearer token."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from content import audit
from content.base import utcnow
from content.errors import DomainError, ErrorCode
from content.principal import ANONYMOUS
from content.security import tokens
from content.security.models import LoginThrottle
from content.security.passwords import verify_password
from content.users.models import User

FREE_FAILURES = 5            # failures allowed before the throttle starts
FAILURE_WINDOW = timedelta(minutes=15)
MAX_BLOCK = timedelta(minutes=15)


def _block_for(failures: int) -> timedelta:
    # Doubling from 2 s: a person who mistypes waits seconds, a guesser minutes.
    return min(timedelta(seconds=2 ** (failures - FREE_FAILURES + 1)), MAX_BLOCK)


def login(username: str, password: str, *, session: Session, secret: bytes,
          ttl_seconds: int) -> tuple[str, User]:
    name = username.strip().lower()[:100]
    now = utcnow()
    throttle = session.get(LoginThrottle, name)
    if throttle and throttle.blocked_until and throttle.blocked_until > now:
        wait = int((throttle.blocked_until - now).total_seconds()) + 1
        raise DomainError(ErrorCode.TOO_MANY_ATTEMPTS, f"too many failed logins; try again in {wait} s")
    user = session.exec(select(User).where(User.username == name)).first()
    ok = verify_password(password, user.password_hash if user else None)
    if not ok or user is None or not user.active:
        if throttle is None or now - throttle.first_failure > FAILURE_WINDOW:
            throttle = throttle or LoginThrottle(username=name)
            throttle.failures, throttle.first_failure, throttle.blocked_until = 0, now, None
        throttle.failures += 1
        if throttle.failures >= FREE_FAILURES:
            throttle.blocked_until = now + _block_for(throttle.failures)
        session.add(throttle)
        audit.record(session, ANONYMOUS, "login.failed", "user", user.uid if user else None, username=name)
        session.commit()
        raise DomainError(ErrorCode.INVALID_CREDENTIALS, "wrong username or password")
    if throttle is not None:
        session.delete(throttle)
        session.commit()
    return tokens.issue(user.uid, secret=secret, ttl_seconds=ttl_seconds), user
