"""What the queue holds, read from its tables: counts by status and by task, and recent failures.

Read by `lightbox jobs` and `/metrics` on PostgreSQL with the queue; the in-process runner counts
its own jobs (jobs.runner.InProcessRunner.counts), which no other process can see.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import TextClause
from sqlalchemy import text as sql_text
from sqlmodel import Session

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
    return status_totals(_by_task(session))


def task_counts(session: Session) -> dict[str, dict[str, int]]:
    """Jobs by task, then by status (every status present); empty without a queue."""
    return _by_task(session) if has_queue(session) else {}


def status_totals(by_task: dict[str, dict[str, int]]) -> dict[str, int]:
    """Jobs by status over every task (every status present): what `lightbox_jobs` reports."""
    counts = dict.fromkeys(STATUSES, 0)
    for statuses in by_task.values():
        for status, n in statuses.items():
            counts[status] += n
    return counts


def _by_task(session: Session) -> dict[str, dict[str, int]]:
    rows = (
        session.connection()
        .execute(_sql("SELECT task_name, status::text, count(*) FROM procrastinate_jobs GROUP BY 1, 2"))
        .all()
    )
    out: dict[str, dict[str, int]] = {}
    for task, status, n in rows:
        out.setdefault(str(task), dict.fromkeys(STATUSES, 0))[str(status)] = int(n)
    return out


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
    by_task: dict[str, dict[str, int]] = field(default_factory=dict)


def queue_report(session: Session, *, failures: int = 10) -> QueueReport:
    """Job counts by status and the most recent failures, for `lightbox jobs`."""
    if not has_queue(session):
        return QueueReport(False, {}, [])
    by_task = _by_task(session)  # one read of the queue for both views
    return QueueReport(True, status_totals(by_task), recent_failures(session, failures), by_task)
