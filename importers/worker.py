"""One file's way into the store: read, check, de-identify, encode, hash and write.

Runs in worker processes (de-identification and hashing are CPU bound and the GIL would
serialise them), so jobs and results are small picklable records and each process keeps its
own Deidentifier. Only de-identified bytes ever reach the store. Problems with the file itself
come back as a FileProblem; a failing store raises, so the import stops rather than commit a
study with a hole in it.
"""

from __future__ import annotations

import copy
import io
import os
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import pydicom
from pydicom.dataelem import DataElement, RawDataElement, convert_raw_data_element
from pydicom.dataset import Dataset
from pydicom.uid import AllTransferSyntaxes

from content.errors import DomainError
from importers.burned_in import BurnedIn, assess, reads_pixels
from importers.deid import Deidentifier
from importers.reading import read_header_at, read_rest
from importers.series_previews import PreviewKeys, PreviewKind, build_preview, build_previews
from importers.sources import SourceFile
from importers.summary import FileProblem
from media.store import ContentStore

_KNOWN_SYNTAXES = frozenset(AllTransferSyntaxes)


@dataclass(frozen=True)
class FileJob:
    label: str
    path: str | None = None  # a plain file is read by the worker itself: no bytes through the pipe
    data: bytes | None = None  # zip members, uploads and network objects arrive as bytes


@dataclass(frozen=True)
class StoredFile:
    """A stored, de-identified instance: every value here has been through the profile."""

    label: str
    file_key: str
    size_bytes: int
    study_uid: str
    series_uid: str
    sop_uid: str
    sop_class_uid: str
    instance_number: int | None
    frames: int
    rows: int | None
    columns: int | None
    modality: str | None
    body_part: str | None
    study_description: str | None
    series_description: str
    series_number: int | None
    study_date: date | None
    age_band: str | None
    sex: str | None
    quarantine_reason: str | None
    proposed_regions: tuple[dict[str, int], ...] = ()


@dataclass(frozen=True)
class WorkerConfig:
    secret: bytes
    store_root: str


_STATE: dict[str, object] = {}


def init_worker(config: WorkerConfig) -> None:
    """Set up a worker process: its de-identifier and content store."""
    _STATE["deid"] = Deidentifier(config.secret)
    _STATE["store"] = ContentStore(config.store_root)


def _int(value: object) -> int | None:
    """An IS value as an int, or None when absent, malformed or outside the 32-bit range
    DICOM allows for IS (and the database's integer columns hold)."""
    try:
        number = int(str(value)) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None
    return number if number is None or -(2**31) <= number < 2**31 else None


def _date(value: object) -> date | None:
    text = str(value or "").strip()
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8])) if len(text) >= 8 else None
    except ValueError:
        return None


def _text(value: object) -> str:
    """A header value as text for the database: without NULs (padding or damage; PostgreSQL
    refuses U+0000 in text) and surrounding blanks."""
    return str(value or "").replace("\x00", "").strip()


def _maybe_text(value: str | None) -> str | None:
    return None if value is None else _text(value)


def _read(job: FileJob) -> Dataset:
    if job.data is not None:
        return pydicom.dcmread(io.BytesIO(job.data), force=True)
    assert job.path is not None
    with open(job.path, "rb") as fh:
        return pydicom.dcmread(fh, force=True)


def _syntax_problem(ds: Dataset) -> str | None:
    meta = getattr(ds, "file_meta", None)
    syntax = meta.get("TransferSyntaxUID") if meta is not None else None
    if syntax is not None and str(syntax) not in _KNOWN_SYNTAXES:
        return f"unsupported transfer syntax {syntax}"
    return None


def declared_syntax_problem(source: SourceFile) -> str | None:
    """Why a file that failed to parse failed, when its meta names a syntax nobody can decode."""
    try:
        with source.open() as fh:
            fh.seek(128 + 4)  # past the preamble and "DICM"
            meta = pydicom.filereader._read_file_meta_info(fh)
            syntax = meta.get("TransferSyntaxUID")  # converted on first read: may fail too
    except Exception:  # no readable meta: the parse error says more
        return None
    return f"unsupported transfer syntax {syntax}" if syntax and str(syntax) not in _KNOWN_SYNTAXES else None


GROUPING_KEYWORDS = (
    "StudyInstanceUID",
    "SeriesInstanceUID",
    "SOPInstanceUID",
    "SOPClassUID",
    "SeriesNumber",
    "InstanceNumber",
    "ImagePositionPatient",
    "ImageOrientationPatient",
)


def read_grouping_header(source: SourceFile) -> Dataset | FileProblem:
    """The checked header (see reading.read_header), cut to what grouping and sorting use, so
    that it crosses a process boundary cheaply."""
    found = _read_grouping(source)
    return found if isinstance(found, FileProblem) else found[0]


def _converted(ds: Dataset, keyword: str) -> DataElement:
    """A converted element of its own: de-identifying `ds` later changes ds's elements in place,
    and the grouping header must keep the original UIDs."""
    elem = ds.get_item(keyword)
    return convert_raw_data_element(elem, ds=ds) if isinstance(elem, RawDataElement) else copy.deepcopy(elem)


def _read_grouping(source: SourceFile) -> tuple[Dataset, Dataset, int] | FileProblem:
    """(grouping header, whole checked header, where it stopped), or the file's problem."""
    try:
        ds, stopped = read_header_at(source)
        small = Dataset()
        for keyword in GROUPING_KEYWORDS:
            if keyword in ds:
                # A converted copy: a damaged element fails here, and `ds` keeps its raw elements,
                # written out byte for byte as a separately parsed dataset's would be.
                small[keyword] = _converted(ds, keyword)
    except DomainError as exc:
        reason = declared_syntax_problem(source) or exc.message.removeprefix(f"{source.label}: ")
        return FileProblem(source.label, reason)
    except Exception as exc:  # pydicom raises many types on damaged input; each means "this file"
        return FileProblem(source.label, f"unreadable DICOM: {exc}"[:300])
    return small, ds, stopped


def process(job: FileJob) -> StoredFile | FileProblem:
    """In a pool worker, after init_worker(config) ran there (the pool's initializer)."""
    deid, store = _STATE["deid"], _STATE["store"]
    assert isinstance(deid, Deidentifier) and isinstance(store, ContentStore)
    return process_with(job, deid, store)


def process_with(job: FileJob, deid: Deidentifier, store: ContentStore) -> StoredFile | FileProblem:
    """Read, check, de-identify and store one file; what was stored or why it was not."""
    try:
        ds = _read(job)
    except Exception as exc:  # pydicom raises many types on damaged input; each means "this file"
        return _deid_problem(job.label, exc)
    encoded = _deidentify(job.label, ds, deid)
    if isinstance(encoded, FileProblem):
        return encoded
    data, fields = encoded
    key = store.put(data)  # outside any try: a store failure must stop the import
    return StoredFile(label=job.label, file_key=key, size_bytes=len(data), **fields)


@dataclass(frozen=True)
class Prepared:
    """A file on disk read once, checked, de-identified, encoded and staged by a pool worker
    (see prepare_with); the importer then adopts the staged file or drops it."""

    header: Dataset | FileProblem  # what grouping needs (original UIDs), or why the file is refused
    stored: StoredFile | FileProblem | None = None  # None: refused at its header, nothing staged
    staged: str | None = None  # ContentStore.stage's path of the de-identified bytes
    # The burned-in check needs OCR (seconds an image): it runs only for files the importer
    # means to keep (burned_in_task on the staged file), so a re-run's skipped radiographs cost
    # no OCR. Until then stored.quarantine_reason is PENDING_OCR, which holds the image if it leaks.
    ocr_pending: bool = False


PENDING_OCR = "burned-in text check not yet run"


def prepare_with(job: FileJob, deid: Deidentifier, store: ContentStore) -> Prepared:
    """The scan's and the store step's work on one file in a single pass: the file is read
    from disk once and its header parsed once (the pixel data and what follows are read on
    from where the checked header stopped), de-identified and encoded once, and staged.

    Each outcome is what the two-step path (read_grouping_header, then process_with) gives
    for the same file; a file the import then skips costs work, never a blob."""
    data = job.data if job.data is not None else _read_bytes(job)
    source = SourceFile(job.label, len(data), lambda: io.BytesIO(data))
    found = _read_grouping(source)
    if isinstance(found, FileProblem):
        return Prepared(found)
    small, header, stopped = found
    if not small.get("StudyInstanceUID") or not small.get("SeriesInstanceUID"):
        return Prepared(small)  # refused by the importer for that: nothing to de-identify
    try:
        ds = read_rest(header, io.BytesIO(data), stopped)
    except Exception as exc:  # as process_with's read: a problem with this file
        return Prepared(small, _deid_problem(job.label, exc))
    encoded = _deidentify(job.label, ds, deid, ocr=False)
    if isinstance(encoded, FileProblem):
        return Prepared(small, encoded)
    out, fields = encoded
    # Not synced here: the importer syncs the store once before the commit that refers to it.
    key, staged = store.stage(out, durable=False)  # outside any try: a store failure must stop the import
    stored = StoredFile(label=job.label, file_key=key, size_bytes=len(out), **fields)
    return Prepared(small, stored, staged, ocr_pending=fields["quarantine_reason"] == PENDING_OCR)


def burned_in_task(stored: StoredFile, staged: str) -> StoredFile | FileProblem:
    """The burned-in check prepare_with left pending, on its staged de-identified file: the
    same dataset, read back from the bytes it was written as."""
    try:
        burned_in = assess(pydicom.dcmread(staged, force=True))
    except Exception as exc:  # as in _deidentify: a problem with this file
        return _deid_problem(stored.label, exc)
    return replace(
        stored,
        quarantine_reason=_maybe_text(burned_in.reason),
        proposed_regions=tuple(r.as_dict() for r in burned_in.regions),
    )


def prepare_task(job: FileJob) -> Prepared:
    """prepare_with in a pool worker, after init_worker(config) ran there."""
    deid, store = _STATE["deid"], _STATE["store"]
    assert isinstance(deid, Deidentifier) and isinstance(store, ContentStore)
    return prepare_with(job, deid, store)


def _read_bytes(job: FileJob) -> bytes:
    assert job.path is not None
    with open(job.path, "rb") as fh:
        return fh.read()


def _deid_problem(label: str, exc: Exception) -> FileProblem:
    return FileProblem(label, f"could not de-identify: {type(exc).__name__}: {exc}"[:300])


def _deidentify(
    label: str, ds: Dataset, deid: Deidentifier, *, ocr: bool = True
) -> tuple[bytes, dict[str, Any]] | FileProblem:
    """A parsed file de-identified and encoded: its bytes and StoredFile's other fields.
    ocr=False leaves a burned-in check that needs OCR pending (see Prepared)."""
    try:
        problem = _syntax_problem(ds)
        if problem:
            return FileProblem(label, problem)
        result = deid.deidentify(ds)
        buffer = io.BytesIO()
        pydicom.dcmwrite(buffer, ds, enforce_file_format=True)
        # Read inside the try: an element pydicom wrote back raw converts only now, and may fail.
        fields: dict[str, Any] = {
            "sop_class_uid": _text(ds.get("SOPClassUID", "")),
            "instance_number": _int(ds.get("InstanceNumber")),
            "frames": _int(ds.get("NumberOfFrames")) or 1,
            "rows": _int(ds.get("Rows")),
            "columns": _int(ds.get("Columns")),
            "series_description": _text(ds.get("SeriesDescription", "")),
            "series_number": _int(ds.get("SeriesNumber")),
            "study_date": _date(ds.get("StudyDate")),
        }
        # After the write: OCR decodes pixels, which may change ds in place.
        burned_in = assess(ds) if ocr or not reads_pixels(ds) else BurnedIn(PENDING_OCR)
    except Exception as exc:  # pydicom raises many types on damaged input; each means "this file"
        return _deid_problem(label, exc)
    fields.update(
        study_uid=result.study_uid.new,
        series_uid=result.series_uid.new,
        sop_uid=result.sop_uid.new,
        modality=_maybe_text(result.modality),
        body_part=_maybe_text(result.body_part),
        study_description=_maybe_text(result.study_description),
        age_band=_maybe_text(result.age_band),
        sex=_maybe_text(result.sex),
        quarantine_reason=_maybe_text(burned_in.reason),
        proposed_regions=tuple(r.as_dict() for r in burned_in.regions),
    )
    return buffer.getvalue(), fields


def previews_task(file_keys: list[str]) -> PreviewKeys:
    """A series' previews, rendered in a worker while the main process moves on."""
    store = _STATE["store"]
    assert isinstance(store, ContentStore)
    return build_previews(store, file_keys)


def preview_part_task(file_keys: list[str], kind: PreviewKind, frames: list[int] | None = None) -> str | None:
    """Build one preview of a series in a worker process; its content key, or None."""
    store = _STATE["store"]
    assert isinstance(store, ContentStore)
    return build_preview(store, file_keys, kind, frames)


def default_workers() -> int:
    """How many import processes to start by default (one or two)."""
    return max(1, min(2, os.cpu_count() or 1))
