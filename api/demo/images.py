"""DICOM images for the demo cases: real samples from the installed pydicom-data package and pydicom's
own test files, and synthetic cross-sectional series (api.demo.phantoms) for scrolling and measuring.

Files are found on disk through the packages (never fetched: there is no network in a demo).
A public sample can illustrate several demo cases; each case gets its own copy with UIDs derived
from (original UID, case slug), so the archive's one-study-once rule still holds, and the copy
then goes through the ordinary import (de-identification included) into the existing case.
"""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path

import pydicom
from pydicom.dataset import Dataset
from pydicom.uid import generate_uid
from sqlmodel import Session

from api.demo import phantoms
from content.cases.models import Case
from content.imaging.quarantine import Action, Region
from content.imaging.service import quarantined_instances
from content.principal import SYSTEM
from importers.pipeline import ImportTarget, import_sources
from importers.quarantine import review
from importers.sources import SourceFile
from importers.summary import ImportSummary
from media.store import ContentStore

# (image kind in cases.yaml, body region) → sample file; (kind, None) is the kind's default.
SAMPLES: dict[tuple[str, str | None], str] = {
    ("ct", "HEAD"): "693_UNCI.dcm",  # CQ500 head CT, 512 x 512
    ("ct", "CHEST"): "CT_small.dcm",
    ("ct", None): "explicit_VR-UN.dcm",  # abdominal CT (pancreas)
    ("mr", "HEAD"): "emri_small.dcm",  # 10-frame brain MR
    ("mr", None): "MR-SIEMENS-DICOM-WithOverlays.dcm",
    ("cr", "EXTREMITY"): "RG3_UNCI.dcm",
    ("cr", None): "RG1_UNCI.dcm",  # chest radiograph
    ("us", None): "US1_UNCI.dcm",
}
UID_KEYWORDS = ("StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID", "FrameOfReferenceUID")


def sample_folders() -> list[Path]:
    folders = [Path(pydicom.__file__).parent / "data" / "test_files"]
    spec = importlib.util.find_spec("data_store")  # the pydicom-data package
    if spec is not None and spec.origin is not None:
        folders.insert(0, Path(spec.origin).parent / "data")
    return folders


def sample_for(kind: str, regions: list[str]) -> Path | None:
    name = next((SAMPLES[(kind, r)] for r in regions if (kind, r) in SAMPLES), SAMPLES.get((kind, None)))
    if name is None:
        return None
    return next((folder / name for folder in sample_folders() if (folder / name).is_file()), None)


def _copy_for(path: Path, slug: str) -> SourceFile:
    ds = pydicom.dcmread(path)
    for keyword in UID_KEYWORDS:
        if keyword in ds:
            setattr(ds, keyword, generate_uid(entropy_srcs=[str(ds.get(keyword)), slug]))
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    buffer = io.BytesIO()
    ds.save_as(buffer, enforce_file_format=True)
    data = buffer.getvalue()
    return SourceFile(f"{path.name} (demo copy for {slug})", len(data), lambda: io.BytesIO(data))


def _import(
    case: Case, sources: list[SourceFile], *, session: Session, store: ContentStore, secret: bytes
) -> ImportSummary:
    """The ordinary import (de-identification included), then the end of its quarantine: the text
    OCR found (the ultrasound sample's hospital name and clock) is blanked, and an image without
    any is released."""
    summary = import_sources(
        sources,
        target=ImportTarget(case.collection_uid, case.uid),
        session=session,
        principal=SYSTEM,
        store=store,
        secret=secret,
        workers=1,
    )
    for instance in quarantined_instances(case.uid, session=session):
        regions = tuple(Region(**r) for r in instance.proposed_regions or [])
        review(
            instance.uid,
            Action.REDACT if regions else Action.RELEASE,
            regions,
            comment="demo sample: the text OCR found is blanked",
            session=session,
            principal=SYSTEM,
            store=store,
        )
    return summary


def attach_images(case: Case, kind: str, *, session: Session, store: ContentStore, secret: bytes) -> ImportSummary:
    """Import the case's public sample image."""
    path = sample_for(kind, case.body_regions)
    if path is None:
        return ImportSummary()
    return _import(case, [_copy_for(path, case.slug)], session=session, store=store, secret=secret)


def _phantom_file(ds: Dataset, name: str) -> SourceFile:
    buffer = io.BytesIO()
    ds.save_as(buffer, enforce_file_format=True)
    data = buffer.getvalue()
    return SourceFile(f"{name} slice {ds.InstanceNumber}", len(data), lambda: io.BytesIO(data))


def attach_volume(case: Case, name: str, *, session: Session, store: ContentStore, secret: bytes) -> ImportSummary:
    """Import a synthetic cross-sectional series (api.demo.phantoms) as a second study of the case."""
    volume = phantoms.VOLUMES[name]
    sources = [_phantom_file(ds, name) for ds in phantoms.series(volume, seed=case.slug)]
    return _import(case, sources, session=session, store=store, secret=secret)
