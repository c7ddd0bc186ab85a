"""Which studies of a case a caller is served: the image set of the version they may see.

One rule behind GraphQL, media URLs, previews, thumbnails and DICOMweb. Those who may see
the working copy are served its image set; everyone else the published version's, plus the
version each of their assignments pinned (a trainee keeps the images they were asked about
even after the case is revised). Editors may also open any study the case ever held, so
history and a diff can show what a change removed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from content.cases.models import Case, CaseVersionStudy
from content.cases.versions import version_studies, visible_view
from content.principal import Principal
from content.worklists.models import Assignment, AssignmentItem


def shown_version(principal: Principal, case: Case) -> int | None:
    """The version of the case the caller sees outside an assignment, or None."""
    view = visible_view(principal, case)
    if view == "current":
        return case.version
    if view == "published":
        return case.published_version
    return None


def pinned_versions(session: Session, principal: Principal, case_uids: Iterable[str]) -> dict[str, set[int]]:
    """Per case, the versions the caller's assignments pinned."""
    out: dict[str, set[int]] = defaultdict(set)
    uids = list(set(case_uids))
    if principal.user_id is None or not uids:
        return out
    stmt = (
        select(AssignmentItem.case_uid, AssignmentItem.case_version)
        .join(Assignment, col(Assignment.uid) == AssignmentItem.assignment_uid)
        .where(Assignment.trainee_uid == principal.user_id, col(AssignmentItem.case_uid).in_(uids))
    )
    for case_uid, version in session.exec(stmt):
        out[case_uid].add(version)
    return out


def served_versions(session: Session, principal: Principal, cases: Iterable[Case]) -> dict[str, set[int]]:
    """Per case, the versions whose images `principal` may be served."""
    by_uid = {c.uid: c for c in cases}
    out: dict[str, set[int]] = {uid: set() for uid in by_uid}
    visible = {uid: shown_version(principal, c) for uid, c in by_uid.items()}
    pinned = pinned_versions(session, principal, [uid for uid, v in visible.items() if v is not None])
    for uid, version in visible.items():
        if version is not None:
            out[uid] = {version, *pinned.get(uid, ())}
    return out


def served_studies(session: Session, principal: Principal, case: Case) -> set[str]:
    """Study uids of `case` the caller is served (empty when they may not see the case)."""
    versions = served_versions(session, principal, [case])[case.uid]
    sets = version_studies(session, [(case.uid, v) for v in versions])
    return set().union(*sets.values()) if sets else set()


def dicomweb_condition(principal: Principal, study_uid: Any, case_uid: Any, published: Any) -> Any:
    """SQL twin for DICOMweb (validated cases only): the study is in the published version's
    image set, or in a version one of the caller's assignments pinned."""
    in_version = sa.exists().where(
        col(CaseVersionStudy.study_uid) == study_uid, col(CaseVersionStudy.case_uid) == case_uid
    )
    versions = [col(CaseVersionStudy.version) == published]
    if principal.user_id is not None:
        pinned = (
            sa.select(col(AssignmentItem.case_version))
            .join(Assignment, col(Assignment.uid) == col(AssignmentItem.assignment_uid))
            .where(col(Assignment.trainee_uid) == principal.user_id, col(AssignmentItem.case_uid) == case_uid)
        )
        versions.append(col(CaseVersionStudy.version).in_(pinned))
    return in_version.where(sa.or_(*versions))
