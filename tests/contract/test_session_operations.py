"""contract/sessions.graphql live: Logout, ChangePassword and ResetPassword run verbatim over HTTP."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from content.principal import SYSTEM
from content.users.service import add_user
from tests.contract.test_partner_operations import login, operation

PASSWORD = "correct horse battery"
NEW = "a fresher passphrase, longer"


@pytest.fixture
def people(session: Session) -> None:
    for name, role in (("trainee", "trainee"), ("trainer", "trainer"), ("admin", "administrator")):
        add_user(name, roles=[role], password=PASSWORD, session=session, principal=SYSTEM)


def _code(answer: dict) -> str:
    """The code of a request-level refusal (a token that no longer works)."""
    return str(answer["errors"][0]["extensions"]["code"])


def _me(live, token: str) -> dict:
    return live.gql(operation("auth.graphql", "Me"), token=token)


def test_logout_ends_the_token_at_once(live_server, people) -> None:
    token, other = login(live_server, "trainee"), login(live_server, "trainee")
    assert _me(live_server, token)["data"]["me"]["username"] == "trainee"
    out = live_server.gql(operation("sessions.graphql", "Logout"), token=token)["data"]["logout"]
    assert out == {"ok": True, "errors": []}
    assert _code(_me(live_server, token)) == "UNAUTHENTICATED"
    assert _code(live_server.gql(operation("sessions.graphql", "Logout"), token=token)) == "UNAUTHENTICATED"
    assert _me(live_server, other)["data"]["me"]["username"] == "trainee"  # another session lives on
    anonymous = live_server.gql(operation("sessions.graphql", "Logout"))["data"]["logout"]
    assert anonymous["ok"] is False and anonymous["errors"][0]["code"] == "UNAUTHENTICATED"


def test_change_password_ends_every_other_session(live_server, people) -> None:
    change = operation("sessions.graphql", "ChangePassword")
    here, elsewhere = login(live_server, "trainee"), login(live_server, "trainee")
    for current, new, code, field in (
        (PASSWORD[::-1], NEW, "INVALID_CREDENTIALS", "currentPassword"),
        (PASSWORD, "too short", "PASSWORD_TOO_SHORT", "newPassword"),
        (PASSWORD, "1qaz2wsx3edc", "PASSWORD_TOO_COMMON", "newPassword"),
    ):
        refused = live_server.gql(change, {"current": current, "new": new}, token=here)["data"]["changePassword"]
        assert refused["token"] is None and [(e["code"], e["field"]) for e in refused["errors"]] == [(code, field)]
    assert _me(live_server, elsewhere)["data"]["me"]["username"] == "trainee"
    done = live_server.gql(change, {"current": PASSWORD, "new": NEW}, token=here)["data"]["changePassword"]
    assert done["errors"] == [] and done["token"]
    for old in (here, elsewhere):
        assert _code(_me(live_server, old)) == "UNAUTHENTICATED"
    assert _me(live_server, done["token"])["data"]["me"]["username"] == "trainee"
    signed_in = live_server.gql(operation("auth.graphql", "Login"), {"username": "trainee", "password": NEW})
    assert signed_in["data"]["login"]["errors"] == []


def test_reset_password_is_one_time_and_forces_a_new_password(live_server, people) -> None:
    admin, trainer = login(live_server, "admin"), login(live_server, "trainer")
    user = _me(live_server, trainer)["data"]["me"]["id"]
    trainees = "{ users(first: 5) { username } }"  # trainers list trainees; nobody without a role may
    assert live_server.gql(trainees, token=trainer)["data"]["users"] == [{"username": "trainee"}]
    reset = operation("sessions.graphql", "ResetPassword")
    refused = live_server.gql(reset, {"user": user}, token=trainer)["data"]["resetPassword"]
    assert refused["temporaryPassword"] is None and refused["errors"][0]["code"] == "FORBIDDEN"
    out = live_server.gql(reset, {"user": user}, token=admin)["data"]["resetPassword"]
    assert out["errors"] == [] and len(out["temporaryPassword"]) >= 16
    assert _code(_me(live_server, trainer)) == "UNAUTHENTICATED"

    first = live_server.gql(
        operation("auth.graphql", "Login"), {"username": "trainer", "password": out["temporaryPassword"]}
    )["data"]["login"]
    assert [(e["code"], e["field"]) for e in first["errors"]] == [("PASSWORD_CHANGE_REQUIRED", "password")]
    limited = first["token"]
    assert _code(live_server.gql(trainees, token=limited)) == "PASSWORD_CHANGE_REQUIRED"  # nothing until then
    change = operation("sessions.graphql", "ChangePassword")
    done = live_server.gql(change, {"current": out["temporaryPassword"], "new": NEW}, token=limited)["data"][
        "changePassword"
    ]
    assert done["errors"] == []
    assert _me(live_server, done["token"])["data"]["me"]["roles"] == ["trainer"]
    assert live_server.gql(trainees, token=done["token"])["data"]["users"] == [{"username": "trainee"}]
    again = live_server.gql(
        operation("auth.graphql", "Login"), {"username": "trainer", "password": out["temporaryPassword"]}
    )["data"]["login"]
    assert again["token"] is None and again["errors"][0]["code"] == "INVALID_CREDENTIALS"
