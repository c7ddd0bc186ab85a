"""The database engine and the one session factory (SQLite in WAL mode, or PostgreSQL via psycopg 3)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from api.settings import Settings
from content import events


def make_engine(settings: Settings) -> Engine:
    url = settings.db_url
    if url.startswith("sqlite"):
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": settings.sqlite_busy_timeout_ms / 1000}
        )
        timeout = settings.sqlite_busy_timeout_ms

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            # WAL lets `lightbox import` write while the server reads; the busy timeout makes
            # writers queue instead of failing with "database is locked".
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute(f"PRAGMA busy_timeout={int(timeout)}")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


class SessionFactory:
    """Sessions bound to one engine and one event bus, so after-commit events reach subscribers."""

    def __init__(self, engine: Engine, bus: events.EventBus) -> None:
        self.engine = engine
        self.bus = bus

    def __call__(self) -> Session:
        session = Session(self.engine, expire_on_commit=False)
        events.bind(session, self.bus)
        return session

    @contextmanager
    def scope(self) -> Iterator[Session]:
        session = self()
        try:
            yield session
        finally:
            session.close()
