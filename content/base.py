"""Shared column helpers for content tables: ids, time stamps and the Dublin Core basics."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC (the only clock rows are stamped with)."""
    return datetime.now(UTC)


def new_uid() -> str:
    """A new random 32-hex-digit uid for a row."""
    return uuid.uuid4().hex


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware datetimes on both backends; SQLite would otherwise hand back naive values."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        """Refuse a naive datetime on the way into the database."""
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime stored; use content.base.utcnow()")
        return value

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        """Read a stored datetime back as UTC (SQLite drops the zone)."""
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


def dt_column(*, nullable: bool = False, index: bool = False) -> sa.Column[datetime]:
    """A UTC datetime column (UTCDateTime), for SQLModel fields' `sa_column`."""
    return sa.Column(UTCDateTime(), nullable=nullable, index=index)


_SLUG_STRIP = re.compile(r"[^a-z0-9]+")


def slugify(title: str) -> str:
    """A title as a lower-case path segment of letters, digits and dashes (at most 80; `item` if empty)."""
    slug = _SLUG_STRIP.sub("-", title.lower()).strip("-")
    return slug[:80] or "item"
