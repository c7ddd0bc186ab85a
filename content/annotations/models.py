"""The DICOM objects a published version's annotations were exported as (one per study), served by DICOMweb."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from content.base import dt_column, utcnow


class AnnotationExport(SQLModel, table=True):
    """One exported object: a Structured Report of one case version's annotations on one study.

    Not an instance of the image set: it is derived content, shown over DICOMweb beside the
    study's images only to those who may see the published version's answer.
    """

    __tablename__ = "annotation_export"

    case_uid: str = Field(foreign_key="case.uid", primary_key=True, max_length=32)
    version: int = Field(primary_key=True)
    study_uid: str = Field(foreign_key="study.uid", primary_key=True, max_length=32)
    series_instance_uid: str = Field(max_length=64)
    sop_instance_uid: str = Field(unique=True, max_length=64)
    sop_class_uid: str = Field(max_length=64)
    description: str = Field(default="", max_length=64)
    file_key: str = Field(max_length=64)  # content address of the object's bytes in the media store
    created: datetime = Field(default_factory=utcnow, sa_column=dt_column())
