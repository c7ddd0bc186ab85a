"""Which credentials are live, known without a query in the common case.

Each process keeps the sign-in sessions and API tokens it has checked, and the revocation
clock's generation it last read (content.security.sessions.tick). It reads the clock at most
once per `refresh_seconds`; when the generation moved, some process revoked something, so the
whole cache is dropped and the next request of each credential reads its row again. A
revocation in this process drops the cache at once (the SessionsEnded event), so a logout is
refused by the very next request here and within a second on every other worker and node.

Only answers that cannot change back are kept: a revoked session stays revoked, and a live
one stays live until the clock moves. Unknown API tokens are not kept, so random guesses
cannot fill the cache.

The principal of a live sign-in session (roles, cohorts, local grants) is kept the same way. So
that a changed role, membership, grant, password or deactivation ends it as promptly as a
logout, any flush that changes those rows moves the revocation clock in its own transaction
(`_principals_changed` below, on every session of every process, the CLI's included).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from typing import TypeVar

from sqlalchemy import event as sa_event
from sqlalchemy import inspect as sa_inspect
from sqlmodel import Session, select

from content import events
from content.base import utcnow
from content.collections.models import Collection
from content.errors import DomainError, ErrorCode
from content.principal import Principal
from content.security.models import ApiToken, LocalRoleGrant, SignInSession
from content.security.sessions import clock_generation, tick
from content.users.models import Cohort, CohortMember, User

MAX_ENTRIES = 50_000
_V = TypeVar("_V")  # what one cache stores per key
# How stale a cached API token's last use may get before the row is written again.
LAST_USED_EVERY = 60.0
# How long a session's principal is kept even if the clock never moves: a row edited by hand in
# the database (no service, no tick) reaches every process within this.
PRINCIPAL_MAX_AGE = 30.0


@dataclass(frozen=True)
class TokenGrant:
    """What an API token stands for, as its row said when it was last read."""

    uid: str
    user_uid: str
    scope: str
    collection_uid: str | None
    partner_uid: str | None


@dataclass(frozen=True)
class SessionPrincipal:
    """A live sign-in session's owner, the password stamp it was checked against, and its principal."""

    user_uid: str
    password_stamp: str
    principal: Principal
    read_at: float = 0.0  # the cache's clock when the rows were read


def digest(token: str) -> str:
    """The stored form of a token: its SHA-256, in hex."""
    # A 256-bit random token needs no slow hash: nothing guessable is being protected.
    return hashlib.sha256(token.encode()).hexdigest()


class RevocationCache:
    """Which sessions and API tokens are still alive, re-read from the database when due."""

    def __init__(self, *, refresh_seconds: float = 1.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.refresh_seconds = refresh_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._generation: int | None = None
        self._read_at = float("-inf")
        self._sessions: dict[str, str | None] = {}  # session id -> its user, or None when ended
        self._tokens: dict[str, tuple[TokenGrant, float]] = {}  # digest -> grant, when last_used was written
        self._principals: dict[str, SessionPrincipal] = {}  # live session id -> who it stands for
        self.epoch = 0  # moves whenever the cache is dropped; caches of decisions key on it

    def subscribe(self, bus: events.EventBus) -> None:
        """Forget the cache whenever sessions are ended."""
        bus.subscribe(events.SessionsEnded, lambda _event: self.drop())

    def drop(self) -> None:
        """Forget every cached answer, so the next check reads the database."""
        with self._lock:
            self._sessions.clear()
            self._tokens.clear()
            self._principals.clear()
            self.epoch += 1

    def due(self) -> bool:
        """Whether the cache is old enough to re-read."""
        return self._clock() - self._read_at >= self.refresh_seconds

    def refresh(self, session: Session) -> None:
        """Read the clock if it is due; drop everything when it moved."""
        if not self.due():
            return
        generation = clock_generation(session)
        with self._lock:
            self._read_at = self._clock()
            changed = generation != self._generation
            self._generation = generation
        if changed:
            self.drop()

    def refresh_with(self, scope: Callable[[], AbstractContextManager[Session]]) -> None:
        """As refresh, opening a session only when the clock is due (for callers without one)."""
        if self.due():
            with scope() as session:
                self.refresh(session)

    def session_alive(self, session_id: str, *, user_uid: str, session: Session) -> bool:
        """Whether a sign-in session is open and belongs to `user_uid`."""
        self.refresh(session)
        if session_id in self._sessions:
            return self._sessions[session_id] == user_uid
        epoch = self.epoch
        row = session.get(SignInSession, session_id)
        owner = row.user_uid if row is not None and row.revoked_at is None else None
        self._remember(self._sessions, session_id, owner, epoch)
        return owner == user_uid

    def principal(self, session_id: str, *, session: Session) -> SessionPrincipal | None:
        """The principal a live sign-in session was last found to stand for, if still known."""
        self.refresh(session)
        found = self._principals.get(session_id)
        if found is None or self._clock() - found.read_at >= PRINCIPAL_MAX_AGE:
            return None
        return found

    def remember_principal(self, session_id: str, found: SessionPrincipal, *, epoch: int) -> None:
        """Keep what a session stands for, read while the cache was at `epoch`."""
        self._remember(self._principals, session_id, replace(found, read_at=self._clock()), epoch)

    def api_token(self, token: str, *, session: Session) -> TokenGrant:
        """The live token's grant, or UNAUTHENTICATED; its last use is written at most once a minute."""
        self.refresh(session)
        key = digest(token)
        hit = self._tokens.get(key)
        now = self._clock()
        if hit is not None and now - hit[1] < LAST_USED_EVERY:
            return hit[0]
        epoch = self.epoch
        row = session.exec(select(ApiToken).where(ApiToken.token_hash == key)).first()
        if row is None or row.revoked:
            raise DomainError(ErrorCode.UNAUTHENTICATED, "invalid or revoked API token")
        row.last_used = utcnow()
        session.add(row)
        session.commit()
        grant = TokenGrant(
            uid=row.uid,
            user_uid=row.user_uid,
            scope=row.scope,
            collection_uid=row.collection_uid,
            partner_uid=row.partner_uid,
        )
        self._remember(self._tokens, key, (grant, now), epoch)
        return grant

    def _remember(self, store: dict[str, _V], key: str, value: _V, epoch: int) -> None:
        with self._lock:
            if epoch != self.epoch:  # dropped while the row was read: the answer may be stale already
                return
            if len(store) >= MAX_ENTRIES:
                store.clear()
            store[key] = value


def uncached() -> RevocationCache:
    """A cache that reads the clock on every check: for callers outside a long-lived process."""
    return RevocationCache(refresh_seconds=0.0)


# Columns of a person that a cached principal (or the check before it) was built from.
_USER_FIELDS = ("username", "roles", "active", "password_hash", "must_change_password")


def _changes_principals(obj: object, *, deleted: bool) -> bool:
    if isinstance(obj, (CohortMember, LocalRoleGrant)):
        return True
    if isinstance(obj, (User, Cohort, Collection)) and deleted:
        return True
    fields = _USER_FIELDS if isinstance(obj, User) else ("path",) if isinstance(obj, Collection) else ()
    if not fields:
        return False
    state = sa_inspect(obj)
    return any(state.attrs[f].history.has_changes() for f in fields)


def _principals_changed(session: Session, _flush_context: object) -> None:
    """After a flush that changed roles, memberships, grants, passwords or paths: move the clock.

    The tick commits or rolls back with the change, and every process's cache of principals
    is dropped once it has (this one at the commit, the others when they next read the clock).
    """
    # A new person or collection has no session or grant yet; new memberships and grants do count.
    changed = (
        any(isinstance(o, (CohortMember, LocalRoleGrant)) for o in session.new)
        or any(_changes_principals(o, deleted=False) for o in session.dirty)
        or any(_changes_principals(o, deleted=True) for o in session.deleted)
    )
    if changed:
        tick(session)


sa_event.listen(Session, "after_flush", _principals_changed)
