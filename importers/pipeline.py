"""The import pipeline: scan → headers → group → de-identify and store → previews → one commit per study.

Idempotence comes from keyed UID remapping: the same original study always maps to the same
new Study Instance UID, so before any work the archive is asked whether it holds the study
(then its files are skipped, or the study is a duplicate) or the instance. A study commits
whole (case, rows, audit, event) or not at all; blobs written before a failed commit are
content-addressed and de-identified, and the re-run finds and reuses them.

With a pool, the scan already reads, de-identifies and encodes each file on disk, once, and
stages the bytes (worker.prepare_with); the per-study checks then decide, as before, which
staged files become blobs (a rename) and which are dropped. The OCR of burned-in text, the one
slow per-file step, waits for that decision, so skipped files never cost it.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import itertools
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pydicom.dataset import Dataset
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from content import audit, events
from content.cases.models import Case
from content.cases.service import create_case
from content.collections.service import get_collection
from content.errors import DomainError, ErrorCode
from content.imaging import image_set
from content.imaging import service as imaging
from content.principal import Principal
from content.security.policy import require, require_somewhere
from content.security.roles import Permission
from importers.deid.uids import UidRemapper
from importers.grouping import StudyGroup, group
from importers.jobs import Jobs
from importers.reading import Header
from importers.series_previews import PreviewKeys
from importers.sources import Found, Skipped, SourceFile, ZipLimits, iter_sources
from importers.study_record import by_series, case_fields, new_study, showable, showable_frames
from importers.summary import (
    FileProblem,
    ImportSummary,
    Progress,
    ProgressCallback,
    StudyOutcome,
    StudyStatus,
    no_progress,
)
from importers.worker import (
    FileJob,
    Prepared,
    StoredFile,
    WorkerConfig,
    default_workers,
    read_grouping_header,
)
from media.store import ContentStore


def deid_secret(app_secret: bytes) -> bytes:
    """The UID-remapping key, derived so that the token-signing secret itself is never used twice."""
    return hmac.new(app_secret, b"lightbox/deid/v1", hashlib.sha256).digest()


@dataclass(frozen=True)
class ImportTarget:
    collection_uid: str
    case_uid: str | None = None  # add every study to this case instead of one new case per study


class Importer:
    def __init__(
        self,
        *,
        target: ImportTarget,
        session: Session,
        principal: Principal,
        store: ContentStore,
        secret: bytes,
        progress: ProgressCallback = no_progress,
        workers: int | None = None,
    ) -> None:
        self.target, self.session, self.principal, self.store = target, session, principal, store
        self.progress = progress
        key = deid_secret(secret)
        self.remapper = UidRemapper(key)
        self.jobs = Jobs(WorkerConfig(key, str(store.root)), workers or default_workers())
        self.summary = ImportSummary()
        self._done = 0
        self._total = 0
        self._pending: deque[tuple[str, list[list[StoredFile]], Callable[[], list[PreviewKeys]]]] = deque()
        # With a job queue subscribed, previews are jobs run after the commit (on any worker), so
        # the import returns with its cases searchable and the previews follow; without one, the
        # import's own pool renders them while the next study is de-identified.
        self.defer_previews = events.handled(session, events.PreviewsDue)
        # With a pool, files on disk are read, de-identified and staged during the scan, in one
        # pass each (worker.prepare_with); their outcomes wait here, by id() of their grouping
        # header, until their study is imported, and a staged file not adopted by then is dropped.
        self._prepared: dict[int, Prepared] = {}
        self._ocr: dict[int, Callable[[], StoredFile | FileProblem]] = {}  # started, same keys

    def check_permission(self) -> None:
        """Refuse before reading a byte: IMPORT and ADD_CASE on the collection, or EDIT on the case."""
        collection = get_collection(self.target.collection_uid, session=self.session)
        require(self.principal, Permission.IMPORT, collection)
        if self.target.case_uid:
            case = imaging.case_for_import(self.target.case_uid, session=self.session, principal=self.principal)
            if case.collection_uid != collection.uid:
                raise DomainError(ErrorCode.INVALID_INPUT, "the case is not in that collection", field="case")
        else:
            require(self.principal, Permission.ADD_CASE, collection)

    def run(self, found: Iterable[Found]) -> ImportSummary:
        started = time.perf_counter()
        self.check_permission()
        self.store.sweep_staging()  # what a parallel import that died left behind
        try:
            headers = self._scan(found)
            self._total = len(headers) + len(self.summary.failed)
            self._done = len(self.summary.failed)
            studies = group(headers)
            self._start_ocr(studies)
            for study in studies:
                try:
                    self._import_study(study)
                finally:
                    self._drop_staged([h for series in study.series for h in series.items])
                # With a pool, one study waits for its previews while the next is de-identified;
                # inline, each study commits before the next begins.
                self._commit_ready(keep=1 if self.jobs.parallel else 0)
            self._commit_ready(keep=0)
        finally:
            self.jobs.close()
            self._drop_staged()
        self.summary.seconds = time.perf_counter() - started
        return self.summary

    # Steps ---------------------------------------------------------------------------

    def _scan(self, found: Iterable[Found]) -> list[Header]:
        sources: list[SourceFile] = []
        for item in found:
            if isinstance(item, Skipped):
                self.summary.failed.append(FileProblem(item.label, item.reason))
            else:
                sources.append(item)
        self.jobs.start(len(sources))
        headers: list[Header] = []
        for seen, (source, result) in enumerate(zip(sources, self._headers(sources), strict=True), 1):
            if isinstance(result, FileProblem):
                self.summary.failed.append(result)
            elif not result.get("StudyInstanceUID") or not result.get("SeriesInstanceUID"):
                self.summary.failed.append(FileProblem(source.label, "no Study or Series Instance UID"))
            else:
                headers.append(Header(source, result))
            self.progress(Progress("scan", seen, len(sources), 0))
        return headers

    def _headers(self, sources: list[SourceFile]) -> Iterator[Dataset | FileProblem]:
        """Each source's grouping header or problem. With a pool, each file on disk is also
        de-identified and staged in the same pass; objects in memory (zip members, uploads,
        network) are read here and de-identified with their study, as without a pool, so that
        a large zip is never held in memory whole."""
        if not self.jobs.parallel:
            yield from self.jobs.headers(sources)
            return
        on_disk = [os.path.isfile(s.label) for s in sources]
        prepared = self.jobs.prepare(
            [FileJob(s.label, path=s.label) for s, disk in zip(sources, on_disk, strict=True) if disk]
        )
        for source, disk in zip(sources, on_disk, strict=True):
            if not disk:
                yield read_grouping_header(source)
                continue
            item = next(prepared)
            if item.stored is not None:
                self._prepared[id(item.header)] = item
            yield item.header

    def _start_ocr(self, studies: list[StudyGroup[Header]]) -> None:
        """Start, on the pool, the OCR of every prepared image that its study will keep as far
        as the archive says now: images of different studies are then read side by side, not
        one study after the other. _stored starts any this missed, and a guess that the import
        then skips only costs its OCR."""
        pending = {key for key, item in self._prepared.items() if item.ocr_pending}
        if not pending:
            return
        headers = [h for study in studies for series in study.series for h in series.items]
        sop_of = {id(h): self.remapper.remap(str(h.dataset.SOPInstanceUID)) for h in headers}
        present = imaging.existing_instances(
            [sop_of[id(h)] for h in headers if id(h.dataset) in pending], session=self.session
        )
        for study in studies:
            if imaging.find_study(self.remapper.remap(str(study.uid)), session=self.session) is not None:
                continue
            for header in (h for series in study.series for h in series.items):
                sop, key = sop_of[id(header)], id(header.dataset)
                if key in pending and sop not in present:
                    present.add(sop)  # a second file of the same instance is skipped
                    self._start_one(key)

    def _start_one(self, key: int) -> None:
        item = self._prepared[key]
        if key not in self._ocr and isinstance(item.stored, StoredFile) and item.staged:
            self._ocr[key] = self.jobs.burned_in(item.stored, item.staged)

    def _stored(self, headers: list[Header]) -> Iterator[StoredFile | FileProblem]:
        """Each accepted file de-identified and stored, in order: adopted from its single pass
        (after its OCR, if it needs one), or (objects in memory, or no pool) read and processed
        now."""
        done = [id(h.dataset) in self._prepared for h in headers]
        remote = self.jobs.run([_job(h.source) for h, ready in zip(headers, done, strict=True) if not ready])
        for header, ready in zip(headers, done, strict=True):
            if ready and self._prepared[id(header.dataset)].ocr_pending:
                self._start_one(id(header.dataset))
        for header, ready in zip(headers, done, strict=True):
            if not ready:
                yield next(remote)
                continue
            key = id(header.dataset)
            item = self._prepared[key]
            check = self._ocr.pop(key, None)
            result = check() if check is not None else item.stored  # before the adoption moves the file
            assert result is not None
            self._adopt(self._prepared.pop(key))
            yield result

    def _adopt(self, item: Prepared) -> None:
        """Move a prepared file's staged bytes into the store, now that its study keeps it."""
        if isinstance(item.stored, StoredFile) and item.staged:
            try:
                self.store.adopt(item.stored.file_key, item.staged)
            except BaseException:
                self.store.drop_staged(item.staged)
                raise

    def _drop_staged(self, headers: list[Header] | None = None) -> None:
        """Delete staged files no study adopted: skipped, duplicates, or left by a failure."""
        ids = list(self._prepared) if headers is None else [id(h.dataset) for h in headers]
        for key in ids:
            check = self._ocr.pop(key, None)
            if check is not None:
                with contextlib.suppress(Exception):  # its outcome no longer matters
                    check()  # an OCR still reading the staged file: let it finish first
            item = self._prepared.pop(key, None)
            if item is not None and item.staged:
                self.store.drop_staged(item.staged)

    def _tick(self, size: int = 0) -> None:
        self._done += 1
        self.progress(Progress("import", self._done, self._total, self.summary.bytes_imported + size))

    def _import_study(self, study: StudyGroup[Header]) -> None:
        study_uid = self.remapper.remap(str(study.uid))
        ordered = [(index, header) for index, series in enumerate(study.series) for header in series.items]
        sop_of = {id(h): self.remapper.remap(str(h.dataset.SOPInstanceUID)) for _, h in ordered}
        present = imaging.existing_instances(sop_of.values(), session=self.session)
        existing = imaging.find_study(study_uid, session=self.session)
        if existing is not None:
            self._already_there(study_uid, existing.case_uid, ordered, sop_of, present)
            return
        accepted: list[Header] = []
        series_of: list[int] = []
        first_label: dict[str, str] = {}
        for index, header in ordered:
            sop, label = sop_of[id(header)], header.source.label
            if sop in present:
                self._skip(FileProblem(label, "instance already in the archive"))
            elif sop in first_label:
                self._skip(FileProblem(label, f"same instance as {first_label[sop]}"))
            else:
                first_label[sop] = label
                accepted.append(header)
                series_of.append(index)
        stored: list[tuple[int, StoredFile]] = []
        for index, result in zip(series_of, self._stored(accepted), strict=True):
            if isinstance(result, FileProblem):
                self.summary.failed.append(result)
                self._tick()
            else:
                stored.append((index, result))
                self._tick(result.size_bytes)
        if not stored:
            self.summary.studies.append(StudyOutcome(study_uid, "empty"))
            return
        series = by_series(stored)
        if self.defer_previews:
            none = [PreviewKeys() for _ in series]
            self._pending.append((study_uid, series, lambda: none))
        else:
            previews = self.jobs.previews([showable(f) for f in series], [showable_frames(f) for f in series])
            self._pending.append((study_uid, series, previews))

    def _commit_ready(self, *, keep: int) -> None:
        while len(self._pending) > keep:
            study_uid, series, previews = self._pending.popleft()
            self._commit(study_uid, series, previews())

    def _already_there(
        self,
        study_uid: str,
        case_uid: str,
        ordered: list[tuple[int, Header]],
        sop_of: dict[int, str],
        present: set[str],
    ) -> None:
        case = self.session.get(Case, case_uid)
        complete = all(sop_of[id(h)] in present for _, h in ordered)
        for _, header in ordered:
            if complete:
                self._skip(FileProblem(header.source.label, "already imported"))
            else:
                self.summary.duplicates.append(FileProblem(header.source.label, "its study is already in the archive"))
                self._tick()
        self.summary.studies.append(
            StudyOutcome(
                study_uid,
                "skipped" if complete else "duplicate",
                case_uid,
                case.path if case else None,
                case.title if case else "",
                files=len(ordered),
            )
        )

    def _skip(self, problem: FileProblem) -> None:
        self.summary.skipped.append(problem)
        self._tick()

    def _commit(self, study_uid: str, series: list[list[StoredFile]], previews: list[PreviewKeys]) -> None:
        if self.jobs.parallel:
            # The pool staged this study's files without an fsync each: one sync of the store makes
            # them (and their renames into place) durable before the database refers to them.
            self.store.sync()
        record = new_study(study_uid, series, previews)
        files = [item for items in series for item in items]
        quarantined = sum(1 for item in files if item.quarantine_reason)
        size = sum(item.size_bytes for item in files)
        session = self.session
        status: StudyStatus
        try:
            if self.target.case_uid:
                case = imaging.case_for_import(self.target.case_uid, session=session, principal=self.principal)
                # A new version of the case: on a validated case a working copy, so trainees keep
                # the published images until someone validates the change.
                image_set.add_study(
                    record, case=case, session=session, principal=self.principal, comment="images imported"
                )
                status = "added"
            else:
                case = create_case(
                    collection_uid=self.target.collection_uid,
                    fields=case_fields(record, files),
                    comment="imported from DICOM",
                    session=session,
                    principal=self.principal,
                    commit=False,
                )
                imaging.attach_study(record, case=case, session=session)
                status = "created"
            audit.record(
                session,
                self.principal,
                "case.import",
                "case",
                case.uid,
                study=study_uid,
                series=len(record.series),
                files=len(files),
                quarantined=quarantined,
                bytes=size,
            )
            events.emit(session, events.CaseChanged(case.uid, "imaged"))
            if self.defer_previews:
                events.emit(session, events.PreviewsDue(study_uid))
            session.commit()
        except IntegrityError:
            # Another import committed this study between our check and our commit.
            session.rollback()
            self.summary.duplicates.extend(FileProblem(f.label, "its study is already in the archive") for f in files)
            self.summary.studies.append(StudyOutcome(study_uid, "duplicate", files=len(files)))
            return
        except BaseException:
            session.rollback()
            raise
        self.summary.imported += len(files)
        self.summary.bytes_imported += size
        self.summary.studies.append(
            StudyOutcome(
                study_uid, status, case.uid, case.path, case.title, len(record.series), len(files), quarantined
            )
        )


def _job(source: SourceFile) -> FileJob:
    if os.path.isfile(source.label):
        return FileJob(source.label, path=source.label)
    with source.open() as fh:
        return FileJob(source.label, data=fh.read())


def import_paths(
    paths: Iterable[str | Path],
    *,
    target: ImportTarget,
    session: Session,
    principal: Principal,
    store: ContentStore,
    secret: bytes,
    progress: ProgressCallback = no_progress,
    workers: int | None = None,
    limits: ZipLimits | None = None,
) -> ImportSummary:
    """Files, folders (recursively), zip files and DICOMDIRs into draft cases."""
    importer = Importer(
        target=target,
        session=session,
        principal=principal,
        store=store,
        secret=secret,
        progress=progress,
        workers=workers,
    )
    importer.check_permission()  # before the paths are even walked
    found = iter_sources(paths, limits=limits)
    first = next(found, None)
    if first is None:
        raise DomainError(
            ErrorCode.INVALID_INPUT, "nothing to import: no files were found (an empty zip or folder?)", field="files"
        )
    return importer.run(itertools.chain([first], found))


def require_may_import(principal: Principal) -> None:
    """The refusal an upload can get from its headers alone: no role of the caller imports anywhere."""
    require_somewhere(principal, Permission.IMPORT)


def import_sources(
    sources: Iterable[Found],
    *,
    target: ImportTarget,
    session: Session,
    principal: Principal,
    store: ContentStore,
    secret: bytes,
    progress: ProgressCallback = no_progress,
    workers: int | None = None,
) -> ImportSummary:
    """Objects already in memory (from a PACS, a C-STORE association or an upload)."""
    importer = Importer(
        target=target,
        session=session,
        principal=principal,
        store=store,
        secret=secret,
        progress=progress,
        workers=workers,
    )
    return importer.run(sources)
