"""Synthetic CT series with realistic, identifying headers, for tests and benchmarks.

Every value a real scanner would put there is present (names, IDs, birth date, institution,
physicians, accession number, dates, a vendor private block), so de-identification tests
have something to remove; pixels are an ellipse phantom in Hounsfield units, stored as int16
with RescaleIntercept -1024 like most CT. Deterministic for a given seed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import PYDICOM_ROOT_UID, CTImageStorage, ExplicitVRLittleEndian, generate_uid


@dataclass(frozen=True)
class SynthPatient:
    name: str = "CARTWRIGHT^EVELYN^MAY"
    patient_id: str = "RX4471923"
    issuer: str = "NORTH-TRUST-PAS"
    birth_date: str = "19580214"
    sex: str = "F"


@dataclass(frozen=True)
class SynthStudy:
    patient: SynthPatient = SynthPatient()
    study_date: str = "20240315"
    accession: str = "ACC20240315007"
    institution: str = "St Swithin Royal Infirmary"
    referring: str = "OKONKWO^ADAEZE"
    performing: str = "LINDQVIST^HENRIK"
    operator: str = "PATEL^RAVI"
    description: str = "CT CHEST ABDOMEN PELVIS WITH CONTRAST"
    seed: int = 0


def _uid(study: SynthStudy, *parts: object) -> str:
    # generate_uid with entropy sources is deterministic: same seed, same UIDs.
    return generate_uid(prefix=PYDICOM_ROOT_UID, entropy_srcs=[str(study.seed), str(study.patient), *map(str, parts)])


def phantom(size: int, z: float) -> np.ndarray:
    """HU slice of an elliptical torso at z in [0, 1]: body, lungs in the upper half, spine."""
    y, x = np.mgrid[-1 : 1 : size * 1j, -1 : 1 : size * 1j]
    hu = np.full((size, size), -1000, dtype=np.int16)
    body = (x / 0.85) ** 2 + (y / 0.6) ** 2 <= 1
    hu[body] = 40
    if z > 0.5:  # thorax: lungs shrink towards the diaphragm
        r = 0.15 + 0.2 * (z - 0.5)
        for cx in (-0.38, 0.38):
            hu[((x - cx) / (r * 1.3)) ** 2 + ((y + 0.05) / (r * 1.6)) ** 2 <= 1] = -850
    else:  # abdomen: a liver-like ellipse
        hu[((x + 0.3) / 0.35) ** 2 + ((y + 0.05) / 0.3) ** 2 <= 1] = 60
    hu[(x / 0.09) ** 2 + ((y - 0.42) / 0.09) ** 2 <= 1] = 700  # vertebral body
    return hu


def synth_ct_series(
    n_slices: int = 30, size: int = 64, *, study: SynthStudy | None = None, thickness: float = 1.25
) -> Iterator[Dataset]:
    """Yield n_slices CT datasets of size x size, feet-first ordered positions, file meta set."""
    study = study or SynthStudy()
    p = study.patient
    study_uid, series_uid, frame_uid = (_uid(study, kind) for kind in ("study", "series", "frame"))
    spacing = 350.0 / size
    for index in range(n_slices):
        ds = Dataset()
        ds.file_meta = FileMetaDataset()
        ds.file_meta.MediaStorageSOPClassUID = CTImageStorage
        ds.file_meta.MediaStorageSOPInstanceUID = sop_uid = _uid(study, "sop", index)  # type: ignore[assignment]
        ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds.file_meta.SourceApplicationEntityTitle = "SSRI_CT01"
        ds.SpecificCharacterSet = "ISO_IR 100"
        ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"]
        ds.SOPClassUID, ds.SOPInstanceUID = CTImageStorage, sop_uid
        ds.StudyDate = ds.SeriesDate = ds.AcquisitionDate = ds.ContentDate = study.study_date
        ds.StudyTime, ds.SeriesTime = "101502", "101733"
        ds.AcquisitionTime = ds.ContentTime = f"1018{index % 60:02d}"
        ds.AccessionNumber = study.accession
        ds.Modality, ds.Manufacturer = "CT", "Synthetic Medical Systems"
        ds.InstitutionName = study.institution
        ds.InstitutionAddress = "1 Infirmary Street, Leeds LS1 3EX"
        ds.ReferringPhysicianName = study.referring
        ds.StationName, ds.DeviceSerialNumber = "SSRI-CT-01", "SN889201"
        ds.StudyDescription = study.description
        ds.SeriesDescription = "AXIAL 1.25mm SOFT TISSUE"
        ds.PerformingPhysicianName = study.performing
        ds.OperatorsName = study.operator
        ds.ManufacturerModelName = "Synth 128"
        ds.PatientName, ds.PatientID, ds.IssuerOfPatientID = p.name, p.patient_id, p.issuer
        ds.PatientBirthDate, ds.PatientSex = p.birth_date, p.sex
        ds.PatientAge = f"{int(study.study_date[:4]) - int(p.birth_date[:4]):03d}Y"
        ds.PatientAddress = "14 Acacia Avenue, Leeds LS6 2AB"
        ds.BodyPartExamined = "CHEST"
        ds.SliceThickness = f"{thickness:g}"
        ds.KVP, ds.ProtocolName = "120", "CAP PORTAL VENOUS"
        ds.PatientPosition = "FFS"
        ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.FrameOfReferenceUID = study_uid, series_uid, frame_uid
        ds.StudyID, ds.SeriesNumber, ds.InstanceNumber = "4471", 3, index + 1
        ds.ImagePositionPatient = [-175.0, -175.0, round(-index * thickness, 4)]
        ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
        ds.SliceLocation = round(-index * thickness, 4)
        ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
        ds.Rows = ds.Columns = size
        ds.PixelSpacing = [f"{spacing:.6g}", f"{spacing:.6g}"]
        ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 1
        ds.WindowCenter, ds.WindowWidth = "40", "400"
        ds.RescaleIntercept, ds.RescaleSlope, ds.RescaleType = "-1024", "1", "HU"
        block = ds.private_block(0x0029, "SYNTH MEDICAL 1.0", create=True)
        block.add_new(0x10, "LO", f"{p.name} {p.patient_id}")  # vendors do copy PHI here
        stored = phantom(size, 1 - index / max(n_slices - 1, 1)) + 1024
        ds.PixelData = stored.astype("<i2").tobytes()
        yield ds


def write_series(datasets: Iterator[Dataset] | list[Dataset], folder: Path) -> list[Path]:
    """Write each dataset as a Part 10 file named by a hash of its UID, so names carry no order."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for ds in datasets:
        path = folder / f"{hashlib.sha1(ds.SOPInstanceUID.encode()).hexdigest()[:16]}.dcm"
        ds.save_as(path, enforce_file_format=True)
        paths.append(path)
    return paths
