"""Safety: a failure midway leaves no half case, quarantine holds burned-in risks, nothing identifying survives."""

from __future__ import annotations

from pathlib import Path

import pydicom
import pytest
from pydicom.uid import generate_uid
from sqlmodel import select

from api.db import SessionFactory
from content.audit import AuditEvent
from content.cases.models import Case
from content.errors import DomainError
from content.imaging.models import Instance, Series, Study
from content.imaging.service import quarantined_instances
from importers.quarantine import release
from importers.synth import SynthPatient, SynthStudy, synth_ct_series, write_series
from media.store import ContentStore
from tests.content.factories import person
from tests.importers.importing import copy_real, counts, database_text, make_collection, run_import, store_bytes

# Real files carrying names, IDs and institutions, across modalities and encodings.
NAMED_FILES = (
    "CT_small.dcm",
    "MR_small_bigendian.dcm",
    "rtplan.dcm",
    "test-SR.dcm",
    "JPGLosslessP14SV1_1s_1f_8b.dcm",
    "gdcm-US-ALOKA-16.dcm",
    "RG1_J2KI.dcm",
    "MR-SIEMENS-DICOM-WithOverlays.dcm",
    "JPEG-LL.dcm",
    "emri_small_jpeg_ls_lossless.dcm",
    "MR_small_RLE.dcm",
    "color3d_jpeg_baseline.dcm",
)
IDENTIFYING = (
    "PatientName",
    "PatientID",
    "PatientBirthDate",
    "AccessionNumber",
    "InstitutionName",
    "InstitutionAddress",
    "ReferringPhysicianName",
    "PerformingPhysicianName",
    "OperatorsName",
    "StationName",
    "DeviceSerialNumber",
    "PatientAddress",
    "OtherPatientIDs",
    "StudyID",
    "StudyInstanceUID",
    "SeriesInstanceUID",
    "SOPInstanceUID",
    "FrameOfReferenceUID",
)


@pytest.fixture
def store(tmp_path: Path) -> ContentStore:
    return ContentStore(tmp_path / "media")


def _synth(folder: Path, n: int, name: str, seed: int) -> list[Path]:
    study = SynthStudy(patient=SynthPatient(name=name, patient_id=f"RX{seed:07d}"), seed=seed)
    return write_series(synth_ct_series(n, 16, study=study), folder)


def test_a_failure_midway_leaves_no_half_case_and_a_rerun_completes(
    sessions: SessionFactory, store: ContentStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _synth(tmp_path / "in" / "a", 6, "FIRST^PATIENT", 1)
    _synth(tmp_path / "in" / "b", 6, "SECOND^PATIENT", 2)
    collection = make_collection(sessions)
    calls = {"n": 0}
    real_put = ContentStore.put

    def failing_put(self: ContentStore, data: bytes) -> str:
        calls["n"] += 1
        if calls["n"] == 6 + 3 + 3:  # the first study (6 files, 3 previews) commits; the second dies midway
            raise OSError("disk full")
        return real_put(self, data)

    monkeypatch.setattr(ContentStore, "put", failing_put)
    with pytest.raises(OSError):
        run_import(sessions, store, [tmp_path / "in"], collection)
    assert counts(sessions) == (1, 1, 6)
    with sessions.scope() as session:
        assert len(session.exec(select(Case)).all()) == 1
    monkeypatch.setattr(ContentStore, "put", real_put)
    rerun = run_import(sessions, store, [tmp_path / "in"], collection)
    assert rerun.imported == 6 and len(rerun.skipped) == 6
    assert counts(sessions) == (2, 2, 12)


def test_ultrasound_secondary_capture_and_burned_in_are_quarantined(
    sessions: SessionFactory, store: ContentStore, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    copy_real(folder, "US1_UNCR.dcm", "SC_rgb.dcm", "MR_small.dcm")
    marked = pydicom.dcmread(folder / "MR_small.dcm")
    marked.BurnedInAnnotation = "YES"
    marked.StudyInstanceUID, marked.SeriesInstanceUID, marked.SOPInstanceUID = (generate_uid() for _ in range(3))
    marked.save_as(folder / "marked.dcm")
    collection = make_collection(sessions)
    with sessions.scope() as session:
        _, trainer = person(session, "trainer", "trainer")
        _, trainee = person(session, "registrar", "trainee")
    summary = run_import(sessions, store, [folder], collection, principal=trainer)
    assert summary.imported == 4
    with sessions.scope() as session:
        reasons = {i.quarantine_reason for i in session.exec(select(Instance)) if i.quarantined}
        assert reasons == {
            "ultrasound without BurnedInAnnotation NO",
            "BurnedInAnnotation is YES",
            "secondary capture without BurnedInAnnotation NO",
        }
        held = [i for i in session.exec(select(Instance)) if i.quarantined]
        for instance in held:  # a quarantined image never reaches a preview
            series = session.get(Series, instance.series_uid)
            assert series is not None and series.thumbnail_key is None
        us = next(i for i in held if i.quarantine_reason and "ultrasound" in i.quarantine_reason)
        case_uid = session.get(Study, session.get(Series, us.series_uid).study_uid).case_uid  # type: ignore[union-attr]
        with pytest.raises(DomainError):
            release(us.uid, session=session, principal=trainee, store=store)
        released = release(us.uid, comment="checked: no text", session=session, principal=trainer, store=store)
        assert not released.quarantined
        shown = session.get(Series, us.series_uid)  # the released image now reaches its series' previews
        assert shown is not None and shown.thumbnail_key and store.has(shown.thumbnail_key)
        assert us.uid not in {i.uid for i in quarantined_instances(case_uid, session=session)}
        audit = session.exec(select(AuditEvent).where(AuditEvent.action == "instance.release")).one()
        assert audit.actor_name == "trainer" and audit.detail["instance"] == us.uid


def _identifying_values(paths: list[Path]) -> set[str]:
    values: set[str] = set()
    kept: set[str] = set()  # the profile keeps the maker: a station named "TOSHIBA" is in "TOSHIBA_MEC"
    for path in paths:
        ds = pydicom.dcmread(path, force=True, stop_before_pixels=True)
        kept.update(str(ds.get(k, "")) for k in ("Manufacturer", "ManufacturerModelName"))
        for keyword in IDENTIFYING:
            for elem in [e for e in ds.iterall() if e.keyword == keyword]:
                items = elem.value if elem.VM > 1 else [elem.value]
                values.update(str(v).strip() for v in items if v is not None)
    # Short values ("M", "1", "CT") are words, not identities; "Anonymized" already is de-identified.
    # Runs of one digit ("000000000") are placeholders that binary data spells by chance.
    return {
        v
        for v in values
        if len(v) >= 6
        and len(set(v)) > 2
        and v.upper() not in {"ANONYMIZED", "ANONYMOUS"}
        and not any(v in k for k in kept)
    }


def test_nothing_identifying_survives_anywhere(sessions: SessionFactory, store: ContentStore, tmp_path: Path) -> None:
    sources = copy_real(tmp_path / "in", *NAMED_FILES)
    sources += _synth(tmp_path / "in" / "ct", 12, "CARTWRIGHT^EVELYN^MAY", 7)
    secrets = _identifying_values(sources)
    assert {"CARTWRIGHT^EVELYN^MAY", "RX0000007", "CompressedSamples^CT1", "St Swithin Royal Infirmary"} <= secrets
    summary = run_import(sessions, store, [tmp_path / "in"], make_collection(sessions))
    # MR_small_RLE is MR_small_bigendian re-encoded: the same instance, imported once.
    assert summary.imported == len(sources) - 1 and len(summary.skipped) == 1 and not summary.failed
    written = database_text(sessions) + repr(summary)
    blobs = store_bytes(store.root)
    assert len(blobs) > len(sources)  # originals plus previews
    for value in secrets:
        assert value not in written, value
        needle = value.encode("latin-1", "replace")
        assert not [p for p, data in blobs if needle in data], value
