"""The in-process runner: the queue's tasks run on a worker thread of this process (the embedded default).

Without LIGHTBOX_JOB_QUEUE (SQLite, or PostgreSQL with no worker processes) webhook deliveries and
LTI scores are still jobs: the same task functions (jobs.tasks) and the same retry strategy
(jobs.retry), run by a procrastinate worker over its InMemoryConnector on an event loop of its own.
Jobs are not persisted; the outbox is. At start the runner defers every due delivery (nothing of
this process can be in flight yet), then every `sweep_seconds` those overdue by OVERDUE_SECONDS,
so a restart loses no webhook. A lost LTI score job is lost (as the thread that sent it before
was): the next marking of the assignment sends it again.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections import Counter
from typing import Any

from procrastinate import BaseRetryStrategy
from procrastinate.testing import InMemoryConnector

from jobs.queue import OVERDUE_SECONDS, RETRY, JobQueue
from jobs.report import STATUSES
from jobs.tasks import QUEUE, JobEnv

log = logging.getLogger(__name__)
# Jobs retried after a short wait are found by polling (a retry sends no notification).
POLL_SECONDS = 0.5
DEFER_TIMEOUT = 10.0
KEEP_FAILED = 1000


class InProcessRunner(JobQueue):
    """A JobQueue whose jobs live in memory and run on a thread started by the first defer (or `start`).

    One job at a time by default: deliveries go out in the order the outbox wrote them (a partner
    hears of a validation before the retirement that followed it), as one dispatcher thread did."""

    def __init__(
        self,
        env: JobEnv,
        *,
        retry: BaseRetryStrategy = RETRY,
        concurrency: int = 1,
        sweep_seconds: float = 5.0,
    ) -> None:
        self.connector = InMemoryConnector()
        self._setup(self.connector, env, retry)
        self.concurrency, self.sweep_seconds = concurrency, sweep_seconds
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._worker: asyncio.Task[None] | None = None
        self._ready = threading.Event()
        self._start_lock = threading.Lock()
        self._done: Counter[tuple[str, str]] = Counter()  # finished jobs dropped from memory, by (task, status)

    def open(self) -> InProcessRunner:
        return self  # nothing to connect to

    def start(self) -> None:
        with self._start_lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="lightbox-jobs", daemon=True)
                self._thread.start()
        self._ready.wait(DEFER_TIMEOUT)

    def _run(self) -> None:
        try:
            asyncio.run(self._main())
        except Exception:
            log.exception("the in-process job runner stopped")

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        async with self.app.open_async():
            self._worker = asyncio.current_task()
            self._ready.set()
            sweeper = asyncio.create_task(self._sweep_every(self.sweep_seconds, OVERDUE_SECONDS))
            try:
                await self.sweep(0.0)  # at start every due delivery is an orphan: none of ours is in flight
                await self.app.run_worker_async(
                    queues=[QUEUE],
                    concurrency=self.concurrency,
                    wait=True,
                    install_signal_handlers=False,
                    fetch_job_polling_interval=POLL_SECONDS,
                )
            except asyncio.CancelledError:  # close(): running jobs were let finish
                pass
            finally:
                sweeper.cancel()

    async def sweep(self, overdue_seconds: float) -> int:
        self._forget_finished()
        return await super().sweep(overdue_seconds)

    def _forget_finished(self) -> None:
        # Memory would otherwise grow by a job per delivery: succeeded jobs, and failed ones past the
        # most recent KEEP_FAILED, are dropped and only counted. On the loop's thread.
        failed = [job_id for job_id, job in self.connector.jobs.items() if job["status"] == "failed"]
        drop = set(sorted(failed)[:-KEEP_FAILED])
        for job_id, job in list(self.connector.jobs.items()):
            if job["status"] == "succeeded" or job_id in drop:
                self._done[(str(job["task_name"]), str(job["status"]))] += 1
                self.connector.jobs.pop(job_id, None)
                self.connector.events.pop(job_id, None)

    def _defer(self, task: str, lock: str, *, dedupe: bool = True, **kwargs: Any) -> None:
        # The connector belongs to the worker's loop: defers from other threads are handed to it.
        self.start()
        assert self._loop is not None
        defer = self._defer_async(task, lock, dedupe=dedupe, **kwargs)
        future = asyncio.run_coroutine_threadsafe(defer, self._loop)
        future.result(DEFER_TIMEOUT)

    def counts(self) -> dict[str, dict[str, int]]:
        """This process's jobs by task, then by status (every status present)."""
        out: dict[str, dict[str, int]] = {}
        for (task, status), n in list(self._done.items()):
            out.setdefault(task, dict.fromkeys(STATUSES, 0))[status] += n
        for job in list(self.connector.jobs.values()):
            out.setdefault(str(job["task_name"]), dict.fromkeys(STATUSES, 0))[str(job["status"])] += 1
        return out

    def close(self, timeout: float = 10.0) -> None:
        if self._loop is not None and self._worker is not None:
            self._loop.call_soon_threadsafe(self._worker.cancel)
        if self._thread is not None:
            self._thread.join(timeout)
