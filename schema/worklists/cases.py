"""A case as an assignment asked it: the pinned version, with the answer withheld until reported."""

from __future__ import annotations

from typing import Any

from content.cases.models import Case as CaseRow
from content.cases.visibility import case_view
from schema.context import Context
from schema.types import Case


def blinded(ctx: Context) -> frozenset[str]:
    """The caller's blind cases, computed once per request."""
    return ctx.blinded_cases()


def pinned_case(row: CaseRow, version: int, *, blind: bool, label: str, ctx: Context) -> Case | None:
    """The pinned version for its assignee. Blind: answer fields are null and the title is `label`
    ("Case 2 of Chest list"), whatever else the caller could see of the case."""
    def snapshot(v: int) -> dict[str, Any] | None:
        snap = ctx.loaders.versions.get((row.uid, v))
        return dict(snap.data) if snap is not None else None

    view = case_view(row, ctx.principal, blind_label=label if blind else None, snapshot=snapshot, pinned=version)
    return Case.from_view(row, view) if view is not None else None
