"""Reading a case's past: field-level diff between two versions, and revert (a new version, never a rewrite)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from content.cases.fields import EDITABLE
from content.cases.models import CONTENT_FIELDS, Case
from content.cases.service import get_case, update_case
from content.cases.versions import get_version, same_value
from content.principal import Principal
from content.security.policy import require
from content.security.roles import Permission


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Any
    after: Any


def case_diff(uid: str, from_version: int, to_version: int, *, session: Session,
              principal: Principal) -> list[FieldChange]:
    case = get_case(uid, session=session, principal=principal)
    require(principal, Permission.VIEW_HISTORY, case)
    a = get_version(session, uid, from_version).data
    b = get_version(session, uid, to_version).data
    return [FieldChange(f, a.get(f), b.get(f)) for f in CONTENT_FIELDS if not same_value(f, a.get(f), b.get(f))]


def revert_case(uid: str, *, to_version: int, expected_version: int, session: Session,
                principal: Principal) -> Case:
    get_case(uid, session=session, principal=principal)
    old = get_version(session, uid, to_version)
    changes = {k: v for k, v in old.data.items() if k in EDITABLE and k != "licence"}
    return update_case(uid, expected_version=expected_version, changes=changes,
                       comment=f"Reverted to version {to_version}", session=session, principal=principal)
