"""Case: a teaching case's working copy, its immutable versions, and its search terms."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from content.base import dt_column, new_uid, utcnow

# The fields a version snapshots; order is the order of a diff.
CONTENT_FIELDS = (
    "title",
    "clinical_history",
    "findings",
    "diagnosis",
    "differential_diagnoses",
    "discussion",
    "teaching_points",
    "difficulty",
    "patient_age_band",
    "patient_sex",
    "modalities",
    "body_regions",
    "curriculum_codes",
    "tags",
    "key_images",
    "annotations",
    "licence",
)
# List fields whose order carries no meaning: diffs compare them as sets.
SET_FIELDS = frozenset({"modalities", "body_regions", "curriculum_codes", "tags", "key_images"})


def _json_list() -> Any:
    return sa.Column(sa.JSON, nullable=False)


class Case(SQLModel, table=True):
    """A teaching case: its working copy, workflow state and published version."""

    __tablename__ = "case"

    uid: str = Field(default_factory=new_uid, primary_key=True, max_length=32)
    collection_uid: str = Field(foreign_key="collection.uid", index=True)
    slug: str = Field(max_length=80)
    path: str = Field(unique=True, max_length=1000)
    title: str = Field(max_length=300)
    clinical_history: str = ""
    findings: str = ""
    diagnosis: str = ""
    differential_diagnoses: list[str] = Field(default_factory=list, sa_column=_json_list())
    discussion: str = ""
    teaching_points: str = ""
    difficulty: str | None = Field(default=None, max_length=20)
    patient_age_band: str | None = Field(default=None, max_length=10)
    patient_sex: str | None = Field(default=None, max_length=1)
    modalities: list[str] = Field(default_factory=list, sa_column=_json_list())
    body_regions: list[str] = Field(default_factory=list, sa_column=_json_list())
    curriculum_codes: list[str] = Field(default_factory=list, sa_column=_json_list())
    tags: list[str] = Field(default_factory=list, sa_column=_json_list())
    key_images: list[str] = Field(default_factory=list, sa_column=_json_list())
    # Arrows, ellipses and measurements on the case's images (content.annotations): answer content.
    annotations: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False, server_default="[]")
    )
    licence: str = Field(max_length=100)
    state: str = Field(default="DRAFT", max_length=20, index=True)
    version: int = 1
    published_version: int | None = None
    creator_id: str | None = Field(default=None, foreign_key="user.uid", index=True)
    created: datetime = Field(default_factory=utcnow, sa_column=dt_column(index=True))
    modified: datetime = Field(default_factory=utcnow, sa_column=dt_column())

    def snapshot(self) -> dict[str, Any]:
        """A copy of the case's content fields, as a version stores them."""
        return {name: _copy(getattr(self, name)) for name in CONTENT_FIELDS}


def _copy(value: Any) -> Any:
    return list(value) if isinstance(value, list) else value


class CaseVersion(SQLModel, table=True):
    """One saved edit: a full, immutable snapshot of the case's content."""

    __tablename__ = "case_version"
    __table_args__ = (sa.UniqueConstraint("case_uid", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    case_uid: str = Field(foreign_key="case.uid", index=True)
    version: int
    state: str = Field(max_length=20)
    author_uid: str | None = Field(default=None, foreign_key="user.uid")
    created: datetime = Field(default_factory=utcnow, sa_column=dt_column())
    comment: str = ""
    changed_fields: list[str] = Field(default_factory=list, sa_column=_json_list())
    data: dict[str, Any] = Field(default_factory=dict, sa_column=sa.Column(sa.JSON, nullable=False))
    validator_uid: str | None = Field(default=None, foreign_key="user.uid")


class CaseTerm(SQLModel, table=True):
    """A filterable value of a case's working copy (curriculum code, modality, region, tag).

    The JSON lists on Case are the content; these rows exist so SQL can filter and join on them.
    """

    __tablename__ = "case_term"
    __table_args__ = (sa.Index("ix_case_term_kind_value", "kind", "value"),)

    case_uid: str = Field(foreign_key="case.uid", primary_key=True)
    kind: str = Field(primary_key=True, max_length=20)
    value: str = Field(primary_key=True, max_length=200)


class CaseVersionStudy(SQLModel, table=True):
    """One study of one version's image set.

    Study rows are shared by every version that shows them; a version's image set is these
    rows, so detaching a study from a working copy leaves the published version's set intact.
    """

    __tablename__ = "case_version_study"

    case_uid: str = Field(foreign_key="case.uid", primary_key=True, max_length=32)
    version: int = Field(primary_key=True)
    study_uid: str = Field(foreign_key="study.uid", primary_key=True, index=True, max_length=32)
