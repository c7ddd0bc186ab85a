"""File import end to end on SQLite and PostgreSQL: cases, order, idempotence, duplicates, bad files."""

from __future__ import annotations

from pathlib import Path

import pydicom
import pytest
from pydicom.uid import generate_uid
from sqlmodel import col, select

from api.db import SessionFactory
from content import events
from content.audit import AuditEvent
from content.cases.models import Case
from content.errors import DomainError, ErrorCode
from content.imaging.models import Instance, Series, Study
from importers.synth import synth_ct_series, write_series
from media.store import ContentStore
from tests.content.factories import person
from tests.importers.importing import copy_real, counts, make_collection, run_import


@pytest.fixture
def store(tmp_path: Path) -> ContentStore:
    return ContentStore(tmp_path / "media")


def test_300_slice_ct_becomes_a_draft_case_in_geometry_order(
    sessions: SessionFactory, bus: events.EventBus, store: ContentStore, tmp_path: Path
) -> None:
    seen: list[events.Event] = []
    bus.subscribe(events.CaseChanged, seen.append)
    files = write_series(synth_ct_series(300, 32), tmp_path / "ct")  # names are hashes: no order in them
    collection = make_collection(sessions)
    summary = run_import(sessions, store, [tmp_path / "ct"], collection, workers=2)  # the process pool path
    assert (summary.imported, summary.failed, summary.skipped) == (300, [], [])
    assert [s.status for s in summary.studies] == ["created"]
    with sessions.scope() as session:
        case = session.exec(select(Case)).one()
        assert case.state == "DRAFT" and case.title == "CT CHEST ABDOMEN PELVIS WITH CONTRAST"
        assert (case.modalities, case.body_regions) == (["CT"], ["CHEST"])
        assert (case.patient_age_band, case.patient_sex) == ("60-69", "F")
        series = session.exec(select(Series)).one()
        assert series.instance_count == 300 and series.modality == "CT"
        assert all(store.has(k) for k in (series.thumbnail_key, series.montage_key, series.cine_key) if k)
        assert series.thumbnail_key and series.montage_key and series.cine_key
        rows = session.exec(select(Instance).order_by(col(Instance.position))).all()
        # Slices go feet-first (z = -1.25 * index): along the normal, the last acquired comes first.
        assert [r.instance_number for r in rows] == list(range(300, 0, -1))
        z = [float(pydicom.dcmread(store.path_for(r.file_key)).ImagePositionPatient[2]) for r in rows[:3]]
        assert z == sorted(z)
        audit = session.exec(select(AuditEvent).where(AuditEvent.action == "case.import")).one()
        assert audit.object_uid == case.uid and audit.detail["files"] == 300
    assert events.CaseChanged(case.uid, "imaged") in seen
    assert len(files) == 300


def test_reimport_is_a_noop_reported_as_skipped(sessions: SessionFactory, store: ContentStore, tmp_path: Path) -> None:
    paths = copy_real(tmp_path / "in", "CT_small.dcm", "MR_small.dcm", "emri_small.dcm")
    collection = make_collection(sessions)
    first = run_import(sessions, store, paths, collection)
    assert first.imported == 3 and len(first.studies) == 3
    before = counts(sessions)
    again = run_import(sessions, store, [tmp_path / "in"], collection)
    assert again.imported == 0 and len(again.skipped) == 3
    assert {s.status for s in again.studies} == {"skipped"}
    assert counts(sessions) == before


def test_the_same_study_from_another_source_is_a_duplicate(
    sessions: SessionFactory, store: ContentStore, tmp_path: Path
) -> None:
    (original,) = copy_real(tmp_path / "a", "CT_small.dcm")
    other = pydicom.dcmread(original)  # another trust sends the same study with another instance
    other.SOPInstanceUID = other.file_meta.MediaStorageSOPInstanceUID = generate_uid()
    (tmp_path / "b").mkdir()
    other.save_as(tmp_path / "b" / "other.dcm")
    collection = make_collection(sessions)
    assert run_import(sessions, store, [original], collection).imported == 1
    again = run_import(sessions, store, [tmp_path / "b"], collection)
    assert again.imported == 0 and [d.label for d in again.duplicates] == [str(tmp_path / "b" / "other.dcm")]
    assert [s.status for s in again.studies] == ["duplicate"]
    assert counts(sessions) == (1, 1, 1)


def test_each_bad_file_is_reported_with_its_reason_and_skipped(
    sessions: SessionFactory, store: ContentStore, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    good = copy_real(folder, "CT_small.dcm", "MR_truncated.dcm")
    (folder / "notes.txt").write_text("not an image")
    data = good[0].read_bytes()
    (folder / "cut.dcm").write_bytes(data[: len(data) // 2])
    odd = pydicom.dcmread(good[0])
    odd.SOPInstanceUID = generate_uid()
    odd.file_meta.TransferSyntaxUID = pydicom.uid.UID("1.2.826.0.1.3680043.99.1")  # a private, unknown syntax
    odd.save_as(folder / "odd.dcm", enforce_file_format=True)
    summary = run_import(sessions, store, [folder], make_collection(sessions))
    reasons = {Path(p.label).name: p.reason for p in summary.failed}
    assert set(reasons) == {"MR_truncated.dcm", "notes.txt", "cut.dcm", "odd.dcm"}
    assert "truncated" in reasons["MR_truncated.dcm"] and "not DICOM" in reasons["notes.txt"]
    assert "truncated" in reasons["cut.dcm"] and "unsupported transfer syntax" in reasons["odd.dcm"]
    assert summary.imported == 1


def test_geometry_and_metadata_of_real_files(sessions: SessionFactory, store: ContentStore, tmp_path: Path) -> None:
    paths = copy_real(tmp_path / "in", "MR-SIEMENS-DICOM-WithOverlays.dcm", "RG3_J2KI.dcm")
    summary = run_import(sessions, store, paths, make_collection(sessions))
    assert summary.imported == 2
    with sessions.scope() as session:
        cases = {c.modalities[0]: c for c in session.exec(select(Case))}
        assert cases["MR"].body_regions == ["ABDOMEN"] and cases["CR"].body_regions == ["EXTREMITY"]
        assert all(s.study_instance_uid.startswith("2.25.") for s in session.exec(select(Study)))


def test_a_trainee_may_not_import_and_nothing_is_written(
    sessions: SessionFactory, store: ContentStore, tmp_path: Path
) -> None:
    paths = copy_real(tmp_path / "in", "CT_small.dcm")
    collection = make_collection(sessions)
    with sessions.scope() as session:
        _, trainee = person(session, "registrar", "trainee")
        _, contributor = person(session, "contrib", "contributor")
    with pytest.raises(DomainError) as refused:
        run_import(sessions, store, paths, collection, principal=trainee)
    assert refused.value.code is ErrorCode.FORBIDDEN
    assert counts(sessions) == (0, 0, 0) and not store.root.exists()
    assert run_import(sessions, store, paths, collection, principal=contributor).imported == 1
