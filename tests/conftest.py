"""Shared fixtures: every database test runs on SQLite and on PostgreSQL (a database per test session)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from api import migrate
from api.db import SessionFactory, make_engine
from api.settings import Settings
from content import events
from content.principal import SYSTEM
from content.tables import metadata
from search import SearchBackend, open_backend
from search.indexer import CatalogIndexer
from search.pg_schema import TABLE as CATALOG_TABLE
from search.pg_schema import VOCAB_TABLE

PG_SERVER = os.environ.get("LIGHTBOX_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    name = f"lightbox_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield f"{PG_SERVER}/{name}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def migrated(tmp_path_factory: pytest.TempPathFactory, pg_database: str) -> dict[str, Settings]:
    """Both backends brought to head once per run through the real migrations."""
    out = {}
    for backend in ("sqlite", "postgresql"):
        data_dir = tmp_path_factory.mktemp(f"data-{backend}")
        url = pg_database if backend == "postgresql" else None
        settings = Settings(data_dir=data_dir, database_url=url, secret_key="t" * 40)
        engine = make_engine(settings)
        migrate.upgrade(engine)
        engine.dispose()
        out[backend] = settings
    return out


def _truncate(engine: sa.Engine) -> None:
    existing = set(sa.inspect(engine).get_table_names())
    tables = [t for t in reversed(metadata.sorted_tables) if t.name in existing]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(sa.text("TRUNCATE " + ", ".join(f'"{t.name}"' for t in tables) + " CASCADE"))
            # The PostgreSQL catalog lives in the same database, outside the migrated tables.
            catalog = [t for t in (CATALOG_TABLE, VOCAB_TABLE) if sa.inspect(conn).has_table(t)]
            if catalog:
                conn.execute(sa.text("TRUNCATE " + ", ".join(catalog)))
        else:
            for table in tables:
                conn.execute(table.delete())


@pytest.fixture(params=["sqlite", "postgresql"])
def settings(request: pytest.FixtureRequest, migrated: dict[str, Settings], tmp_path: Path) -> Settings:
    base = migrated[request.param]
    # The database is shared (and truncated per test); the data dir (Whoosh index, media) is the test's own.
    return base.model_copy(update={"data_dir": tmp_path / "data", "database_url": base.db_url})


@pytest.fixture
def bus() -> events.EventBus:
    return events.EventBus()


@pytest.fixture
def sessions(settings: Settings, bus: events.EventBus) -> Iterator[SessionFactory]:
    """Sessions on an emptied database whose commits reach the catalog, as in the app."""
    engine = make_engine(settings)
    _truncate(engine)
    factory = SessionFactory(engine, bus)
    catalog = open_backend(settings.db_url, settings.index_dir, engine=engine)
    indexer = CatalogIndexer(catalog, factory.scope)
    indexer.subscribe(bus)
    factory.catalog, factory.indexer = catalog, indexer  # type: ignore[attr-defined]
    yield factory
    indexer.close()
    catalog.close()
    engine.dispose()


@pytest.fixture
def catalog(sessions: SessionFactory) -> SearchBackend:
    return sessions.catalog  # type: ignore[attr-defined,no-any-return]


@pytest.fixture
def indexer(sessions: SessionFactory) -> CatalogIndexer:
    return sessions.indexer  # type: ignore[attr-defined,no-any-return]


@pytest.fixture
def session(sessions: SessionFactory) -> Iterator[Session]:
    with sessions.scope() as s:
        yield s


@pytest.fixture
def system() -> object:
    return SYSTEM


@pytest.fixture
def app_settings(sessions: SessionFactory, settings: Settings) -> Settings:
    """Settings of a migrated, emptied database (the `sessions` fixture truncates it)."""
    return settings


@pytest.fixture
def client(app_settings: Settings):  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from api.app import create_app

    with TestClient(create_app(app_settings)) as c:
        yield c


class LiveServer:
    def __init__(self, url: str) -> None:
        self.url = url

    def gql(self, query: str, variables: dict | None = None, token: str | None = None) -> dict:
        from tests.helpers import graphql

        return graphql(self.url, query, variables, token)


@pytest.fixture
def live_server(app_settings: Settings) -> Iterator[LiveServer]:
    """The real app over real HTTP: uvicorn in a thread on a free loopback port."""
    from api.app import create_app
    from tests.helpers import serving

    with serving(create_app(app_settings)) as url:
        yield LiveServer(url)
