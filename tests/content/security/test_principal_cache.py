"""The principal of a live session is kept per process, yet a changed role, membership, grant or
password, a deactivation or a logout takes effect at the very next request of this process, and
at the next revocation-clock read (at most a second) in every other one."""

from __future__ import annotations

import pytest

from api.db import SessionFactory
from content import events
from content.collections.local_roles import grant_local_role, revoke_local_role
from content.errors import DomainError, ErrorCode
from content.principal import SYSTEM, Principal
from content.security.authentication import authenticate
from content.security.revocation import RevocationCache
from content.security.roles import Role
from content.security.sessions import clock_generation, logout
from content.users.admin import update_user
from content.users.cohorts import add_member, create_cohort, remove_member
from content.users.models import User, UserUpdate
from content.users.passwords import change_password
from tests.content import factories as f
from tests.helpers import FakeClock, counting

SECRET = b"k" * 32


@pytest.fixture
def cache(sessions: SessionFactory) -> RevocationCache:
    """This process's cache, as the app wires it: dropped by this process's own SessionsEnded."""
    live = RevocationCache(refresh_seconds=1.0, clock=FakeClock())
    live.subscribe(sessions.bus)
    return live


def _me(bearer: str, sessions: SessionFactory, cache: RevocationCache) -> Principal:
    with sessions.scope() as s:
        return authenticate(bearer, session=s, secret=SECRET, revocations=cache)


def _refused(bearer: str, sessions: SessionFactory, cache: RevocationCache) -> None:
    with pytest.raises(DomainError) as err:
        _me(bearer, sessions, cache)
    assert err.value.code is ErrorCode.UNAUTHENTICATED


def _person(sessions: SessionFactory, role: str = "trainee") -> tuple[User, str]:
    with sessions.scope() as s:
        user, _ = f.person(s, "ada", role)
        return user, f.bearer(s, user, secret=SECRET)


def test_a_known_session_is_answered_without_sql(sessions: SessionFactory, cache: RevocationCache) -> None:
    user, bearer = _person(sessions)
    first = _me(bearer, sessions, cache)
    with counting(sessions) as statements:
        for _ in range(20):
            assert _me(bearer, sessions, cache) == first
    assert statements == []
    assert first.user_id == user.uid and first.session_id is not None


@pytest.mark.parametrize("where", ["here", "elsewhere"])
def test_a_changed_role_takes_effect_at_the_next_request(
    sessions: SessionFactory, cache: RevocationCache, where: str
) -> None:
    user, bearer = _person(sessions)
    assert _me(bearer, sessions, cache).roles == frozenset({Role.TRAINEE})
    # Elsewhere: another worker or a CLI command, with its own bus; only the database joins them.
    writer = sessions if where == "here" else SessionFactory(sessions.engine, events.EventBus())
    with writer.scope() as s:
        update_user(user.uid, UserUpdate(roles=["trainer"]), session=s, principal=SYSTEM)
    if where == "elsewhere":
        cache._clock.now += 1.0  # type: ignore[attr-defined]  # the next clock read is due
    assert _me(bearer, sessions, cache).roles == frozenset({Role.TRAINER})


def test_memberships_and_local_grants_take_effect_at_the_next_request(
    sessions: SessionFactory, cache: RevocationCache
) -> None:
    user, bearer = _person(sessions)
    with sessions.scope() as s:
        coll = f.collection(s)
        cohort = create_cohort("ST1", session=s, principal=SYSTEM).uid
    me = _me(bearer, sessions, cache)
    assert me.cohort_ids == frozenset() and me.local_roles == ()
    with sessions.scope() as s:
        add_member(cohort, user.uid, session=s, principal=SYSTEM)
    assert _me(bearer, sessions, cache).cohort_ids == frozenset({cohort})
    with sessions.scope() as s:
        grant = grant_local_role(coll, role="trainer", cohort_uid=cohort, session=s, principal=SYSTEM).uid
    assert [r for _, r in _me(bearer, sessions, cache).local_roles] == [Role.TRAINER]
    with sessions.scope() as s:
        revoke_local_role(grant, session=s, principal=SYSTEM)
    assert _me(bearer, sessions, cache).local_roles == ()
    with sessions.scope() as s:
        remove_member(cohort, user.uid, session=s, principal=SYSTEM)
    assert _me(bearer, sessions, cache).cohort_ids == frozenset()


def test_deactivation_logout_and_a_new_password_refuse_the_next_request(
    sessions: SessionFactory, cache: RevocationCache
) -> None:
    user, bearer = _person(sessions)
    with sessions.scope() as s:
        second = f.bearer(s, s.get(User, user.uid), secret=SECRET)  # type: ignore[arg-type]
        third = f.bearer(s, s.get(User, user.uid), secret=SECRET)  # type: ignore[arg-type]
    for token in (bearer, second, third):
        _me(token, sessions, cache)
    with sessions.scope() as s:
        logout(session=s, principal=authenticate(bearer, session=s, secret=SECRET, revocations=cache))
    _refused(bearer, sessions, cache)
    with sessions.scope() as s:
        me = authenticate(second, session=s, secret=SECRET, revocations=cache)
        change_password(
            "correct horse battery",
            "a longer, fresher passphrase",
            session=s,
            principal=me,
            secret=SECRET,
            ttl_seconds=600,
        )
    _refused(second, sessions, cache)
    _refused(third, sessions, cache)


def test_a_deactivation_elsewhere_is_refused_at_the_next_clock_read(
    sessions: SessionFactory, cache: RevocationCache
) -> None:
    user, bearer = _person(sessions)
    _me(bearer, sessions, cache)
    with SessionFactory(sessions.engine, events.EventBus()).scope() as s:
        update_user(user.uid, UserUpdate(active=False), session=s, principal=SYSTEM)
    cache._clock.now += 1.0  # type: ignore[attr-defined]
    _refused(bearer, sessions, cache)


def test_a_change_that_rolls_back_moves_no_clock_and_other_edits_keep_the_cache(sessions: SessionFactory) -> None:
    with sessions.scope() as s:
        start = clock_generation(s)
    user, _ = _person(sessions)
    with sessions.scope() as s:
        f.collection(s)
        before = clock_generation(s)
        assert before == start  # a new person or collection ends nothing
        row = s.get(User, user.uid)
        assert row is not None
        row.roles = ["admin"]
        s.add(row)
        s.flush()
        s.rollback()
        assert clock_generation(s) == before
        row = s.get(User, user.uid)
        assert row is not None and row.roles == ["trainee"]
        row.display_name = "Ada L."  # not part of a principal
        s.add(row)
        s.commit()
        assert clock_generation(s) == before
