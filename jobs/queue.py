"""One job queue on procrastinate: on PostgreSQL, deferred from any node and run by `lightbox worker`s.

Tasks (jobs.tasks) are idempotent and keyed by the uid they work on, retried with backoff
(jobs.retry). With LIGHTBOX_JOB_QUEUE on PostgreSQL every task goes through this queue: previews,
catalog retries, webhook deliveries and LTI scores. Without it (the embedded default, and every
SQLite database) webhook deliveries and LTI scores run the same tasks on the in-process runner
(jobs.runner); previews are rendered by the import before its commit and the catalog indexer
retries in its own thread, which on one machine is as fast and needs no worker process.

Durability of webhooks comes from the outbox, not the queue: a job lost with its process (the
in-process runner's, or a queue emptied by a restore) leaves a pending row, and every worker
sweeps rows overdue by OVERDUE_SECONDS into jobs again, at its start and every SWEEP_SECONDS.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Sequence
from typing import Any

from procrastinate import App, BaseConnector, BaseRetryStrategy, PsycopgConnector
from procrastinate.exceptions import AlreadyEnqueued
from sqlalchemy.engine import make_url

from jobs.report import (
    STATUSES,
    FailedJob,
    QueueReport,
    job_counts,
    queue_report,
    recent_failures,
    status_totals,
    task_counts,
)
from jobs.retry import Backoff, exponential
from jobs.tasks import LTI_SCORES, PREVIEWS, QUEUE, REINDEX, WEBHOOK, JobEnv, register

# The queue's own tables (procrastinate's schema, migration 0013): work in flight, not content. A backup
# leaves them out (api/backup_cli.py) and a restored repository starts with an empty queue.
QUEUE_TABLES = frozenset(
    {"procrastinate_jobs", "procrastinate_events", "procrastinate_periodic_defers", "procrastinate_workers"}
)

log = logging.getLogger(__name__)

__all__ = [
    "LTI_SCORES",
    "PREVIEWS",
    "QUEUE",
    "REINDEX",
    "STATUSES",
    "WEBHOOK",
    "FailedJob",
    "JobEnv",
    "JobQueue",
    "QueueReport",
    "job_counts",
    "queue_report",
    "recent_failures",
    "status_totals",
    "task_counts",
]
# 2, 4, 8, ... 512 s between attempts (procrastinate: exponential_wait ** (attempt + 1)); a job
# still failing after ~17 minutes of tries is left "failed" and listed by `lightbox jobs`.
# Webhook deliveries keep their own schedule (jobs.retry.RetryIn).
RETRY = Backoff(exponential())
# A delivery due for this long has lost its job; workers look for such rows this often.
OVERDUE_SECONDS = 60.0
SWEEP_SECONDS = 60.0


def conninfo(db_url: str) -> str:
    """The libpq connection string of a SQLAlchemy PostgreSQL URL (procrastinate talks psycopg)."""
    return make_url(db_url).set(drivername="postgresql").render_as_string(hide_password=False)


class JobQueue:
    """The procrastinate app of one process: defers jobs synchronously, or runs them (a worker)."""

    def __init__(self, db_url: str, env: JobEnv, *, retry: BaseRetryStrategy = RETRY) -> None:
        # A small pool: a web node only inserts jobs; the worker's own pool is async (run_worker).
        self._setup(PsycopgConnector(conninfo=conninfo(db_url), min_size=1, max_size=4), env, retry)

    def _setup(self, connector: BaseConnector, env: JobEnv, retry: BaseRetryStrategy) -> None:
        self.app = App(connector=connector)
        self.env = env
        self._opened = False
        register(self.app, env, retry)

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

    def defer_delivery(self, delivery_uid: str, *, again: bool = False) -> None:
        """Queue one webhook delivery (written by the outbox in the transaction just committed).

        `again` (a redelivery) keys the job apart from one that may be waiting to retry the delivery
        later: the new job sends now, and the waiting one then finds nothing due and ends."""
        self._defer(WEBHOOK, f"webhook:{delivery_uid}" + (":again" if again else ""), delivery_uid=delivery_uid)

    def defer_scores(self, assignment_uid: str) -> None:
        """Queue the sending of an assignment's score to its VLEs' gradebooks (sent if complete).

        Not deduplicated: the submission's job may be running (and about to be retried: a retried
        job must not meet a waiting one with its queueing lock) when the marking queues the one that
        sends; the shared lock runs them one after the other, and re-posting a score is harmless."""
        self._defer(LTI_SCORES, f"lti:{assignment_uid}", dedupe=False, assignment_uid=assignment_uid)

    def _defer(self, task: str, lock: str, *, dedupe: bool = True, **kwargs: Any) -> None:
        # AlreadyEnqueued: the waiting job will do the same work (idempotent by key). The same key as
        # a lock: two jobs of one key (one waiting, one running) run one after the other, not at once.
        with contextlib.suppress(AlreadyEnqueued):
            self.app.configure_task(task, queueing_lock=lock if dedupe else None, lock=lock).defer(**kwargs)

    async def _defer_async(self, task: str, lock: str, *, dedupe: bool = True, **kwargs: Any) -> None:
        with contextlib.suppress(AlreadyEnqueued):
            configured = self.app.configure_task(task, queueing_lock=lock if dedupe else None, lock=lock)
            await configured.defer_async(**kwargs)

    async def sweep(self, overdue_seconds: float) -> int:
        """Defer a job for every webhook delivery overdue by that long (its job was lost); how many."""
        try:
            uids = await asyncio.to_thread(self.env.overdue, overdue_seconds)
            for uid in uids:
                await self._defer_async(WEBHOOK, f"webhook:{uid}", delivery_uid=uid)
        except Exception:  # the database away: the next sweep tries again
            log.warning("sweep of overdue webhook deliveries failed", exc_info=True)
            return 0
        if uids:
            log.info("%d overdue webhook deliveries deferred again", len(uids))
        return len(uids)

    async def _sweep_every(self, seconds: float, overdue_seconds: float) -> None:
        while True:
            await asyncio.sleep(seconds)
            await self.sweep(overdue_seconds)

    async def _work(self, *, concurrency: int, wait: bool, signals: bool) -> None:
        async with self.app.open_async():
            await self.sweep(OVERDUE_SECONDS)
            sweeper = asyncio.create_task(self._sweep_every(SWEEP_SECONDS, OVERDUE_SECONDS)) if wait else None
            try:
                await self.app.run_worker_async(
                    queues=[QUEUE], concurrency=concurrency, wait=wait, install_signal_handlers=signals
                )
            finally:
                if sweeper is not None:
                    sweeper.cancel()

    def run_worker(self, *, concurrency: int = 1, wait: bool = True) -> None:
        """Run jobs until stopped (SIGINT/SIGTERM), or with wait=False until the queue is empty."""
        try:
            self._run_worker(concurrency=concurrency, wait=wait)
        finally:
            # Opening the worker's async pool closed the synchronous one this process defers with
            # (procrastinate keeps one or the other): open it again for the commits that follow.
            if self._opened:
                self._opened = False
                self.open()

    def _run_worker(self, *, concurrency: int, wait: bool) -> None:
        try:
            asyncio.get_running_loop()
        except RuntimeError:  # the usual case (`lightbox worker`): no loop in this thread
            asyncio.run(self._work(concurrency=concurrency, wait=wait, signals=wait))
            return
        # A loop already runs in this thread (a host embedding the queue, a browser driver in the same
        # process): procrastinate's asyncio.run cannot nest, so the worker runs in a thread of its own.
        failed: list[BaseException] = []

        def run() -> None:
            try:
                asyncio.run(self._work(concurrency=concurrency, wait=wait, signals=False))
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
