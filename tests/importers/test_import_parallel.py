"""The pool's single pass (worker.prepare_with, staged files adopted by the importer) against
the two-step path (read_grouping_header, then process_with): the same bytes, the same headers
and the same burned-in decisions; and what a parallel import leaves behind on a bad file or a
re-run, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pydicom
import pytest
from sqlmodel import col, select

from api.db import SessionFactory
from content.imaging.models import Instance
from importers.deid import Deidentifier
from importers.pipeline import deid_secret
from importers.series_previews import KINDS, build_preview
from importers.sources import SourceFile
from importers.synth import synth_ct_series, write_series
from importers.worker import (
    PENDING_OCR,
    FileJob,
    StoredFile,
    burned_in_task,
    prepare_with,
    process_with,
    read_grouping_header,
)
from media import previews
from media.store import STAGING, ContentStore
from tests.importers.conftest import DATA_STORE_FILES, PYDICOM_FILES
from tests.importers.importing import SECRET, copy_real, counts, make_collection, run_import

# Every readable reference file: CT, MR, US, secondary capture, RGB, JPEG/JPEG 2000/RLE, big endian,
# deflated, implicit VR, multi-frame, and the damaged ones (each must fail the same way in both paths).
REFERENCE_FILES = sorted([*PYDICOM_FILES.glob("*.dcm"), *DATA_STORE_FILES.glob("*.dcm")])


def _two_step(path: Path, deid: Deidentifier, store: ContentStore) -> tuple[object, object]:
    source = SourceFile(str(path), path.stat().st_size, lambda: path.open("rb"))
    header = read_grouping_header(source)
    if not isinstance(header, pydicom.Dataset) or not header.get("StudyInstanceUID"):
        return header, None
    if not header.get("SeriesInstanceUID"):
        return header, None
    return header, process_with(FileJob(str(path), path=str(path)), deid, store)


def _single_pass(path: Path, deid: Deidentifier, store: ContentStore) -> tuple[object, object]:
    prepared = prepare_with(FileJob(str(path), path=str(path)), deid, store)
    stored = prepared.stored
    if prepared.ocr_pending:
        assert isinstance(stored, StoredFile) and prepared.staged
        assert stored.quarantine_reason == PENDING_OCR  # held until the check has run
        stored = burned_in_task(stored, prepared.staged)
    if isinstance(stored, StoredFile):
        assert prepared.staged is not None
        store.adopt(stored.file_key, prepared.staged)
    return prepared.header, stored


@pytest.mark.parametrize("path", REFERENCE_FILES, ids=lambda p: p.name)
def test_single_pass_stores_the_same_bytes_headers_and_decisions_as_two_steps(path: Path, tmp_path: Path) -> None:
    deid = Deidentifier(deid_secret(SECRET))
    serial, parallel = ContentStore(tmp_path / "serial"), ContentStore(tmp_path / "parallel")
    header_a, stored_a = _two_step(path, deid, serial)
    header_b, stored_b = _single_pass(path, deid, parallel)
    if isinstance(header_a, pydicom.Dataset):
        assert isinstance(header_b, pydicom.Dataset)
        assert [(e.tag, e.value) for e in header_a] == [(e.tag, e.value) for e in header_b]
    else:
        assert header_a == header_b  # the same FileProblem: label and reason
    assert stored_a == stored_b  # StoredFile (key, UIDs, quarantine, regions) or FileProblem
    if isinstance(stored_a, StoredFile):
        assert serial.get(stored_a.file_key) == parallel.get(stored_a.file_key)
    assert not list((tmp_path / "parallel" / STAGING).glob("*"))


def test_a_header_problem_stages_nothing(tmp_path: Path) -> None:
    files = write_series(synth_ct_series(2, 16), tmp_path / "in")
    files[0].write_bytes(files[0].read_bytes()[:-100])  # pixel data cut short
    store = ContentStore(tmp_path / "media")
    prepared = prepare_with(FileJob(str(files[0]), path=str(files[0])), Deidentifier(SECRET), store)
    assert prepared.stored is None and prepared.staged is None
    assert not isinstance(prepared.header, pydicom.Dataset)
    assert "truncated: pixel data declares" in prepared.header.reason
    assert not (tmp_path / "media" / STAGING).exists() or not list((tmp_path / "media" / STAGING).iterdir())


def test_adopt_refuses_a_path_outside_the_staging_area(tmp_path: Path) -> None:
    store = ContentStore(tmp_path / "media")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_bytes(b"not staged")
    with pytest.raises(Exception, match="not a staged file"):
        store.adopt("0" * 64, str(elsewhere))
    assert elsewhere.exists() and not store.has("0" * 64)


@pytest.fixture
def store(tmp_path: Path) -> ContentStore:
    return ContentStore(tmp_path / "media")


def _blobs(store: ContentStore) -> set[str]:
    return {p.name for p in (store.root / "blobs").rglob("*") if p.is_file()}


def test_a_malformed_file_in_a_parallel_batch_is_refused_and_nothing_is_half_written(
    sessions: SessionFactory, store: ContentStore, tmp_path: Path
) -> None:
    files = write_series(synth_ct_series(20, 16), tmp_path / "in")
    bad = files[7]
    bad.write_bytes(bad.read_bytes()[:-100])
    collection = make_collection(sessions)
    summary = run_import(sessions, store, [tmp_path / "in"], collection, workers=2)
    assert summary.imported == 19
    assert [(f.label, f.reason) for f in summary.failed] == [
        (str(bad), "truncated: pixel data declares 512 bytes, 412 present")
    ]
    assert counts(sessions) == (1, 1, 19)
    with sessions.scope() as session:
        keys = {i.file_key for i in session.exec(select(Instance)).all()}
    # Every blob is an instance the database points at, or a preview: none for the bad file.
    assert keys <= _blobs(store) and len(_blobs(store) - keys) <= 3
    assert not list((store.root / STAGING).iterdir())


def test_a_parallel_reimport_skips_everything_and_never_restores_a_deleted_blob(
    sessions: SessionFactory, store: ContentStore, tmp_path: Path
) -> None:
    write_series(synth_ct_series(18, 16), tmp_path / "in" / "ct")
    copy_real(tmp_path / "in" / "us", "US1_UNCR.dcm")
    collection = make_collection(sessions)
    first = run_import(sessions, store, [tmp_path / "in"], collection, workers=2)
    assert first.imported == 19
    with sessions.scope() as session:
        held = session.exec(select(Instance).where(col(Instance.quarantine_reason).is_not(None))).one()
    assert held.quarantine_reason and held.quarantine_reason != PENDING_OCR
    store.discard(held.file_key)  # as a reviewer's REJECT deletes a burned-in original
    before = _blobs(store)
    rerun = run_import(sessions, store, [tmp_path / "in"], collection, workers=2)
    assert (rerun.imported, len(rerun.skipped), rerun.failed) == (0, 19, []), rerun.text()
    assert _blobs(store) == before and not store.has(held.file_key)
    assert not list((store.root / STAGING).iterdir())


def test_a_parallel_import_records_what_the_serial_worker_stores(
    sessions: SessionFactory, store: ContentStore, tmp_path: Path
) -> None:
    write_series(synth_ct_series(16, 16), tmp_path / "in" / "ct")
    real = copy_real(tmp_path / "in" / "real", "US1_UNCR.dcm", "SC_rgb.dcm", "MR_small.dcm", "CT_small.dcm")
    summary = run_import(sessions, store, [tmp_path / "in"], make_collection(sessions), workers=2)
    assert summary.imported == 20, summary.text()
    serial = ContentStore(tmp_path / "serial")
    deid = Deidentifier(deid_secret(SECRET))
    expected = {}
    for path in sorted((tmp_path / "in").rglob("*.dcm")):
        stored = process_with(FileJob(str(path), path=str(path)), deid, serial)
        assert isinstance(stored, StoredFile)
        expected[stored.sop_uid] = (stored.file_key, stored.quarantine_reason, list(stored.proposed_regions))
    with sessions.scope() as session:
        rows = session.exec(select(Instance)).all()
        recorded = {r.sop_instance_uid: (r.file_key, r.quarantine_reason, list(r.proposed_regions or [])) for r in rows}
    assert recorded == expected
    assert all(store.get(key) == serial.get(key) for key, _, _ in expected.values())
    assert sum(1 for _, reason, _ in recorded.values() if reason) >= 2  # the ultrasound and the capture
    assert len(real) == 4


def test_staged_files_are_made_durable_by_one_sync_before_each_study_commits(
    sessions: SessionFactory, store: ContentStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pool stages files without an fsync each; the store is synced once per study, before the
    commit that refers to its files (a crash after the commit must not find a blob missing)."""
    write_series(synth_ct_series(18, 16), tmp_path / "in" / "a")  # enough files for the pool
    copy_real(tmp_path / "in" / "b", "MR_small.dcm", "CT_small.dcm")
    order: list[str] = []
    real_sync = ContentStore.sync

    def sync(self: ContentStore) -> None:
        order.append("sync:" + ",".join(sorted(p.name for p in (self.root / "blobs").rglob("*") if p.is_file())))
        real_sync(self)

    monkeypatch.setattr(ContentStore, "sync", sync)
    summary = run_import(sessions, store, [tmp_path / "in"], make_collection(sessions), workers=2)
    assert summary.imported == 20, summary.text()
    studies = [s for s in summary.studies if s.status == "created"]
    assert len(order) == len(studies) == 3  # the synthetic CT and the two real files' studies
    with sessions.scope() as session:
        keys = {r.file_key for r in session.exec(select(Instance)).all()}
    synced = set(order[-1].removeprefix("sync:").split(","))
    assert keys <= synced  # every committed file was in place when the last sync ran


def test_previews_from_known_frame_counts_are_the_previews_counted_from_the_files(
    tmp_path: Path, real_file: Callable[[str], Path]
) -> None:
    store = ContentStore(tmp_path / "media")
    files = write_series(synth_ct_series(70, 16), tmp_path / "ct")  # past PRELOAD_LIMIT: read from paths
    multi = real_file("emri_small.dcm")  # 10 frames
    keys = [store.put_file(p) for p in [*files, multi]]
    frames = [1] * len(files) + [10]
    sources = [str(store.path_for(k)) for k in keys]
    assert previews.slices(sources, frames) == previews.slices(sources)
    for kind in KINDS:
        assert build_preview(store, keys, kind, frames) == build_preview(store, keys, kind)
