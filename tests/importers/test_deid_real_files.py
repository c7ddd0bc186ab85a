"""Real files carrying patient names: after de-identification no original value is in the bytes."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pydicom
import pytest
from pydicom.dataset import Dataset
from pydicom.uid import UID_dictionary

from importers.deid import Deidentifier

# (file, modality): a reference table of real files, as pydicom's own tests keep one.
REAL_FILES = [
    ("CT_small.dcm", "CT"),
    ("MR_small.dcm", "MR"),
    ("MR_small_bigendian.dcm", "MR"),
    ("MR_small_implicit.dcm", "MR"),
    ("rtplan.dcm", "RTPLAN"),
    ("rtstruct.dcm", "RTSTRUCT"),
    ("rtdose.dcm", "RTDOSE"),
    ("test-SR.dcm", "SR"),
    ("waveform_ecg.dcm", "ECG"),
    ("JPEG2000.dcm", None),
    ("ExplVR_LitEndNoMeta.dcm", None),
    ("US1_UNCR.dcm", "US"),
    ("emri_small.dcm", "MR"),
    ("MR-SIEMENS-DICOM-WithOverlays.dcm", "MR"),
    ("liver.dcm", None),
]
NAMES = (
    "PatientName",
    "PatientID",
    "PatientBirthDate",
    "AccessionNumber",
    "InstitutionName",
    "ReferringPhysicianName",
    "PerformingPhysicianName",
    "OperatorsName",
    "OtherPatientIDs",
    "InstitutionAddress",
    "StationName",
    "PhysiciansOfRecord",
    "RequestingPhysician",
)
KEPT_UI = ("ClassUID", "TransferSyntaxUID", "CodingSchemeUID")


def all_uids(ds: Dataset) -> set[str]:
    found = {str(elem.value) for elem in ds.file_meta if elem.VR == "UI"} if hasattr(ds, "file_meta") else set()
    for elem in ds.iterall():
        if elem.VR == "UI" and elem.value:
            found.update(map(str, elem.value if elem.VM > 1 else [elem.value]))
    return found


def identifying_values(ds: Dataset) -> tuple[set[str], set[str]]:
    """(text values, instance UIDs) that must not survive."""
    values: set[str] = set()
    uid_values: set[str] = set()

    def visit(item: Dataset) -> None:
        for elem in item:
            if elem.VR == "SQ":
                for child in elem.value:
                    visit(child)
            elif elem.keyword in NAMES and elem.value:
                values.add(str(elem.value).strip())
            elif elem.VR == "UI" and elem.value and not elem.keyword.endswith(KEPT_UI):
                uids = elem.value if isinstance(elem.value, list | pydicom.multival.MultiValue) else [elem.value]
                uid_values.update(str(u) for u in uids if str(u) not in UID_dictionary)

    visit(ds)
    # Values shorter than 4 characters ("O", "---") occur by chance in any file, and a
    # manufacturer's name ("TOSHIBA" as InstitutionName) is legitimately kept elsewhere.
    kept = f"{ds.get('Manufacturer', '')} {ds.get('ManufacturerModelName', '')}"
    return {v for v in values if len(v.strip(" -^")) >= 4 and v not in kept}, uid_values


@pytest.mark.parametrize(("name", "modality"), REAL_FILES)
def test_no_identifying_value_survives(
    real_file: Callable[[str], Path], deid: Deidentifier, name: str, modality: str | None
) -> None:
    ds = pydicom.dcmread(real_file(name), force=True)
    secrets, uids = identifying_values(ds)
    assert secrets or uids, "the reference file must carry something to remove"
    result = deid.deidentify(ds)
    buffer = io.BytesIO()
    ds.save_as(buffer, enforce_file_format=True)
    written = buffer.getvalue()
    leaked = [value for value in secrets if value.encode("latin-1", "replace") in written]
    assert not leaked, f"{name} still carries {leaked}"
    assert not uids & all_uids(pydicom.dcmread(io.BytesIO(written))), "an original UID survived"
    if modality:
        assert result.modality == modality
    assert pydicom.dcmread(io.BytesIO(written)).PatientIdentityRemoved == "YES"


def test_reference_files_do_carry_names(real_file: Callable[[str], Path]) -> None:
    names = {str(pydicom.dcmread(real_file(n)).get("PatientName", "")) for n in ("CT_small.dcm", "rtplan.dcm")}
    assert "CompressedSamples^CT1" in names and "Last^First^mid^pre" in names
