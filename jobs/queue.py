"""One job queue on procrastinate (PostgreSQL): deferred from any node, run by `lightbox worker`s.

Tasks are idempotent and keyed by the uid they work on (`queueing_lock`: one waiting job per
study or case, a second defer while it waits is a no-op), retried with exponential backoff.
Without a queue (the embedded default, and every SQLite database) nothing is deferred: the
import's own process pool renders previews before its commit and the catalog indexer retries
in its own thread, which on one machine is as fast and needs no worker process.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from procrastinate import App, PsycopgConnector, RetryStrategy
from procrastinate.exceptions import AlreadyEnqueued
from sqlalchemy import TextClause
from sqlalchemy import text as sql_text
from sqlalchemy.engine import make_url
from sqlmodel import Session

from importers.deferred import render_study_previews
from media.store import ContentStore

# The queue's own tables (procrastinate's schema, migration 0013): work in flight, not content. A backup
# leaves them out (api/backup_cli.py) and a restored repository starts with an empty queue.
QUEUE_TABLES = frozenset(
    {"procrastinate_jobs", "procrastinate_events", "procrastinate_periodic_defers", "procrastinate_workers"}
)

log = logging.getLogger(__name__)

QUEUE = "lightbox"
PREVIEWS = "lightbox.study_previews"
REINDEX = "lightbox.reindex_cases"
# 2, 4, 8, ... 512 s between attempts (procrastinate: exponential_wait ** (attempt + 1)); a job
# still failing after ~17 minutes of tries is left "failed" and listed by `lightbox jobs`.
RETRY = RetryStrategy(max_attempts=9, exponential_wait=2)

Sessions = Callable[[], AbstractContextManager[Session]]


@dataclass(frozen=True)
class JobEnv:
    """What tasks need: the database, the media store and the catalog's re-projection."""

    sessions: Sessions
    store: ContentStore
    reindex: Callable[[Sequence[str]], None]


def conninfo(db_url: str) -> str:
    """The libpq connection string of a SQLAlchemy PostgreSQL URL (procrastinate talks psycopg)."""
    return make_url(db_url).set(drivername="postgresql").render_as_string(hide_password=False)


class JobQueue:
    """The procrastinate app of one process: defers jobs synchronously, or runs them (a worker)."""

    def __init__(self, db_url: str, env: JobEnv) -> None:
        # A small pool: a web node only inserts jobs; the worker's own pool is async (run_worker).
        self.app = App(connector=PsycopgConnector(conninfo=conninfo(db_url), min_size=1, max_size=4))
        self.env = env
        self._opened = False

        def study_previews(study_instance_uid: str) -> None:
            with env.sessions() as session:
                done = render_study_previews(study_instance_uid, session=session, store=env.store)
            log.info("previews of %d series rendered", done)

        def reindex_cases(case_uids: list[str]) -> None:
            env.reindex(case_uids)

        options: dict[str, Any] = {"queue": QUEUE, "retry": RETRY, "pass_context": False}
        register: Any = self.app.task  # overloaded decorator factory, untyped for mypy
        register(name=PREVIEWS, **options)(study_previews)
        register(name=REINDEX, **options)(reindex_cases)

    def open(self) -> JobQueue:
        """Open the synchronous connection pool used to defer (web nodes, CLI commands)."""
        if not self._opened:
            self.app.open()
            self._opened = True
        return self

    def defer_previews(self, study_instance_uid: str) -> None:
        """Queue the rendering of a study's previews (once while one waits)."""
        self._defer(PREVIEWS, f"previews:{study_instance_uid}", study_instance_uid=study_instance_uid)

    def defer_reindex(self, case_uids: Sequence[str]) -> None:
        """Queue a retry of the catalog update of these cases (one job per case, so locks match)."""
        for uid in case_uids:
            self._defer(REINDEX, f"reindex:{uid}", case_uids=[uid])

    def _defer(self, task: str, lock: str, **kwargs: Any) -> None:
        # AlreadyEnqueued: the waiting job will do the same work (idempotent by key).
        with contextlib.suppress(AlreadyEnqueued):
            self.app.configure_task(task, queueing_lock=lock).defer(**kwargs)

    def run_worker(self, *, concurrency: int = 1, wait: bool = True) -> None:
        """Run jobs until stopped (SIGINT/SIGTERM), or with wait=False until the queue is empty."""
        try:
            asyncio.get_running_loop()
        except RuntimeError:  # the usual case (`lightbox worker`): no loop in this thread
            self.app.run_worker(queues=[QUEUE], concurrency=concurrency, wait=wait, install_signal_handlers=wait)
            return
        # A loop already runs in this thread (a host embedding the queue, a browser driver in the same
        # process): procrastinate's asyncio.run cannot nest, so the worker runs in a thread of its own.
        failed: list[BaseException] = []

        def run() -> None:
            try:
                self.app.run_worker(queues=[QUEUE], concurrency=concurrency, wait=wait, install_signal_handlers=False)
            except BaseException as exc:
                failed.append(exc)

        worker = threading.Thread(target=run, name="lightbox-job-worker")
        worker.start()
        worker.join()
        if failed:
            raise failed[0]

    def close(self) -> None:
        if self._opened:
            self.app.close()
            self._opened = False


STATUSES = ("todo", "doing", "succeeded", "failed", "cancelled", "aborted")


@dataclass(frozen=True)
class FailedJob:
    id: int
    task: str
    lock: str | None
    attempts: int
    at: Any


def has_queue(session: Session) -> bool:
    """Whether this database holds procrastinate's tables (PostgreSQL, migration 0013 applied)."""
    bind = session.get_bind()
    if bind.dialect.name != "postgresql":
        return False
    return bool(session.connection().execute(_sql("SELECT to_regclass('procrastinate_jobs') IS NOT NULL")).one()[0])


def job_counts(session: Session) -> dict[str, int]:
    """Jobs by status (every status present, zero when none); empty without a queue."""
    if not has_queue(session):
        return {}
    rows = (
        session.connection()
        .execute(_sql("SELECT status::text, count(*) FROM procrastinate_jobs GROUP BY status"))
        .all()
    )
    counts = dict.fromkeys(STATUSES, 0)
    counts.update({str(status): int(n) for status, n in rows})
    return counts


def recent_failures(session: Session, limit: int = 10) -> list[FailedJob]:
    """The last failed jobs, newest first (their arguments are uids: nothing identifying)."""
    if not has_queue(session):
        return []
    rows = (
        session.connection()
        .execute(
            _sql(
                "SELECT j.id, j.task_name, j.queueing_lock, j.attempts, max(e.at) AS at FROM procrastinate_jobs j"
                " LEFT JOIN procrastinate_events e ON e.job_id = j.id WHERE j.status = 'failed'"
                " GROUP BY j.id ORDER BY at DESC NULLS LAST, j.id DESC LIMIT :limit"
            ).bindparams(limit=limit)
        )
        .all()
    )
    return [FailedJob(int(r[0]), str(r[1]), r[2], int(r[3]), r[4]) for r in rows]


def _sql(text: str) -> TextClause:
    return sql_text(text)


@dataclass(frozen=True)
class QueueReport:
    queue: bool  # False: no queue in this database (SQLite, or PostgreSQL before migration 0013)
    counts: dict[str, int]
    failures: list[FailedJob]


def queue_report(session: Session, *, failures: int = 10) -> QueueReport:
    """Job counts by status and the most recent failures, for `lightbox jobs`."""
    if not has_queue(session):
        return QueueReport(False, {}, [])
    return QueueReport(True, job_counts(session), recent_failures(session, failures))
