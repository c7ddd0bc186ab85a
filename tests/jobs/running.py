"""Running jobs in tests: on PostgreSQL with the queue (what `lightbox worker --once` runs), or by
letting the in-process runner's thread work; either way until a condition holds or a deadline passes."""

from __future__ import annotations

import time
from collections.abc import Callable

import sqlalchemy as sa

from api.db import make_engine
from api.runtime import Runtime
from api.settings import Settings
from jobs.runner import InProcessRunner

DEADLINE_SECONDS = 60.0


def run_jobs_until(runtime: Runtime, done: Callable[[], bool]) -> None:
    """Run waiting jobs (retries fall due after short waits) until `done()`; asserts it came true."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not done() and time.monotonic() < deadline:
        if runtime.queue is not None:
            runtime.queue.run_worker(wait=False)
        time.sleep(0.05)  # a retry's short wait, or the in-process runner's turn
    assert done()


def task_counts(runtime: Runtime, task: str) -> dict[str, int]:
    """A task's jobs by status, from whichever runner this runtime has."""
    from jobs.queue import task_counts as queued_counts

    if runtime.queue is not None:
        with runtime.sessions.scope() as session:
            return queued_counts(session).get(task, {})
    assert isinstance(runtime.jobs, InProcessRunner)
    return runtime.jobs.counts().get(task, {})


def empty_queue_table(settings: Settings) -> None:
    """No job of an earlier test in procrastinate's tables (PostgreSQL; the conftest empties the rest)."""
    if not settings.is_postgres:
        return
    engine = make_engine(settings)
    with engine.begin() as conn:
        conn.execute(sa.text("TRUNCATE procrastinate_jobs RESTART IDENTITY CASCADE"))
    engine.dispose()
