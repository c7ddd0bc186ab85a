"""The engine beyond single rows: UIDs, dates, age bands, risk, options, file meta, pixels."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import pydicom
import pytest
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence
from pydicom.uid import CTImageStorage

from content.errors import DomainError, ErrorCode
from importers.deid import Deidentifier
from importers.deid.dates import age_band, age_in_years, patient_offset_days
from importers.synth import SynthPatient, SynthStudy, synth_ct_series


def ct(seed: int = 0, patient: SynthPatient | None = None, n: int = 3) -> list[Dataset]:
    return list(synth_ct_series(n, 16, study=SynthStudy(patient=patient or SynthPatient(), seed=seed)))


def test_uids_are_deterministic_per_secret_and_valid(secret: bytes) -> None:
    a, b, c = ct()[0], ct()[0], ct()[0]
    original = a.StudyInstanceUID
    ra = Deidentifier(secret).deidentify(a)
    rb = Deidentifier(secret).deidentify(b)
    rc = Deidentifier(b"another-secret-of-enough-length").deidentify(c)
    assert ra.study_uid.original == original
    assert ra.study_uid.new == rb.study_uid.new != rc.study_uid.new
    for uid in (a.StudyInstanceUID, a.SeriesInstanceUID, a.SOPInstanceUID, a.FrameOfReferenceUID):
        assert len(uid) <= 64 and re.fullmatch(r"2\.25\.[1-9]\d*", uid)
    assert a.SOPClassUID == CTImageStorage  # standard class UIDs untouched
    assert a.file_meta.TransferSyntaxUID == pydicom.uid.ExplicitVRLittleEndian


def test_references_stay_consistent(deid: Deidentifier) -> None:
    first, second = ct(n=2)
    ref = Dataset()
    ref.ReferencedSOPClassUID = CTImageStorage
    ref.ReferencedSOPInstanceUID = first.SOPInstanceUID
    second.ReferencedImageSequence = Sequence([ref])
    deid.deidentify(first)
    deid.deidentify(second)
    item = second.ReferencedImageSequence[0]
    assert item.ReferencedSOPInstanceUID == first.SOPInstanceUID
    assert item.ReferencedSOPClassUID == CTImageStorage
    assert first.FrameOfReferenceUID == second.FrameOfReferenceUID
    assert first.file_meta.MediaStorageSOPInstanceUID == first.SOPInstanceUID


def test_unlisted_instance_uids_are_remapped_too(deid: Deidentifier) -> None:
    ds = ct(n=1)[0]
    ds.IrradiationEventUID = "1.2.3.4.5"  # listed
    ds.add_new("ReferencedFrameOfReferenceUID", "UI", "1.2.3.4.6")  # listed (3006,0024)
    ds.StorageMediaFileSetUID = "1.2.3.4.7"
    ds.add_new(0x00081150, "UI", "1.2.3.4.8")  # ReferencedSOPClassUID: a class, kept
    deid.deidentify(ds)
    assert ds.IrradiationEventUID.startswith("2.25.")
    assert ds.ReferencedFrameOfReferenceUID.startswith("2.25.")
    assert ds[0x00081150].value == "1.2.3.4.8"


def test_date_shift_is_per_patient(secret: bytes) -> None:
    deid = Deidentifier(secret)
    one_a, one_b = ct(seed=1), ct(seed=2)
    other = ct(seed=3, patient=SynthPatient(patient_id="OTHER-77", name="ROE^RICHARD"))
    r1, r2, r3 = (deid.deidentify(series[0]) for series in (one_a, one_b, other))
    assert r1.date_offset_days == r2.date_offset_days != r3.date_offset_days
    assert -365 <= r3.date_offset_days <= -30
    assert one_a[0].StudyDate == one_b[0].StudyDate != "20240315"
    assert r1.patient_pseudonym == r2.patient_pseudonym == one_a[0].PatientID != r3.patient_pseudonym
    assert not one_a[0].PatientBirthDate  # blanked, never shifted
    assert one_a[0].LongitudinalTemporalInformationModified == "MODIFIED"


def test_offsets_spread_over_the_range(secret: bytes) -> None:
    offsets = {patient_offset_days(secret, f"patient-{i}") for i in range(200)}
    assert len(offsets) > 100 and min(offsets) >= -365 and max(offsets) <= -30


@pytest.mark.parametrize(
    ("age", "birth", "on", "band"),
    [
        ("045Y", None, None, "40-49"),
        ("006M", None, None, "0-1"),
        ("003W", None, None, "0-1"),
        (None, "20100301", "20240315", "12-17"),
        (None, "19300101", "20240101", "80+"),
        ("089Y", None, None, "80+"),
        (None, "19580214", "20240315", "60-69"),
        (None, None, "20240315", None),
    ],
)
def test_age_band(age: str | None, birth: str | None, on: str | None, band: str | None) -> None:
    assert age_band(age_in_years(age, birth, on)) == band


def test_case_facts_and_marks(deid: Deidentifier) -> None:
    ds = ct(n=1)[0]
    pixels = ds.PixelData
    result = deid.deidentify(ds)
    assert (result.age_band, result.sex, result.modality, result.body_part) == ("60-69", "F", "CT", "CHEST")
    assert result.study_description == "CT CHEST ABDOMEN PELVIS WITH CONTRAST"
    assert "PatientAge" not in ds and ds.PatientSex == "F"
    assert ds.PatientIdentityRemoved == "YES"
    assert "Basic Application Confidentiality Profile" in ds.DeidentificationMethod
    codes = {item.CodeValue for item in ds.DeidentificationMethodCodeSequence}
    assert {"113100", "113105", "113107", "113108"} <= codes
    assert ds.PixelData == pixels  # pixels untouched
    assert "SourceApplicationEntityTitle" not in ds.file_meta
    assert not any(elem.tag.is_private for elem in ds)


def test_keep_private_and_keep_descriptions_options(secret: bytes) -> None:
    ds = ct(n=1)[0]
    Deidentifier(secret, keep_private=True, keep_descriptions=False).deidentify(ds)
    assert any(elem.tag.is_private for elem in ds)
    assert "StudyDescription" not in ds and "SeriesDescription" not in ds
    assert "113105" not in {item.CodeValue for item in ds.DeidentificationMethodCodeSequence}


def test_descriptions_are_cleaned_of_identifying_values(deid: Deidentifier) -> None:
    ds = ct(n=1)[0]
    ds.StudyDescription = "CT HEAD cartwright 12/03/2024 RX4471923 ACC20240315007"
    ds.SeriesDescription = "AXIAL ring 0113 496 0000 for Dr Okonkwo"
    result = deid.deidentify(ds)
    assert result.study_description == "CT HEAD"
    assert "0113" not in ds.SeriesDescription and "OKONKWO" not in ds.SeriesDescription.upper()
    assert ds.SeriesDescription.startswith("AXIAL")


def test_short_secret_is_refused() -> None:
    with pytest.raises(DomainError) as caught:
        Deidentifier(b"short")
    assert caught.value.code is ErrorCode.INVALID_INPUT


def test_overlays_curves_and_group_lengths_are_removed(deid: Deidentifier) -> None:
    ds = ct(n=1)[0]
    ds.add_new(0x60000010, "US", 16)
    ds.add_new(0x60003000, "OW", b"\x00\x01" * 128)
    ds.add_new(0x50000005, "US", 1)
    ds.add_new(0x00080000, "UL", 100)
    deid.deidentify(ds)
    assert not any(tag >> 16 in (0x6000, 0x5000) or tag == 0x00080000 for tag in list(ds.keys()))


@pytest.mark.parametrize(
    ("name", "edit", "risk"),
    [
        ("US1_UNCR.dcm", None, True),
        ("SC_rgb.dcm", None, True),
        ("CT_small.dcm", None, False),
        ("CT_small.dcm", "YES", True),
        ("US1_UNCR.dcm", "NO", False),
    ],
)
def test_burned_in_risk(
    real_file: Callable[[str], Path], deid: Deidentifier, name: str, edit: str | None, risk: bool
) -> None:
    ds = pydicom.dcmread(real_file(name))
    if edit:
        ds.BurnedInAnnotation = edit
    elif "BurnedInAnnotation" in ds:
        del ds.BurnedInAnnotation
    result = deid.deidentify(ds)
    assert result.burned_in_risk is risk
    assert (result.burned_in_reason is not None) is risk


def test_written_file_round_trips(deid: Deidentifier) -> None:
    ds = ct(n=1)[0]
    result = deid.deidentify(ds)
    buffer = io.BytesIO()
    ds.save_as(buffer, enforce_file_format=True)
    back = pydicom.dcmread(io.BytesIO(buffer.getvalue()))
    assert back.SOPInstanceUID == back.file_meta.MediaStorageSOPInstanceUID == result.sop_uid.new
