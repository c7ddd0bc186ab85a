"""Rows by primary uid, for the edges' batch loaders and pages: the one place a list of uids becomes rows.

The caller already holds uids it may use (a page the services returned, the relations of rows it
may see); this does no permission check of its own, as `session.get` does none.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from sqlmodel import Session, col, select

T = TypeVar("T")


def by_uid(model: type[T], uids: Iterable[str], *, session: Session) -> dict[str, T]:
    """The `model` rows with these uids, by uid (unknown ones are left out); one query."""
    wanted = sorted(set(uids))
    if not wanted:
        return {}
    column: Any = model.uid  # type: ignore[attr-defined]  # every model passed has a uid key
    rows: Iterable[Any] = session.exec(select(model).where(col(column).in_(wanted)))
    return {r.uid: r for r in rows}
