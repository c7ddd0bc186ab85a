"""Administering people: create (one-time password), list, change roles and activity, the lockout guard."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from content.audit import AuditEvent
from content.errors import DomainError, ErrorCode
from content.principal import SYSTEM, Principal
from content.security.api_tokens import create_api_token
from content.security.authentication import authenticate
from content.security.login import login
from content.users.admin import create_user, list_users, update_user
from content.users.models import User, UserUpdate
from content.users.service import add_to_cohort, add_user, get_or_create_cohort, principal_for
from tests.content import factories as f

SECRET = b"k" * 32


def _quick(session: Session, username: str, role: str, *, active: bool = True) -> User:
    """A person without a password (hashing one is slow); deactivated if asked."""
    user = add_user(username, roles=[role], password=None, session=session, principal=SYSTEM)
    if not active:
        update_user(user.uid, UserUpdate(active=False), session=session, principal=SYSTEM)
    return user


def _as(session: Session, user: User) -> Principal:
    return principal_for(user, session=session)


def _refused(code: ErrorCode, call: object, *args: object, **kwargs: object) -> DomainError:
    with pytest.raises(DomainError) as err:
        call(*args, **kwargs)  # type: ignore[operator]
    assert err.value.code is code, err.value
    return err.value


def test_a_generated_password_is_returned_once_and_signs_in(session: Session) -> None:
    admin = _as(session, _quick(session, "adam", "administrator"))
    user, password = create_user("Nina", roles=["trainee"], display_name="Dr Nina", session=session, principal=admin)
    assert password is not None and len(password) >= 16
    assert (user.username, user.display_name, user.roles) == ("nina", "Dr Nina", ["trainee"])
    assert user.password_hash is not None and password not in user.password_hash
    token, signed_in = login("nina", password, session=session, secret=SECRET, ttl_seconds=60)
    assert signed_in.uid == user.uid and token
    chosen, none = create_user("omar", roles=["trainer"], password="long enough pass", session=session, principal=admin)
    assert none is None and chosen.display_name == "omar"
    actions = session.exec(select(AuditEvent.action).where(AuditEvent.object_uid == user.uid)).all()
    assert actions == ["user.add"]


def test_create_user_refuses_duplicates_weak_passwords_bad_roles_and_non_administrators(session: Session) -> None:
    admin = _as(session, _quick(session, "adam", "administrator"))
    trainer = _as(session, _quick(session, "tess", "trainer"))
    create_user("nina", roles=["trainee"], session=session, principal=admin)
    assert (
        _refused(ErrorCode.DUPLICATE, create_user, "NINA", roles=["trainee"], session=session, principal=admin).field
        == "username"
    )
    assert (
        _refused(
            ErrorCode.PASSWORD_TOO_SHORT,
            create_user,
            "ola",
            roles=["trainee"],
            password="short",
            session=session,
            principal=admin,
        ).field
        == "password"
    )
    assert (
        _refused(
            ErrorCode.PASSWORD_TOO_COMMON,
            create_user,
            "ola",
            roles=["trainee"],
            password="1qaz2wsx3edc",
            session=session,
            principal=admin,
        ).field
        == "password"
    )
    assert (
        _refused(ErrorCode.INVALID_INPUT, create_user, "ola", roles=["owner"], session=session, principal=admin).field
        == "roles"
    )
    assert (
        _refused(ErrorCode.INVALID_INPUT, create_user, "ola", roles=[], session=session, principal=admin).field
        == "roles"
    )
    assert (
        _refused(
            ErrorCode.INVALID_INPUT,
            create_user,
            "ola",
            roles=["trainee"],
            display_name="x" * 201,
            session=session,
            principal=admin,
        ).field
        == "display_name"  # the domain's name; GraphQL translates it to displayName (schema/core/errors.py)
    )
    _refused(ErrorCode.FORBIDDEN, create_user, "ola", roles=["trainee"], session=session, principal=trainer)
    assert session.exec(select(User).where(User.username == "ola")).first() is None


def test_the_lockout_guard_keeps_an_administrator_administering(session: Session) -> None:
    adam = _quick(session, "adam", "administrator")
    admin = _as(session, adam)
    err = _refused(
        ErrorCode.FORBIDDEN, update_user, adam.uid, UserUpdate(roles=["trainer"]), session=session, principal=admin
    )
    assert err.field == "roles"
    assert (
        _refused(
            ErrorCode.FORBIDDEN, update_user, adam.uid, UserUpdate(active=False), session=session, principal=admin
        ).field
        == "active"
    )
    session.refresh(adam)
    assert adam.roles == ["administrator"] and adam.active
    # Adding a role beside administration is fine; another administrator may demote this one.
    assert update_user(
        adam.uid, UserUpdate(roles=["administrator", "trainer"]), session=session, principal=admin
    ).roles == ["administrator", "trainer"]
    other = _as(session, _quick(session, "beth", "administrator"))
    assert update_user(
        adam.uid, UserUpdate(roles=["trainer"], active=False), session=session, principal=other
    ).roles == ["trainer"]


def test_deactivating_ends_session_tokens_and_api_tokens_and_reactivating_revives_neither(session: Session) -> None:
    admin = _as(session, _quick(session, "adam", "administrator"))
    user = _quick(session, "val", "validator")
    bearer = f.bearer(session, user, secret=SECRET, ttl_seconds=600)
    api_token, _ = create_api_token(
        "ci", scope="read", acting_user=user, collection_path=None, session=session, principal=SYSTEM
    )
    assert authenticate(bearer, session=session, secret=SECRET).user_id == user.uid
    assert authenticate(api_token, session=session, secret=SECRET).user_id == user.uid
    update_user(user.uid, UserUpdate(active=False), session=session, principal=admin)
    for credential in (bearer, api_token):
        _refused(ErrorCode.UNAUTHENTICATED, authenticate, credential, session=session, secret=SECRET)
    update_user(user.uid, UserUpdate(active=True), session=session, principal=admin)
    for credential in (bearer, api_token):
        _refused(ErrorCode.UNAUTHENTICATED, authenticate, credential, session=session, secret=SECRET)
    assert authenticate(f.bearer(session, user, secret=SECRET), session=session, secret=SECRET).user_id == user.uid
    details = session.exec(select(AuditEvent.detail).where(AuditEvent.action == "user.update")).all()
    assert details == [{"active": False}, {"active": True}]


def test_a_role_change_applies_from_the_next_request(session: Session) -> None:
    admin = _as(session, _quick(session, "adam", "administrator"))
    user = _quick(session, "carl", "contributor")
    bearer = f.bearer(session, user, secret=SECRET, ttl_seconds=600)
    update_user(
        user.uid, UserUpdate(roles=["trainer", "trainer"], display_name="  Carl  "), session=session, principal=admin
    )
    principal = authenticate(bearer, session=session, secret=SECRET)
    assert {r.value for r in principal.roles} == {"trainer"}
    assert session.get(User, user.uid).display_name == "Carl"  # type: ignore[union-attr]
    _refused(ErrorCode.INVALID_INPUT, update_user, user.uid, UserUpdate(roles=[]), session=session, principal=admin)
    _refused(ErrorCode.NOT_FOUND, update_user, "nobody", UserUpdate(active=True), session=session, principal=admin)
    _refused(ErrorCode.FORBIDDEN, update_user, user.uid, UserUpdate(active=False), session=session, principal=principal)


def test_administrators_list_everyone_trainers_active_trainees_only(session: Session) -> None:
    admin = _as(session, _quick(session, "adam", "administrator"))
    trainer = _as(session, _quick(session, "tess", "trainer"))
    ann, _ = _quick(session, "ann", "trainee"), _quick(session, "val", "validator")
    _quick(session, "gone", "trainee", active=False)
    both = add_user(
        "tina",
        roles=["trainee", "contributor"],
        password=None,
        display_name="Tina Validated",
        session=session,
        principal=SYSTEM,
    )
    cohort = get_or_create_cohort("ST1", session=session, principal=SYSTEM)
    add_to_cohort(cohort.uid, ann.uid, session=session, principal=SYSTEM)

    def names(principal: Principal, **kw: object) -> list[str]:
        return [u.username for u in list_users(session=session, principal=principal, **kw)]  # type: ignore[arg-type]

    assert names(admin) == ["adam", "ann", "tess", "tina", "val"]
    assert names(admin, include_inactive=True) == ["adam", "ann", "gone", "tess", "tina", "val"]
    assert names(admin, role="trainee", include_inactive=True) == ["ann", "gone", "tina"]
    assert names(admin, search="VALID") == ["tina"]  # display name, any case
    assert names(admin, search="%") == [] and names(admin, first=2) == ["adam", "ann"]
    assert names(trainer) == ["ann", "tina"]
    assert names(trainer, include_inactive=True) == ["ann", "tina"]
    assert names(trainer, role="validator") == [] and names(trainer, search="ti") == [both.username]
    for bad in (0, 201):
        assert (
            _refused(ErrorCode.INVALID_INPUT, list_users, first=bad, session=session, principal=admin).field == "first"
        )
    _refused(ErrorCode.INVALID_INPUT, list_users, role="owner", session=session, principal=admin)
    _refused(ErrorCode.FORBIDDEN, list_users, session=session, principal=_as(session, ann))
    _refused(
        ErrorCode.UNAUTHENTICATED,
        list_users,
        session=session,
        principal=Principal(user_id=None, username="anonymous", authenticated=False),
    )


def test_a_token_confined_to_a_collection_may_not_administer(session: Session) -> None:
    from tests.content import factories as f

    f.collection(session, "Leeds")
    adam = _quick(session, "adam", "administrator")
    token, _ = create_api_token(
        "leeds", scope="write", acting_user=adam, collection_path="/leeds", session=session, principal=SYSTEM
    )
    confined = authenticate(token, session=session, secret=SECRET)
    _refused(ErrorCode.FORBIDDEN, create_user, "mallory", roles=["administrator"], session=session, principal=confined)
    _refused(ErrorCode.FORBIDDEN, list_users, session=session, principal=confined)
