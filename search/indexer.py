"""Keeps the catalog in step with the database: after each commit, re-project the cases it touched.

Handlers run after the database commit (content.events), so an index failure can never undo or
block a write: the affected case uids go to a retry queue that a background thread drains with
backoff. Whatever a crash loses from that queue, the consistency check (search.consistency)
finds and repairs, so the queue needs no durable storage of its own.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager

from sqlmodel import Session

from content import events
from search.model import SearchBackend
from search.projection import case_uids_under, documents_for

log = logging.getLogger(__name__)

Sessions = Callable[[], AbstractContextManager[Session]]
RETRY_DELAYS: tuple[float, ...] = (0.2, 1.0, 5.0, 15.0, 60.0)


class CatalogIndexer:
    def __init__(
        self, backend: SearchBackend, sessions: Sessions, *, retry_delays: Sequence[float] = RETRY_DELAYS
    ) -> None:
        self.backend = backend
        self.sessions = sessions
        self.retry_delays = tuple(retry_delays)
        self._pending: set[str] = set()
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._idle = threading.Event()
        self._idle.set()
        self._stopped = False
        self._thread: threading.Thread | None = None
        # Set by the composition root when a job queue runs: failed updates become retried jobs
        # (durable, run by any worker) instead of this process's retry thread.
        self.retry_elsewhere: Callable[[Sequence[str]], None] | None = None

    def subscribe(self, bus: events.EventBus) -> None:
        bus.subscribe(events.CaseChanged, self._on_case)
        bus.subscribe(events.SecurityChanged, self._on_security)

    def _on_case(self, event: events.Event) -> None:
        assert isinstance(event, events.CaseChanged)
        self.refresh([event.case_uid])

    def _on_security(self, event: events.Event) -> None:
        assert isinstance(event, events.SecurityChanged)
        try:
            with self.sessions() as session:
                uids = case_uids_under(session, event.path)
        except Exception:
            log.exception("could not list cases under %s; the consistency check will catch up", event.path)
            return
        self.refresh(uids)

    def refresh(self, case_uids: Iterable[str]) -> None:
        """Re-project these cases now; on failure queue them for retry instead of raising."""
        uids = list(dict.fromkeys(case_uids))
        if not uids:
            return
        try:
            self.apply(uids)
        except Exception as exc:
            log.warning("catalog update of %d case(s) failed (%s); will retry", len(uids), exc)
            if self.retry_elsewhere is not None:
                try:
                    self.retry_elsewhere(uids)
                    return
                except Exception:
                    log.exception("could not queue the catalog retry; retrying in this process")
            self._enqueue(uids)

    def apply(self, case_uids: Sequence[str]) -> None:
        # Read and write in one turn: two commits' updates racing could otherwise land the
        # older read last and leave a stale entry (wrong text, or worse, old permissions).
        with self.backend.turn():
            with self.sessions() as session:
                docs = documents_for(session, case_uids)
            for uid, entries in docs.items():
                if entries:
                    self.backend.replace_case(uid, entries)
                else:
                    self.backend.delete_case(uid)

    # -- the retry queue ---------------------------------------------------------------------

    @property
    def pending(self) -> frozenset[str]:
        with self._lock:
            return frozenset(self._pending)

    def _enqueue(self, uids: Iterable[str]) -> None:
        with self._lock:
            self._pending.update(uids)
            self._idle.clear()
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._drain, name="catalog-retry", daemon=True)
                self._thread.start()
        self._wake.set()

    def _drain(self) -> None:
        attempt = 0
        while not self._stopped:
            delay = self.retry_delays[min(attempt, len(self.retry_delays) - 1)]
            self._wake.wait(delay)
            self._wake.clear()
            with self._lock:
                batch = sorted(self._pending)
                self._pending.clear()
            if not batch:
                break
            try:
                self.apply(batch)
                attempt = 0
            except Exception as exc:
                attempt += 1
                log.warning("catalog retry %d of %d case(s) failed: %s", attempt, len(batch), exc)
                with self._lock:
                    self._pending.update(batch)
        with self._lock:
            if not self._pending:
                self._idle.set()

    def wait_idle(self, timeout: float) -> bool:
        """True once nothing waits for a retry (tests and shutdown use it)."""
        return self._idle.wait(timeout)

    def close(self) -> None:
        self._stopped = True
        self._wake.set()
