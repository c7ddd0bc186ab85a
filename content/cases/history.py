"""Reading a case's past: field-level diff between two versions, and revert (a new version, never a rewrite)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from content.cases.fields import EDITABLE
from content.cases.models import CONTENT_FIELDS, Case
from content.cases.service import get_case, update_case
from content.cases.versions import STUDIES, get_version, same_value, version_studies
from content.imaging.models import Series
from content.principal import Principal
from content.security.policy import require
from content.security.roles import Permission


@dataclass(frozen=True)
class FieldChange:
    """One field that differs between two versions of a case: its value before and after."""

    field: str
    before: Any
    after: Any


def case_diff(
    uid: str, from_version: int, to_version: int, *, session: Session, principal: Principal
) -> list[FieldChange]:
    """The fields changed between two versions of a case, for a caller who may view its history."""
    case = get_case(uid, session=session, principal=principal)
    require(principal, Permission.VIEW_HISTORY, case)
    a = get_version(session, uid, from_version).data
    b = get_version(session, uid, to_version).data
    changes = [FieldChange(f, a.get(f), b.get(f)) for f in CONTENT_FIELDS if not same_value(f, a.get(f), b.get(f))]
    return changes + image_changes(session, uid, from_version, to_version)


def image_changes(session: Session, uid: str, from_version: int, to_version: int) -> list[FieldChange]:
    """The image sets compared: studies, and the series they bring or take away (sorted uids)."""
    sets = version_studies(session, [(uid, from_version), (uid, to_version)])
    before, after = sets[(uid, from_version)], sets[(uid, to_version)]
    if before == after:
        return []
    series: dict[str, set[str]] = {}
    if before | after:
        stmt = select(Series.uid, Series.study_uid).where(col(Series.study_uid).in_(before | after))
        for series_uid, study_uid in session.exec(stmt):
            series.setdefault(study_uid, set()).add(series_uid)

    def of(studies: set[str]) -> list[str]:
        return sorted(s for study in studies for s in series.get(study, ()))

    return [FieldChange(STUDIES, sorted(before), sorted(after)), FieldChange("series", of(before), of(after))]


def revert_case(uid: str, *, to_version: int, expected_version: int, session: Session, principal: Principal) -> Case:
    """Make an earlier version's content and images the case's working copy again, as a new version."""
    get_case(uid, session=session, principal=principal)
    old = get_version(session, uid, to_version)
    changes = {k: v for k, v in old.data.items() if k in EDITABLE and k != "licence"}
    studies = version_studies(session, [(uid, to_version)])[(uid, to_version)]
    return update_case(
        uid,
        expected_version=expected_version,
        changes=changes,
        studies=studies,
        # Versions saved before annotations existed had none: reverting to one clears them.
        restored={"annotations": list(old.data.get("annotations") or [])},
        comment=f"Reverted to version {to_version}",
        session=session,
        principal=principal,
    )
