"""A small archive for partner tests, built through the public services (and the docs test's server).

    /north              Northern School reads it (and /york); Hull School reads /hull
      north-retired     validated, then retired
      north-draft       never submitted
      north-revised     validated, then edited: a DRAFT working copy over a published version
      /north/leeds
        leeds-stroke    validated (CT, NEURO.STROKE.ISCHAEMIC)
    /york
      york-ptx          validated (CR, CHEST.PLEURA.PNEUMOTHORAX)
    /hull
      hull-bleed        validated (CT, NEURO.STROKE.HAEMORRHAGIC)

Every case has one study with one series, one real DICOM instance and a WebP thumbnail.
Cases are written by a trainer and validated by a validator (four eyes), as in life.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pydicom
from PIL import Image
from sqlmodel import Session, select

from content.cases.service import create_case, update_case
from content.cases.transitions import transition
from content.imaging.models import Series
from content.imaging.service import NewInstance, NewSeries, NewStudy, attach_study
from content.partners.models import PartnerCreate
from content.partners.service import create_partner, create_partner_token
from content.principal import SYSTEM, Principal
from content.users.service import add_user, principal_for
from media.store import ContentStore
from tests.content import factories as f

PYDICOM = Path(pydicom.__file__).parent / "data" / "test_files"

CASES: dict[str, dict[str, Any]] = {
    "leeds-stroke": {
        "where": "leeds",
        "state": "VALIDATED",
        "modality": "CT",
        "file": "CT_small.dcm",
        "fields": {
            "title": "Left MCA infarct",
            "curriculum_codes": ["NEURO.STROKE.ISCHAEMIC"],
            "modalities": ["CT"],
            "difficulty": "FOUNDATION",
            "findings": "Hyperdense left MCA; loss of insular ribbon.",
        },
    },
    "york-ptx": {
        "where": "york",
        "state": "VALIDATED",
        "modality": "CR",
        "file": "CT_small.dcm",
        "fields": {
            "title": "Tension pneumothorax",
            "curriculum_codes": ["CHEST.PLEURA.PNEUMOTHORAX"],
            "modalities": ["CR"],
            "difficulty": "INTERMEDIATE",
        },
    },
    "north-retired": {
        "where": "north",
        "state": "RETIRED",
        "modality": "CT",
        "file": "CT_small.dcm",
        "fields": {
            "title": "Old haemorrhage teaching file",
            "curriculum_codes": ["NEURO.STROKE.HAEMORRHAGIC"],
            "modalities": ["CT"],
        },
    },
    "north-draft": {
        "where": "north",
        "state": "DRAFT",
        "modality": "CT",
        "file": "CT_small.dcm",
        "fields": {
            "title": "Unfinished stroke case",
            "curriculum_codes": ["NEURO.STROKE.ISCHAEMIC"],
            "modalities": ["CT"],
        },
    },
    "north-revised": {
        "where": "north",
        "state": "REVISED",
        "modality": "CT",
        "file": "CT_small.dcm",
        "fields": {
            "title": "Basilar artery thrombosis",
            "curriculum_codes": ["NEURO.STROKE.ISCHAEMIC"],
            "modalities": ["CT"],
        },
    },
    "hull-bleed": {
        "where": "hull",
        "state": "VALIDATED",
        "modality": "CT",
        "file": "CT_small.dcm",
        "fields": {
            "title": "Lobar haemorrhage",
            "curriculum_codes": ["NEURO.STROKE.HAEMORRHAGIC"],
            "modalities": ["CT"],
        },
    },
}
NORTHERN, HULL = "Northern School", "Hull School"


@dataclass
class World:
    collections: dict[str, str] = field(default_factory=dict)  # name -> uid
    cases: dict[str, str] = field(default_factory=dict)  # key -> case uid
    series: dict[str, str] = field(default_factory=dict)  # case key -> series uid
    studies: dict[str, str] = field(default_factory=dict)  # case key -> StudyInstanceUID
    partners: dict[str, str] = field(default_factory=dict)  # name -> partner uid
    tokens: dict[str, str] = field(default_factory=dict)  # partner name -> API token
    people: dict[str, Principal] = field(default_factory=dict)


def _uid() -> str:
    return f"2.25.{uuid.uuid4().int}"


def thumbnail_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("L", (8, 8), 128).save(out, format="WEBP")
    return out.getvalue()


def _study(store: ContentStore, name: str, modality: str) -> NewStudy:
    study_uid, series_uid, sop = _uid(), _uid(), _uid()
    ds = pydicom.dcmread(PYDICOM / name)
    ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.SOPInstanceUID = study_uid, series_uid, sop
    ds.file_meta.MediaStorageSOPInstanceUID = pydicom.uid.UID(sop)
    ds.StudyDate = "20200304"
    buffer = io.BytesIO()
    ds.save_as(buffer, enforce_file_format=True)
    data = buffer.getvalue()
    instance = NewInstance(
        sop_instance_uid=sop,
        sop_class_uid=str(ds.SOPClassUID),
        file_key=store.put(data),
        size_bytes=len(data),
        position=0,
        instance_number=1,
        rows=int(ds.Rows),
        columns=int(ds.Columns),
    )
    series = NewSeries(
        series_instance_uid=series_uid,
        modality=modality,
        series_number=1,
        description="Axial",
        body_part="HEAD",
        thumbnail_key=store.put(thumbnail_bytes()),
        instances=[instance],
    )
    return NewStudy(
        study_instance_uid=study_uid,
        description="Teaching study",
        modality=modality,
        study_date=date(2020, 3, 4),
        series=[series],
    )


def seed(session: Session, store: ContentStore) -> World:
    world = World()
    f.curriculum(session)
    for name, role, display in (
        ("author", "trainer", "Dr Ann Author"),
        ("checker", "validator", "Dr Val Checker"),
        ("admin", "administrator", "Ada Admin"),
    ):
        user = add_user(name, roles=[role], password=None, display_name=display, session=session, principal=SYSTEM)
        world.people[name] = principal_for(user, session=session)
    author, checker = world.people["author"], world.people["checker"]
    north = f.collection(session, "North")
    world.collections = {
        "north": north,
        "leeds": f.collection(session, "Leeds", parent=north),
        "york": f.collection(session, "York"),
        "hull": f.collection(session, "Hull"),
    }
    for key, spec in CASES.items():
        case = create_case(
            collection_uid=world.collections[spec["where"]],
            fields=dict(spec["fields"]),
            session=session,
            principal=author,
            commit=False,
        )
        study = attach_study(_study(store, spec["file"], spec["modality"]), case=case, session=session)
        session.commit()
        world.cases[key] = case.uid
        world.studies[key] = study.study_instance_uid
        series = session.exec(select(Series).where(Series.study_uid == study.uid)).first()
        assert series is not None
        world.series[key] = series.uid
        if spec["state"] == "DRAFT":
            continue
        transition(case.uid, "SUBMIT", session=session, principal=author)
        transition(case.uid, "VALIDATE", session=session, principal=checker)
        if spec["state"] == "RETIRED":
            transition(case.uid, "RETIRE", session=session, principal=checker)
        if spec["state"] == "REVISED":
            update_case(
                case.uid,
                expected_version=3,
                changes={"title": "Basilar thrombosis (draft rewrite)"},
                session=session,
                principal=author,
            )
    c = world.collections
    for name, reads, retired in ((NORTHERN, [c["north"], c["york"]], False), (HULL, [c["hull"]], True)):
        partner = create_partner(
            PartnerCreate(
                name=name,
                contact=f"pacs@{name.split()[0].lower()}.example",
                may_see_retired=retired,
                collection_uids=reads,
            ),
            session=session,
            principal=SYSTEM,
        )
        world.partners[name] = partner.uid
        world.tokens[name], _ = create_partner_token(partner.uid, f"{name} PACS", session=session, principal=SYSTEM)
    return world
