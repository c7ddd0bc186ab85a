"""Sessions that end: logout, a password change or reset, deactivation, a hash changed by hand, and the
revocation cache that makes the check free of SQL in the common case yet shared through the database."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from api.db import SessionFactory
from content import events
from content.audit import AuditEvent
from content.cases.listing import CaseFilter, list_cases
from content.cases.models import Case
from content.cases.service import create_case
from content.errors import DomainError, ErrorCode
from content.principal import SYSTEM, Principal
from content.security import tokens
from content.security.api_tokens import create_api_token
from content.security.authentication import authenticate
from content.security.login import login
from content.security.models import SignInSession
from content.security.passwords import hash_password
from content.security.policy import visible_condition
from content.security.revocation import RevocationCache
from content.security.sessions import logout
from content.users.admin import update_user
from content.users.models import User, UserUpdate
from content.users.passwords import change_password, reset_password
from content.users.service import add_user, principal_for
from tests.content import factories as f
from tests.helpers import FakeClock, counting

SECRET = b"k" * 32
PASSWORD = "correct horse battery"
NEW = "a longer, fresher passphrase"


def _code(call: object, *args: object, **kwargs: object) -> DomainError:
    with pytest.raises(DomainError) as err:
        call(*args, **kwargs)  # type: ignore[operator]
    return err.value


def _me(bearer: str, session: Session) -> Principal:
    return authenticate(bearer, session=session, secret=SECRET)


def _sign_in(session: Session, username: str = "val", password: str = PASSWORD) -> str:
    return login(username, password, session=session, secret=SECRET, ttl_seconds=600)[0]


def test_logout_ends_this_session_only(session: Session) -> None:
    f.person(session, "val", "validator")
    first, second = _sign_in(session), _sign_in(session)
    logout(session=session, principal=_me(first, session))
    assert _code(_me, first, session).code is ErrorCode.UNAUTHENTICATED
    assert _me(second, session).username == "val"
    ended = session.exec(select(SignInSession.ended_by).where(SignInSession.revoked_at.is_not(None))).all()  # type: ignore[union-attr]
    assert ended == ["logout"]


def test_logout_with_an_api_token_revokes_it(session: Session) -> None:
    user, _ = f.person(session, "ci", "trainer")
    token, _ = create_api_token(
        "ci", scope="read", acting_user=user, collection_path=None, session=session, principal=SYSTEM
    )
    logout(session=session, principal=_me(token, session))
    assert _code(_me, token, session).code is ErrorCode.UNAUTHENTICATED


def test_change_password_ends_every_session_and_answers_a_new_one(session: Session) -> None:
    user, _ = f.person(session, "val", "validator")
    here, elsewhere = _sign_in(session), _sign_in(session)
    api_token, _ = create_api_token(
        "ci", scope="read", acting_user=user, collection_path=None, session=session, principal=SYSTEM
    )
    me = _me(here, session)
    wrong = _code(change_password, "not it at all", NEW, session=session, principal=me, secret=SECRET, ttl_seconds=600)
    assert (wrong.code, wrong.field) == (ErrorCode.INVALID_CREDENTIALS, "current_password")
    for weak, code in (
        ("short", ErrorCode.PASSWORD_TOO_SHORT),
        ("1qaz2wsx3edc", ErrorCode.PASSWORD_TOO_COMMON),
        (PASSWORD, ErrorCode.INVALID_INPUT),
    ):
        refused = _code(change_password, PASSWORD, weak, session=session, principal=me, secret=SECRET, ttl_seconds=600)
        assert (refused.code, refused.field) == (code, "new_password")
    assert _me(elsewhere, session).username == "val"  # nothing refused ended anything
    fresh = change_password(PASSWORD, NEW, session=session, principal=me, secret=SECRET, ttl_seconds=600)
    for old in (here, elsewhere):
        assert _code(_me, old, session).code is ErrorCode.UNAUTHENTICATED
    assert _me(fresh, session).username == "val"
    assert _me(api_token, session).username == "val"  # integrations are revoked by hand, not by a new password
    assert (
        _code(login, "val", PASSWORD, session=session, secret=SECRET, ttl_seconds=60).code
        is ErrorCode.INVALID_CREDENTIALS
    )
    assert _sign_in(session, password=NEW)


def test_change_password_needs_a_signed_in_person(session: Session) -> None:
    user, _ = f.person(session, "ci", "trainer")
    token, _ = create_api_token(
        "ci", scope="write", acting_user=user, collection_path=None, session=session, principal=SYSTEM
    )
    by_token = _code(
        change_password, PASSWORD, NEW, session=session, principal=_me(token, session), secret=SECRET, ttl_seconds=600
    )
    assert by_token.code is ErrorCode.FORBIDDEN
    assert session.get(User, user.uid).password_hash == user.password_hash  # type: ignore[union-attr]


def test_a_hash_changed_by_hand_ends_old_tokens(session: Session) -> None:
    user, _ = f.person(session, "val", "validator")
    bearer = _sign_in(session)
    row = session.get(User, user.uid)
    assert row is not None
    row.password_hash = hash_password("set by an operator, by hand")  # no service, no revocation written
    session.add(row)
    session.commit()
    assert _code(_me, bearer, session).code is ErrorCode.UNAUTHENTICATED


def test_reset_gives_a_one_time_password_that_only_changes_the_password(session: Session) -> None:
    admin = principal_for(
        add_user("adam", roles=["administrator"], password=None, session=session, principal=SYSTEM), session=session
    )
    user, _ = f.person(session, "val", "validator")
    bearer = _sign_in(session)
    api_token, _ = create_api_token(
        "ci", scope="read", acting_user=user, collection_path=None, session=session, principal=SYSTEM
    )
    assert (
        _code(reset_password, user.uid, session=session, principal=principal_for(user, session=session)).code
        is ErrorCode.FORBIDDEN
    )
    assert _code(reset_password, admin.user_id, session=session, principal=admin).code is ErrorCode.FORBIDDEN
    temporary = reset_password(user.uid, session=session, principal=admin)
    assert len(temporary) >= 16
    for old in (bearer, api_token):
        assert _code(_me, old, session).code is ErrorCode.UNAUTHENTICATED
    assert (
        _code(login, "val", PASSWORD, session=session, secret=SECRET, ttl_seconds=60).code
        is ErrorCode.INVALID_CREDENTIALS
    )
    limited_token, signed_in = login("val", temporary, session=session, secret=SECRET, ttl_seconds=600)
    assert signed_in.must_change_password
    limited = _me(limited_token, session)
    assert limited.must_change_password and limited.roles == frozenset() and limited.local_roles == ()
    weak = _code(
        change_password, temporary, "short", session=session, principal=limited, secret=SECRET, ttl_seconds=600
    )
    assert weak.code is ErrorCode.PASSWORD_TOO_SHORT
    full = change_password(temporary, NEW, session=session, principal=limited, secret=SECRET, ttl_seconds=600)
    assert {r.value for r in _me(full, session).roles} == {"validator"}
    assert _code(_me, limited_token, session).code is ErrorCode.UNAUTHENTICATED
    assert (
        _code(login, "val", temporary, session=session, secret=SECRET, ttl_seconds=60).code
        is ErrorCode.INVALID_CREDENTIALS
    )  # one time only
    actions = session.exec(select(AuditEvent.action).where(AuditEvent.object_uid == user.uid)).all()
    assert {"password.reset", "password.change"} <= set(actions)


def test_reactivation_revives_no_token(session: Session) -> None:
    admin = principal_for(
        add_user("adam", roles=["administrator"], password=None, session=session, principal=SYSTEM), session=session
    )
    user, _ = f.person(session, "val", "validator")
    bearer = _sign_in(session)
    update_user(user.uid, UserUpdate(active=False), session=session, principal=admin)
    update_user(user.uid, UserUpdate(active=True), session=session, principal=admin)
    assert _code(_me, bearer, session).code is ErrorCode.UNAUTHENTICATED
    assert _me(_sign_in(session), session).username == "val"


# ------------------------------------------------------------------------------ the revocation cache


def test_a_live_session_is_checked_without_sql_and_a_revocation_elsewhere_is_seen_at_the_next_clock_read(
    sessions: SessionFactory,
) -> None:
    """Two processes: this one (its own cache and bus) and another that logs out; only the clock joins them."""
    other = SessionFactory(sessions.engine, events.EventBus())  # another worker: it cannot reach our cache
    clock = FakeClock()
    cache = RevocationCache(refresh_seconds=1.0, clock=clock)
    cache.subscribe(sessions.bus)
    with sessions.scope() as session:
        user, _ = f.person(session, "val", "validator")
        bearer = _sign_in(session)
        sid = tokens.verify(bearer, secret=SECRET).session_id
        assert cache.session_alive(sid, user_uid=user.uid, session=session)
        with counting(sessions) as statements:
            for _ in range(20):
                assert cache.session_alive(sid, user_uid=user.uid, session=session)
        assert statements == []  # the common case: no query at all
        assert not cache.session_alive(sid, user_uid="someone else", session=session)
    with other.scope() as elsewhere:
        logout(session=elsewhere, principal=authenticate(bearer, session=elsewhere, secret=SECRET))
    with sessions.scope() as session:
        assert cache.session_alive(sid, user_uid=user.uid, session=session)  # not due yet: the clock is unread
        clock.now += 1.0
        with counting(sessions) as statements:
            assert not cache.session_alive(sid, user_uid=user.uid, session=session)
        assert any("revocation_clock" in s for s in statements)


def test_a_revocation_in_this_process_drops_the_cache_at_once(sessions: SessionFactory) -> None:
    clock = FakeClock()
    cache = RevocationCache(refresh_seconds=1.0, clock=clock)
    cache.subscribe(sessions.bus)
    with sessions.scope() as session:
        user, _ = f.person(session, "val", "validator")
        token, _ = create_api_token(
            "ci", scope="read", acting_user=user, collection_path=None, session=session, principal=SYSTEM
        )
        bearer = _sign_in(session)
        before = cache.epoch
        for credential in (bearer, token):
            assert authenticate(credential, session=session, secret=SECRET, revocations=cache).user_id == user.uid
        logout(session=session, principal=authenticate(token, session=session, secret=SECRET, revocations=cache))
        assert cache.epoch > before
        assert (
            _code(authenticate, token, session=session, secret=SECRET, revocations=cache).code
            is ErrorCode.UNAUTHENTICATED
        )
        assert authenticate(bearer, session=session, secret=SECRET, revocations=cache).user_id == user.uid


def test_a_forged_or_sessionless_token_is_refused(session: Session) -> None:
    user, _ = f.person(session, "val", "validator")
    stamp = tokens.password_stamp(user.password_hash, secret=SECRET)
    for bearer in (
        tokens.issue(user.uid, secret=SECRET, ttl_seconds=60, password_stamp=stamp),
        tokens.issue(user.uid, secret=SECRET, ttl_seconds=60, session_id="0" * 32, password_stamp=stamp),
    ):
        assert _code(_me, bearer, session).code is ErrorCode.UNAUTHENTICATED


def test_until_a_new_password_is_chosen_not_even_ones_own_draft_shows(session: Session) -> None:
    admin = principal_for(
        add_user("adam", roles=["administrator"], password=None, session=session, principal=SYSTEM), session=session
    )
    user, tess = f.person(session, "tess", "trainer")
    coll = f.collection(session)
    create_case(collection_uid=coll, fields={"title": "My draft"}, session=session, principal=tess)
    temporary = reset_password(user.uid, session=session, principal=admin)
    limited = _me(login("tess", temporary, session=session, secret=SECRET, ttl_seconds=600)[0], session)
    assert limited.tokens() == frozenset()
    listing = _code(list_cases, CaseFilter(), first=10, after=None, session=session, principal=limited)
    assert listing.code is ErrorCode.PASSWORD_CHANGE_REQUIRED
    assert session.exec(select(Case).where(visible_condition(limited, Case))).all() == []  # the SQL twin agrees
    refused = _code(create_case, collection_uid=coll, fields={"title": "Another"}, session=session, principal=limited)
    assert refused.code is ErrorCode.PASSWORD_CHANGE_REQUIRED
    full = _me(
        change_password(temporary, NEW, session=session, principal=limited, secret=SECRET, ttl_seconds=600), session
    )
    assert [c.title for c in list_cases(CaseFilter(), first=10, after=None, session=session, principal=full).cases] == [
        "My draft"
    ]
