"""Direct Study/Series/Instance rows for media tests, until the import pipeline lands.

One helper so the fixture can later be swapped for the importer: it stores each file in the
ContentStore, builds the series previews with the importer's own step
(importers.series_previews: quarantined instances left out), and inserts rows the way an
import would (remapped UIDs, display order, frame and size columns).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from pathlib import Path

import pydicom
from sqlmodel import Session, select

from content.cases.models import CaseVersion, CaseVersionStudy
from content.imaging.models import Instance, Series, Study
from importers.series_previews import build_previews
from media.store import ContentStore


def _remapped_uid() -> str:
    return f"2.25.{uuid.uuid4().int}"  # a fresh UID per row, as de-identification remaps them


def _int(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[call-overload, no-any-return]
    except (TypeError, ValueError):
        return None


def add_series(
    session: Session,
    store: ContentStore,
    *,
    case_uid: str,
    files: Sequence[Path],
    quarantined: Sequence[int] = (),
    previews: bool = True,
    modality: str = "CT",
) -> tuple[Series, list[Instance]]:
    """One study with one series of `files` (display order) under `case_uid`; commits."""
    study = Study(case_uid=case_uid, study_instance_uid=_remapped_uid(), modality=modality)
    series = Series(
        study_uid=study.uid, series_instance_uid=_remapped_uid(), modality=modality, instance_count=len(files)
    )
    instances = []
    for position, path in enumerate(files):
        header = pydicom.dcmread(path, stop_before_pixels=True, force=True)
        instances.append(
            Instance(
                series_uid=series.uid,
                sop_instance_uid=_remapped_uid(),
                position=position,
                sop_class_uid=str(header.get("SOPClassUID", "1.2.840.10008.5.1.4.1.1.7")),
                instance_number=_int(header.get("InstanceNumber")),
                frames=_int(header.get("NumberOfFrames")) or 1,
                rows=_int(header.get("Rows")),
                columns=_int(header.get("Columns")),
                file_key=store.put_file(path),
                size_bytes=path.stat().st_size,
                quarantined=position in quarantined,
                quarantine_reason="burned-in text suspected" if position in quarantined else None,
            )
        )
    if previews:
        shown = [i.file_key for i in instances if not i.quarantined]
        keys = build_previews(store, shown)
        series.thumbnail_key, series.montage_key, series.cine_key = keys.thumbnail, keys.montage, keys.cine
    session.add(study)
    session.flush()  # parents first: PostgreSQL checks the foreign keys per statement
    session.add(series)
    session.flush()
    session.add_all(instances)
    # Every version of the case shows the study, as migration 0007 records studies that were
    # attached before image sets were versioned.
    versions = session.exec(select(CaseVersion.version).where(CaseVersion.case_uid == case_uid)).all()
    session.add_all(CaseVersionStudy(case_uid=case_uid, version=v, study_uid=study.uid) for v in versions)
    session.commit()
    return series, instances
