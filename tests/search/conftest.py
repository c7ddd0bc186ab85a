"""Fixtures for the catalog contract suite: each backend on a fresh, empty store."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine

from search.model import SearchBackend
from search.pg_backend import PostgresCatalog
from search.whoosh_backend import WhooshCatalog
from tests.search.corpus import CORPUS

PG_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"


@pytest.fixture(scope="session")
def pg_engine() -> Iterator[Engine]:
    name = f"lightbox_search_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    engine = create_engine(f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}")
    try:
        yield engine
    finally:
        engine.dispose()
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["whoosh", "postgres"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SearchBackend]:
    if request.param == "whoosh":
        catalog: SearchBackend = WhooshCatalog(tmp_path / "index", lock_timeout=5.0)
    else:
        pg = PostgresCatalog(request.getfixturevalue("pg_engine"))
        pg.ensure_schema()
        pg.clear()
        catalog = pg
    yield catalog
    catalog.close()


@pytest.fixture
def corpus(backend: SearchBackend) -> SearchBackend:
    backend.index(CORPUS)
    return backend
