"""A case as an assignment asked it: the pinned version, with the answer withheld until reported."""

from __future__ import annotations

from typing import Any

import strawberry

from content.cases.fields import Difficulty as DifficultyLevel
from content.cases.models import Case as CaseRow
from content.workflow import State
from content.worklists.blind import ANSWER_FIELDS, blinded_case_uids
from schema.context import Context
from schema.node import to_global_id
from schema.types import Case, CaseState


def blinded(ctx: Context) -> frozenset[str]:
    """The caller's blind cases, computed once per request."""
    if "blinded_case_uids" not in ctx.extra:
        ctx.extra["blinded_case_uids"] = blinded_case_uids(ctx.session, ctx.principal)
    cases: frozenset[str] = ctx.extra["blinded_case_uids"]
    return cases


def pinned_case(row: CaseRow, version: int, *, blind: bool, label: str, ctx: Context) -> Case | None:
    """The pinned version for its assignee. Blind: answer fields are null and the title is `label`
    ("Case 2 of Chest list"), whatever else the caller could see of the case."""
    snap = ctx.loaders.versions.get((row.uid, version))
    if snap is None:
        return None
    data: dict[str, Any] = dict(snap.data)
    if blind:
        data = {k: v for k, v in data.items() if k not in ANSWER_FIELDS}
    get = data.get
    # The path's last segment is the slug of the title: blind, show only the containing collection.
    path = row.path.rsplit("/", 1)[0] + "/" if blind else row.path
    return Case(id=strawberry.ID(to_global_id("Case", row.uid)), row=row, data=data, uid=row.uid, path=path,
                state=CaseState(State.VALIDATED.value), version=version, published_version=row.published_version,
                created_at=row.created, modified_at=row.modified, title=label if blind else get("title"),
                clinical_history=get("clinical_history"), findings=get("findings"), diagnosis=get("diagnosis"),
                differential_diagnoses=get("differential_diagnoses"), discussion=get("discussion"),
                teaching_points=get("teaching_points"),
                difficulty=DifficultyLevel(get("difficulty")) if get("difficulty") else None,
                patient_age_band=get("patient_age_band"), patient_sex=get("patient_sex"),
                modalities=get("modalities") or [], body_regions=get("body_regions") or [], tags=get("tags"),
                licence=get("licence") or row.licence)
