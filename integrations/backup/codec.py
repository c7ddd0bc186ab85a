"""Type-faithful JSON for table rows: each column's SQL type decides how its values travel.

JSON has no datetimes, dates or bytes, and a value read back from text must become the same
Python value on either backend, so the column type (not the value) picks the encoding: a
datetime is ISO 8601 in UTC with its offset, a date ISO 8601, bytes base64, a decimal a string.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator

Kind = str  # "json", "datetime", "date", "bytes", "decimal", "bool", "plain"


def column_kind(column: sa.Column[Any]) -> Kind:
    kind = column.type
    if isinstance(kind, TypeDecorator):  # e.g. content.base.UTCDateTime: its storage type decides
        kind = kind.impl_instance
    if isinstance(kind, sa.JSON):
        return "json"
    if isinstance(kind, sa.DateTime):
        return "datetime"
    if isinstance(kind, sa.Date):
        return "date"
    if isinstance(kind, sa.LargeBinary):
        return "bytes"
    if isinstance(kind, sa.Numeric) and not isinstance(kind, sa.Float):
        return "decimal"
    if isinstance(kind, sa.Boolean):
        return "bool"
    return "plain"


def _utc(value: datetime) -> datetime:
    # A naive value can only come from a column without a time zone; the repository stores UTC.
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


_ENCODE: dict[Kind, Callable[[Any], Any]] = {
    "datetime": lambda v: _utc(v).isoformat(),
    "date": lambda v: v.isoformat(),
    "bytes": lambda v: base64.b64encode(bytes(v)).decode("ascii"),
    "decimal": str,
    "bool": bool,
}
_DECODE: dict[Kind, Callable[[Any], Any]] = {
    "datetime": lambda v: _utc(datetime.fromisoformat(v)),
    "date": date.fromisoformat,
    "bytes": base64.b64decode,
    "decimal": Decimal,
    "bool": bool,
}


def encode_row(row: Mapping[Any, Any], kinds: Mapping[str, Kind]) -> str:
    """One JSON line; keys sorted so the same row always gives the same bytes (and hash)."""
    out = {}
    for name, kind in kinds.items():
        value = row[name]
        out[name] = value if value is None or kind not in _ENCODE else _ENCODE[kind](value)
    return json.dumps(out, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def decode_row(line: str, kinds: Mapping[str, Kind]) -> dict[str, Any]:
    raw = json.loads(line)
    if not isinstance(raw, dict) or set(raw) != set(kinds):
        raise ValueError("the row's columns differ from the table's")
    return {
        name: (value if value is None or kinds[name] not in _DECODE else _DECODE[kinds[name]](value))
        for name, value in raw.items()
    }


def table_kinds(table: sa.Table) -> dict[str, Kind]:
    return {column.name: column_kind(column) for column in table.columns}
