"""Finding DICOM in folders, zips and DICOMDIRs; every other file reported with a reason."""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from content.errors import DomainError, ErrorCode
from importers.reading import Header, read_instance, scan
from importers.sources import Skipped, SourceFile, ZipLimits, iter_sources


def by_name(results: list[Header | Skipped]) -> dict[str, Header | Skipped]:
    return {(r.source.label if isinstance(r, Header) else r.label).rsplit("/", 1)[-1]: r for r in results}


def test_folder_nested_text_and_truncated(tmp_path: Path, real_file: Callable[[str], Path]) -> None:
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    shutil.copy(real_file("CT_small.dcm"), nested / "ct.dcm")
    shutil.copy(real_file("MR_truncated.dcm"), tmp_path / "cut.dcm")
    shutil.copy(real_file("ExplVR_LitEndNoMeta.dcm"), tmp_path / "nopreamble")
    (tmp_path / "notes.txt").write_text("Patient notes, not DICOM\n" * 20)
    found = by_name(list(scan([tmp_path])))
    assert isinstance(found["ct.dcm"], Header) and found["ct.dcm"].dataset.Modality == "CT"
    assert "PixelData" not in found["ct.dcm"].dataset  # headers only
    assert isinstance(found["nopreamble"], Header)  # accepted: force read yields a SOP UID
    text = found["notes.txt"]
    assert isinstance(text, Skipped) and "not DICOM" in text.reason
    cut = found["cut.dcm"]
    assert isinstance(cut, Skipped) and "truncated" in cut.reason


def test_truncated_instance_refused_on_full_read(real_file: Callable[[str], Path]) -> None:
    path = real_file("MR_truncated.dcm")
    source = SourceFile(str(path), path.stat().st_size, lambda: path.open("rb"))
    with pytest.raises(DomainError) as caught:
        read_instance(source)
    assert caught.value.code is ErrorCode.UNDECODABLE and "truncated" in caught.value.message


def test_zip_members_traversal_and_bomb(tmp_path: Path, real_file: Callable[[str], Path]) -> None:
    archive = tmp_path / "upload.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(real_file("CT_small.dcm"), "study/ct.dcm")
        zf.write(real_file("MR_small.dcm"), "../escape.dcm")
        zf.writestr("readme.txt", "hello")
        zf.writestr("bomb.bin", b"\0" * (4 << 20))
    results = list(iter_sources([archive], limits=ZipLimits(max_ratio=100)))
    labels = {r.label.rsplit("!", 1)[-1]: r for r in results}
    assert isinstance(labels["study/ct.dcm"], SourceFile)
    assert labels["study/ct.dcm"].open().read(132)[128:] == b"DICM"
    assert isinstance(labels["../escape.dcm"], Skipped) and "unsafe" in labels["../escape.dcm"].reason
    assert isinstance(labels["readme.txt"], Skipped) and "not DICOM" in labels["readme.txt"].reason
    assert isinstance(labels["bomb.bin"], Skipped) and "ratio" in labels["bomb.bin"].reason
    assert not (tmp_path / "study").exists()  # nothing extracted to disk


def test_zip_member_size_cap(tmp_path: Path, real_file: Callable[[str], Path]) -> None:
    archive = tmp_path / "big.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(real_file("CT_small.dcm"), "ct.dcm")
    [result] = iter_sources([archive], limits=ZipLimits(max_member_bytes=1000))
    assert isinstance(result, Skipped) and "larger than" in result.reason


def test_dicomdir_records_are_followed(pydicom_files: Path) -> None:
    dicomdir = pydicom_files / "dicomdirtests" / "DICOMDIR"
    found = list(scan([dicomdir]))
    headers = [r for r in found if isinstance(r, Header)]
    assert len(headers) >= 3
    assert all("dicomdirtests" in h.source.label and "DICOMDIR" not in h.source.label for h in headers)
    patients = {str(h.dataset.PatientID) for h in headers}
    assert {"77654033", "98890234"} & patients


def test_dicomdir_and_folder_walk_do_not_duplicate(pydicom_files: Path) -> None:
    folder = pydicom_files / "dicomdirtests"
    labels = [r.source.label for r in scan([folder]) if isinstance(r, Header)]
    assert len(labels) == len(set(labels)) > 3


def test_missing_path_is_reported(tmp_path: Path) -> None:
    [result] = iter_sources([tmp_path / "nope"])
    assert isinstance(result, Skipped) and result.reason == "no such file or folder"
