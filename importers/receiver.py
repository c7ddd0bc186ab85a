"""A DICOM C-STORE receiver: a PACS pushes instances; a study is imported once it is stable.

As Orthanc's StableAge: a study counts as complete when no instance of it has arrived for
`stable_age` seconds. Only known peers may send: the called AE title must be ours and the
calling AE title (and, where configured, the peer's address) one of the allowed peers.

Received objects stream to a file as they arrive (pynetdicom's chunked receive) and wait in a
private spool folder (mode 0700: they are not yet de-identified), never in memory; an object
above `max_object_bytes`, or one that would take the spool past `max_spool_bytes`, is refused
with "out of resources" so the PACS keeps it and retries. Each spooled file is removed once
its study is imported; stopping the receiver imports what is waiting, and objects left by a
crash are picked up at the next start.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pydicom
from pynetdicom import AE, ALL_TRANSFER_SYNTAXES, AllStoragePresentationContexts, _config, evt
from pynetdicom.sop_class import Verification  # type: ignore[attr-defined]

from importers.sources import SourceFile

log = logging.getLogger(__name__)
SUCCESS, OUT_OF_RESOURCES, CANNOT_UNDERSTAND, NOT_AUTHORIZED = 0x0000, 0xA700, 0xC000, 0x0124
StudyHandler = Callable[[list[SourceFile]], None]


@dataclass(frozen=True)
class CallingPeer:
    """A peer allowed to send: its AE title and, optionally, the one address it sends from."""

    ae_title: str
    address: str | None = None

    @classmethod
    def parse(cls, entry: str) -> CallingPeer:
        """`AE_TITLE` or `AE_TITLE@address`, as in LIGHTBOX_PACS_PEERS."""
        title, _, address = entry.strip().partition("@")
        if not title.strip() or len(title.strip()) > 16:
            raise ValueError(f"{entry!r}: an AE title is 1 to 16 characters")
        return cls(title.strip(), address.strip() or None)

    def admits(self, ae_title: str, address: str) -> bool:
        return ae_title.strip() == self.ae_title and (self.address is None or self.address == address)


@dataclass
class _Pending:
    last_arrival: float
    files: list[SourceFile] = field(default_factory=list)


@dataclass(frozen=True)
class SpooledFile(SourceFile):
    path: Path = Path()


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
    def __init__(
        self,
        *,
        port: int,
        on_study: StudyHandler,
        peers: Sequence[CallingPeer],
        spool_dir: Path,
        stable_age: float = 60.0,
        host: str = "127.0.0.1",
        ae_title: str = "LIGHTBOX",
        poll_seconds: float = 0.25,
        max_object_bytes: int = 2 * 1024**3,
        max_spool_bytes: int = 20 * 1024**3,
    ) -> None:
        if not peers:
            raise ValueError("no peer may send: allow a calling AE title or configure the PACS peers")
        self.address = (host, port)
        self.on_study = on_study
        self.peers = tuple(peers)
        self.spool_dir = spool_dir
        self.max_object_bytes, self.max_spool_bytes = max_object_bytes, max_spool_bytes
        self.studies = StableStudies(stable_age)
        self.poll_seconds = min(poll_seconds, max(stable_age / 4, 0.05))
        self.ae = AE(ae_title=ae_title)
        # Associations addressed to another AE title, or from a calling AE title no peer has, are
        # rejected before any object is sent; the peer's address is checked per object.
        self.ae.require_called_aet = True
        self.ae.require_calling_aet = sorted({peer.ae_title for peer in self.peers})
        for context in AllStoragePresentationContexts:
            if context.abstract_syntax:  # accept every transfer syntax: a PACS sends what it holds
                self.ae.add_supported_context(context.abstract_syntax, ALL_TRANSFER_SYNTAXES)
        self.ae.add_supported_context(Verification)
        self._server: Any = None
        self._stop = threading.Event()
        self._flusher = threading.Thread(target=self._flush_loop, name="stable-age", daemon=True)
        self._received = 0
        self._spooled = 0  # bytes waiting in the spool
        self._lock = threading.Lock()
        self._chunked_before = _config.STORE_RECV_CHUNKED_DATASET

    @property
    def received(self) -> int:
        return self._received

    @property
    def spooled_bytes(self) -> int:
        return self._spooled

    def _admitted(self, event: Any) -> bool:
        requestor = event.assoc.requestor
        return any(peer.admits(str(requestor.ae_title), str(requestor.address)) for peer in self.peers)

    def _on_store(self, event: Any) -> int:
        if not self._admitted(event):
            log.warning(
                "C-STORE from %s at %s refused: not an allowed peer",
                event.assoc.requestor.ae_title,
                event.assoc.requestor.address,
            )
            return NOT_AUTHORIZED
        arrived = Path(event.dataset_path)
        size = arrived.stat().st_size
        if size > self.max_object_bytes:
            log.warning("C-STORE of %d bytes refused: above the %d-byte cap", size, self.max_object_bytes)
            return OUT_OF_RESOURCES
        with self._lock:
            if self._spooled + size > self.max_spool_bytes:
                log.warning(
                    "C-STORE refused: the spool holds %d bytes, its cap is %d", self._spooled, self.max_spool_bytes
                )
                return OUT_OF_RESOURCES
            self._spooled += size
        spooled = self.spool_dir / f"{uuid.uuid4().hex}.dcm"
        try:
            shutil.move(arrived, spooled)  # pynetdicom's temporary file becomes ours; it deletes nothing then
            study_uid = _study_uid(spooled)
        except Exception:
            log.exception("C-STORE of an undecodable object refused")
            self._release(spooled, size)
            return CANNOT_UNDERSTAND
        if not study_uid:
            self._release(spooled, size)
            return CANNOT_UNDERSTAND
        sop_uid = str(event.request.AffectedSOPInstanceUID)
        self.studies.add(study_uid, self._source(spooled, f"c-store:{event.assoc.requestor.ae_title}/{sop_uid}"))
        self._received += 1
        return SUCCESS

    def _source(self, path: Path, label: str) -> SpooledFile:
        return SpooledFile(label, path.stat().st_size, lambda: path.open("rb"), path)

    def _release(self, path: Path, size: int) -> None:
        path.unlink(missing_ok=True)
        with self._lock:
            self._spooled -= size

    def _recover(self) -> None:
        """Objects a crash left in the spool: acknowledged to the PACS already, so imported, not dropped."""
        for path in sorted(self.spool_dir.glob("*.dcm")):
            try:
                study_uid = _study_uid(path)
            except Exception:
                study_uid = ""
            if not study_uid:
                path.unlink(missing_ok=True)
                continue
            self._spooled += path.stat().st_size
            self.studies.add(study_uid, self._source(path, f"spool:{path.name}"))

    def _flush(self, *, everything: bool = False) -> None:
        for files in self.studies.due(everything=everything):
            try:
                self.on_study(files)
            except Exception:  # one failing study must not stop the receiver
                log.exception("import of a received study failed")
            finally:
                # Imported, or failed and logged (the importer quarantines what it cannot read):
                # either way nothing un-de-identified stays behind.
                for source in files:
                    if isinstance(source, SpooledFile):
                        self._release(source.path, source.size)

    def _flush_loop(self) -> None:
        while not self._stop.wait(self.poll_seconds):
            self._flush()

    def start(self) -> None:
        self.spool_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(self.spool_dir, 0o700)
        self._recover()
        _config.STORE_RECV_CHUNKED_DATASET = True  # objects stream to a file, never held in memory
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
        _config.STORE_RECV_CHUNKED_DATASET = self._chunked_before

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


def _study_uid(path: Path) -> str:
    ds = pydicom.dcmread(path, stop_before_pixels=True, specific_tags=["StudyInstanceUID"])
    return str(ds.get("StudyInstanceUID", "") or "")
