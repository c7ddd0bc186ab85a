"""Collection: a nestable container (a contributing trust or a theme) addressed by its path."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from content.base import dt_column, new_uid, utcnow

DEFAULT_LICENCE = "CC-BY-NC-4.0"


class Collection(SQLModel, table=True):
    """A folder of cases (and of collections), where permissions and local roles are granted."""

    __tablename__ = "collection"

    uid: str = Field(default_factory=new_uid, primary_key=True, max_length=32)
    parent_uid: str | None = Field(default=None, foreign_key="collection.uid", index=True)
    slug: str = Field(max_length=80)
    path: str = Field(unique=True, max_length=1000)
    title: str = Field(max_length=300)
    description: str = ""
    licence: str = Field(default=DEFAULT_LICENCE, max_length=100)
    creator_id: str | None = Field(default=None, foreign_key="user.uid")
    created: datetime = Field(default_factory=utcnow, sa_column=dt_column())
    modified: datetime = Field(default_factory=utcnow, sa_column=dt_column())
