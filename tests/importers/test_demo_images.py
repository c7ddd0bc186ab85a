"""`lightbox demo` seeds its cases with real images from pydicom-data and pydicom's test files."""

from __future__ import annotations

from pathlib import Path

import pydicom
from sqlmodel import select

from api.db import SessionFactory
from api.demo.images import SAMPLES, sample_for
from api.demo.seed import seed
from api.settings import Settings
from content.audit import AuditEvent
from content.cases.models import Case
from content.imaging.models import Instance, Series, Study
from media.store import ContentStore
from tests.importers.importing import settings_with_media


def test_every_sample_is_installed() -> None:
    for kind, region in SAMPLES:
        path = sample_for(kind, [region] if region else [])
        assert path is not None and path.is_file(), (kind, region)


def test_demo_cases_get_real_images(sessions: SessionFactory, settings: Settings, tmp_path: Path) -> None:
    local = settings_with_media(settings, tmp_path / "data")
    with sessions.scope() as session:
        lines = list(seed(session, settings=local))
    # 14 samples, and the two phantom volumes: a 300-slice CT and a 120-slice MR.
    assert any(line.endswith("with 434 DICOM images") for line in lines), lines
    with sessions.scope() as session:
        studies = session.exec(select(Study)).all()
        cases = {c.uid: c for c in session.exec(select(Case))}
        assert len(studies) == 16 and len({s.case_uid for s in studies}) == 14
        modalities = {s.modality for s in studies}
        assert {"CT", "MR", "CR", "US"} <= modalities
        assert not [i for i in session.exec(select(Instance)) if i.quarantined]  # demo samples are reviewed
        # The ultrasound sample's burned-in hospital name and clock, found by OCR, are blanked.
        redacted = [e for e in session.exec(select(AuditEvent)) if e.action == "instance.redact"]
        assert redacted and all(e.detail["regions"] for e in redacted)
        assert all(s.thumbnail_key for s in session.exec(select(Series)))
        for study in studies:  # each image sits in a case of its own kind
            assert study.modality in cases[study.case_uid].modalities
    with sessions.scope() as session:
        counts = sorted(
            len(session.exec(select(Instance).where(Instance.series_uid == s.uid)).all())
            for s in session.exec(select(Series))
        )
        assert counts[-2:] == [120, 300]
        # Imported like any upload: de-identified, the phantom's made-up name and ID replaced.
        store = ContentStore(local.media_dir)
        for instance in session.exec(select(Instance)).all()[::37]:
            ds = pydicom.dcmread(store.path_for(instance.file_key), stop_before_pixels=True)
            assert "PHANTOM-001" not in str(ds.get("PatientID", "")) and "DEMO" not in str(ds.get("PatientName", ""))
