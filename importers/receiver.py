"""A DICOM C-STORE receiver: a PACS pushes instances; a study is imported once it is stable.

As Orthanc's StableAge: a study counts as complete when no instance of it has arrived for
`stable_age` seconds. Received objects wait in memory (never on disk, since they are not yet
de-identified); stopping the receiver imports what is waiting rather than dropping it.
"""

from __future__ import annotations

import io
import logging
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pynetdicom import AE, ALL_TRANSFER_SYNTAXES, AllStoragePresentationContexts, evt
from pynetdicom.sop_class import Verification  # type: ignore[attr-defined]

from importers.sources import SourceFile

log = logging.getLogger(__name__)
SUCCESS, OUT_OF_RESOURCES, CANNOT_UNDERSTAND = 0x0000, 0xA700, 0xC000
StudyHandler = Callable[[list[SourceFile]], None]


@dataclass
class _Pending:
    last_arrival: float
    files: list[SourceFile] = field(default_factory=list)


class StableStudies:
    """Arrived objects by (original) Study Instance UID, released once quiet for stable_age seconds."""

    def __init__(self, stable_age: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.stable_age, self.clock = stable_age, clock
        self._pending: dict[str, _Pending] = {}
        self._lock = threading.Lock()

    def add(self, study_uid: str, source: SourceFile) -> None:
        with self._lock:
            pending = self._pending.setdefault(study_uid, _Pending(self.clock()))
            pending.files.append(source)
            pending.last_arrival = self.clock()

    def due(self, *, everything: bool = False) -> list[list[SourceFile]]:
        now = self.clock()
        with self._lock:
            ready = [uid for uid, p in self._pending.items() if everything or now - p.last_arrival >= self.stable_age]
            return [self._pending.pop(uid).files for uid in ready]

    def __len__(self) -> int:
        with self._lock:
            return len(self._pending)


class Receiver:
    def __init__(self, *, port: int, on_study: StudyHandler, stable_age: float = 60.0, host: str = "127.0.0.1",
                 ae_title: str = "LIGHTBOX", poll_seconds: float = 0.25) -> None:
        self.address = (host, port)
        self.on_study = on_study
        self.studies = StableStudies(stable_age)
        self.poll_seconds = min(poll_seconds, max(stable_age / 4, 0.05))
        self.ae = AE(ae_title=ae_title)
        for context in AllStoragePresentationContexts:
            if context.abstract_syntax:  # accept every transfer syntax: a PACS sends what it holds
                self.ae.add_supported_context(context.abstract_syntax, ALL_TRANSFER_SYNTAXES)
        self.ae.add_supported_context(Verification)
        self._server: Any = None
        self._stop = threading.Event()
        self._flusher = threading.Thread(target=self._flush_loop, name="stable-age", daemon=True)
        self._received = 0

    @property
    def received(self) -> int:
        return self._received

    def _on_store(self, event: Any) -> int:
        try:
            data = bytes(event.encoded_dataset(include_meta=True))
            study_uid = str(event.dataset.get("StudyInstanceUID", "") or "")
            sop_uid = str(event.request.AffectedSOPInstanceUID)
        except Exception:
            log.exception("C-STORE of an undecodable object refused")
            return CANNOT_UNDERSTAND
        if not study_uid:
            return CANNOT_UNDERSTAND
        peer = event.assoc.requestor.ae_title
        self.studies.add(study_uid, SourceFile(f"c-store:{peer}/{sop_uid}", len(data), lambda: io.BytesIO(data)))
        self._received += 1
        return SUCCESS

    def _flush(self, *, everything: bool = False) -> None:
        for files in self.studies.due(everything=everything):
            try:
                self.on_study(files)
            except Exception:  # one failing study must not stop the receiver
                log.exception("import of a received study failed")

    def _flush_loop(self) -> None:
        while not self._stop.wait(self.poll_seconds):
            self._flush()

    def start(self) -> None:
        handlers: list[Any] = [(evt.EVT_C_STORE, self._on_store)]
        self._server = self.ae.start_server(self.address, block=False, evt_handlers=handlers)
        self._flusher.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
        self._stop.set()
        if self._flusher.is_alive():
            self._flusher.join()
        self._flush(everything=True)

    def serve_forever(self) -> None:
        """Serve until SIGINT or SIGTERM, then import what is still waiting and return."""
        done = threading.Event()
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGINT, signal.SIGTERM):
                signal.signal(signum, lambda *_: done.set())
        self.start()
        try:
            done.wait()
        finally:
            self.stop()
