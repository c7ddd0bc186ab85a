"""The database engine and the one session factory (SQLite in WAL mode, or PostgreSQL via psycopg 3)."""

from __future__ import annotations

import select
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, exc
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
    engine = create_engine(url, pool_size=10, max_overflow=10)
    check_on_checkout(engine)
    return engine


# A pooled connection idle longer than this is pinged before use: a network drop or a firewall
# forgetting the flow leaves no trace on the socket, and after a while idle that is worth a round trip.
IDLE_PING_SECONDS = 10.0


def check_on_checkout(engine: Engine, *, idle_seconds: float = IDLE_PING_SECONDS) -> None:
    """Replace a dead pooled connection at checkout, pinging only a suspect one (not one per request).

    `pool_pre_ping` costs a round trip on every checkout, i.e. every request. Instead: a server that
    restarts or terminates a backend writes its farewell (or EOF) to an idle connection's socket, so
    a socket with something to read is suspect and pinged; so is one idle for `idle_seconds`. A ping
    that fails raises DisconnectionError, on which the pool drops the connection and opens another
    (SQLAlchemy's documented pessimistic recipe). A connection killed between this check and its first
    statement fails that request once; SQLAlchemy then recycles every older connection of the pool.
    """

    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_conn: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _check(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get("idle_since")
        if idle_since is None:
            return  # just connected
        if time.monotonic() - idle_since < idle_seconds and not _has_input(dbapi_conn):
            return  # in use moments ago, and the server has said nothing since
        try:
            engine.dialect.do_ping(dbapi_conn)
        except Exception as error:
            raise exc.DisconnectionError() from error


def _has_input(dbapi_conn: Any) -> bool:
    """True when an idle connection's socket is readable: the server spoke (a FATAL, EOF) unasked."""
    try:
        fd = dbapi_conn.fileno()
    except Exception:
        return True  # no socket to look at: let the ping decide
    poller = select.poll()  # poll, not select(): no FD_SETSIZE limit on a busy server's descriptors
    poller.register(fd, select.POLLIN | select.POLLERR | select.POLLHUP)
    return bool(poller.poll(0))


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
