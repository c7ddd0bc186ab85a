"""A pooled connection is checked without a round trip per request, and a dead one is still replaced.

api/db.py pings a pooled PostgreSQL connection only when it is suspect (its socket has something to
read while idle, or it sat idle for a while) instead of `pool_pre_ping`'s SELECT 1 on every checkout.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from api.app import create_app
from api.db import SessionFactory
from api.settings import Settings
from content.principal import SYSTEM
from content.users.service import add_user
from tests.content import factories as f
from tests.helpers import counting

# `me` reads the user row, so each request checks out a connection of the app's engine.
ME = {"query": "{ me { username } }"}


@pytest.fixture
def admin(sessions: SessionFactory, settings: Settings) -> dict[str, str]:
    with sessions.scope() as session:
        user = add_user("admin", roles=["administrator"], password=None, session=session, principal=SYSTEM)
        token = f.bearer(session, user, secret=settings.secret(), ttl_seconds=600)
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def app_and_engine(sessions: SessionFactory, settings: Settings) -> Iterator[tuple[TestClient, sa.Engine]]:
    app = create_app(settings)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client, app.state.runtime.engine


@pytest.fixture
def pings(app_and_engine: tuple[TestClient, sa.Engine], monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every ping the app engine's pool makes (`pool_pre_ping` and api/db.py both ping through the dialect)."""
    _, engine = app_and_engine
    made: list[Any] = []
    do_ping = engine.dialect.do_ping

    def counted_ping(dbapi_conn: Any) -> bool:
        made.append(dbapi_conn)
        return do_ping(dbapi_conn)

    monkeypatch.setattr(engine.dialect, "do_ping", counted_ping)
    return made


def test_requests_on_a_warm_pool_send_no_ping(
    app_and_engine: tuple[TestClient, sa.Engine], pings: list[Any], admin: dict[str, str]
) -> None:
    client, engine = app_and_engine
    assert client.post("/graphql", json=ME, headers=admin).json()["data"] == {"me": {"username": "admin"}}
    with counting(SimpleNamespace(engine=engine)) as statements:
        for _ in range(20):
            assert client.post("/graphql", json=ME, headers=admin).status_code == 200
    assert statements, "the requests reached the database"
    assert pings == []
    assert not any(s.strip().upper() == "SELECT 1" for s in statements)
    assert engine.pool._pre_ping is False  # type: ignore[attr-defined]


def _terminate_other_backends(settings: Settings) -> list[int]:
    admin = sa.create_engine(settings.db_url, poolclass=sa.NullPool, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            others = "datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
            pids = list(conn.execute(sa.text(f"SELECT pid FROM pg_stat_activity WHERE {others}")).scalars())
            conn.execute(sa.text(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE {others}"))
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:  # the backends exit asynchronously
                left = conn.execute(sa.text(f"SELECT count(*) FROM pg_stat_activity WHERE {others}")).scalar()
                if not left:
                    break
                time.sleep(0.05)
        return pids
    finally:
        admin.dispose()


# PostgreSQL only, by parametrisation rather than a skip: SQLite has no server that could end a connection.
@pytest.mark.parametrize("settings", ["postgresql"], indirect=True)
def test_the_next_request_succeeds_after_the_server_ends_every_connection(
    app_and_engine: tuple[TestClient, sa.Engine],
    pings: list[Any],
    admin: dict[str, str],
    settings: Settings,
) -> None:
    assert settings.db_url.startswith("postgresql")
    client, engine = app_and_engine
    for _ in range(3):
        assert client.post("/graphql", json=ME, headers=admin).status_code == 200
    assert engine.pool.checkedin() >= 1  # type: ignore[attr-defined]
    assert pings == []
    killed = _terminate_other_backends(settings)
    assert killed, "the app's pooled connections were among the backends ended"
    for _ in range(5):
        response = client.post("/graphql", json=ME, headers=admin)
        assert response.status_code == 200 and response.json()["data"] == {"me": {"username": "admin"}}
    # The dead connection was found by its socket and pinged (then replaced), without waiting to go idle.
    assert pings
