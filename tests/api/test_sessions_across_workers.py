"""Two app processes on one database (two workers, or two nodes): a logout in one is refused by the
other as soon as it next reads the revocation clock (at most a second later in production)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from api.app import create_app
from api.settings import Settings
from content.principal import SYSTEM
from content.users.service import add_user

LOGIN = 'mutation { login(input: {username: "val", password: "correct horse battery"}) { token } }'
ME = "{ me { username } }"


def _me(client: TestClient, token: str) -> int:
    return client.post("/graphql", json={"query": ME}, headers={"Authorization": f"Bearer {token}"}).status_code


def test_a_logout_on_one_worker_is_refused_by_another_at_its_next_clock_read(
    app_settings: Settings, session: Session
) -> None:
    add_user("val", roles=["validator"], password="correct horse battery", session=session, principal=SYSTEM)
    with TestClient(create_app(app_settings)) as one, TestClient(create_app(app_settings)) as other:
        token = one.post("/graphql", json={"query": LOGIN}).json()["data"]["login"]["token"]
        cache = other.app.state.runtime.revocations  # type: ignore[attr-defined]
        cache.refresh_seconds = 3600.0  # stands for "less than a second has passed"
        assert _me(other, token) == 200
        out = one.post(
            "/graphql", json={"query": "mutation { logout { ok } }"}, headers={"Authorization": f"Bearer {token}"}
        ).json()
        assert out["data"]["logout"]["ok"] is True
        assert _me(one, token) == 401  # the worker that ended it: at once
        assert _me(other, token) == 200  # the other has not looked at the clock yet: no query was made
        cache.refresh_seconds = 0.0  # its next read of the clock is due
        assert _me(other, token) == 401
