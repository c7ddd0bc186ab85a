"""The DICOM hierarchy under a case (Study → Series → Instance), all with remapped UIDs."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from content.base import dt_column, new_uid, utcnow


class Study(SQLModel, table=True):
    """A DICOM study attached to a case."""

    __tablename__ = "study"

    uid: str = Field(default_factory=new_uid, primary_key=True, max_length=32)
    case_uid: str = Field(foreign_key="case.uid", index=True)
    study_instance_uid: str = Field(unique=True, max_length=64)  # de-identified (remapped)
    description: str = ""
    modality: str | None = Field(default=None, max_length=16)
    study_date: date | None = None  # shifted
    created: datetime = Field(default_factory=utcnow, sa_column=dt_column())


class Series(SQLModel, table=True):
    """A DICOM series of a study."""

    __tablename__ = "series"

    uid: str = Field(default_factory=new_uid, primary_key=True, max_length=32)
    study_uid: str = Field(foreign_key="study.uid", index=True)
    series_instance_uid: str = Field(unique=True, max_length=64)
    description: str = ""
    modality: str | None = Field(default=None, max_length=16)
    body_part: str | None = Field(default=None, max_length=64)
    series_number: int | None = None
    instance_count: int = 0
    thumbnail_key: str | None = Field(default=None, max_length=64)
    montage_key: str | None = Field(default=None, max_length=64)
    cine_key: str | None = Field(default=None, max_length=64)


class Instance(SQLModel, table=True):
    """A DICOM instance (one stored file) of a series; quarantined ones are never served."""

    __tablename__ = "instance"

    uid: str = Field(default_factory=new_uid, primary_key=True, max_length=32)
    series_uid: str = Field(foreign_key="series.uid", index=True)
    sop_instance_uid: str = Field(unique=True, max_length=64)
    sop_class_uid: str = Field(max_length=64)
    instance_number: int | None = None
    position: int = 0  # display order within the series (geometry, then InstanceNumber)
    frames: int = 1
    rows: int | None = None
    columns: int | None = None
    file_key: str = Field(max_length=64)  # content address of the de-identified original
    size_bytes: int = 0
    # Possible burned-in text: hidden from trainees and blocks SUBMIT until a person releases it.
    quarantined: bool = False
    quarantine_reason: str | None = Field(default=None, max_length=200)
    # Rectangles where OCR read text ({x, y, width, height} in stored pixels): proposals for the
    # reviewer, never the words themselves (they may be a patient's name).
    proposed_regions: list[dict[str, int]] = Field(
        default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False, server_default="[]")
    )
