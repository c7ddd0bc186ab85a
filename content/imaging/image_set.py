"""A case's image set as versioned content: add or detach a study, choose key images.

Every change here is a save like a text edit (`save_version`): a new version, optimistic
concurrency on `expected_version`, and on a validated case a working copy, so trainees,
partners and DICOMweb keep the published version's images until a second person validates.
Uploads, `lightbox import --case`, PACS pulls and C-STORE into an existing case all come
through `add_study`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from content.cases.fields import MAX_LIST_ITEMS
from content.cases.models import Case
from content.cases.service import editable_case, save_version
from content.cases.versions import version_studies
from content.errors import DomainError, ErrorCode
from content.imaging.models import Instance, Series, Study
from content.imaging.service import NewStudy, insert_study
from content.principal import Principal
from content.worklists.models import AssignmentItem, Report, ReportStatus


def current_studies(session: Session, case: Case) -> set[str]:
    """Study uids of the working copy's image set."""
    return version_studies(session, [(case.uid, case.version)])[(case.uid, case.version)]


def add_study(
    new: NewStudy, *, case: Case, session: Session, principal: Principal, comment: str = "images added"
) -> Study:
    """Store a study under an existing case as a new version of it (no commit: the importer
    commits the study with its audit row). The caller has checked EDIT (`case_for_import`)."""
    expected = case.version
    case = editable_case(case.uid, expected_version=expected, session=session, principal=principal)
    study = insert_study(new, case=case, session=session)
    save_version(
        case,
        values={},
        studies=current_studies(session, case) | {study.uid},
        expected_version=expected,
        comment=comment,
        action="case.attach_study",
        session=session,
        principal=principal,
        study=study.uid,
    )
    return study


def _in_open_assignment(session: Session, case_uid: str) -> bool:
    """Some trainee has the case in an assignment and has not submitted its report yet."""
    submitted = sa.exists().where(
        col(Report.assignment_uid) == col(AssignmentItem.assignment_uid),
        col(Report.case_uid) == case_uid,
        col(Report.status) == ReportStatus.SUBMITTED.value,
    )
    stmt = select(AssignmentItem.assignment_uid).where(AssignmentItem.case_uid == case_uid, ~submitted)
    return session.exec(stmt.limit(1)).first() is not None


def instances_in(session: Session, study_uids: set[str], instance_uids: Sequence[str]) -> dict[str, Instance]:
    """The instances among `instance_uids` that belong to these studies, by uid."""
    if not study_uids or not instance_uids:
        return {}
    stmt = (
        select(Instance)
        .join(Series, col(Series.uid) == col(Instance.series_uid))
        .where(col(Series.study_uid).in_(study_uids), col(Instance.uid).in_(list(instance_uids)))
    )
    return {i.uid: i for i in session.exec(stmt)}


def detach_study(
    case_uid: str, study_uid: str, *, expected_version: int, comment: str = "", session: Session, principal: Principal
) -> Case:
    """Take a study out of the working copy's image set (its rows stay: older versions show it)."""
    case = editable_case(case_uid, expected_version=expected_version, session=session, principal=principal)
    studies = current_studies(session, case)
    if study_uid not in studies:
        raise DomainError(ErrorCode.NOT_FOUND, "the case holds no such study", field="study")
    remaining = studies - {study_uid}
    if not remaining and _in_open_assignment(session, case.uid):
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            "this is the case's last study and a trainee is still reporting the case",
            field="study",
        )
    # Key images in the detached study would point at nothing the version shows.
    kept = instances_in(session, remaining, case.key_images)
    keys = [k for k in case.key_images if k in kept]
    values: dict[str, Any] = {"key_images": keys} if keys != case.key_images else {}
    # Annotations on its images likewise: they go with the study.
    marked = instances_in(session, remaining, [a["instance"] for a in case.annotations])
    kept_marks = [a for a in case.annotations if a["instance"] in marked]
    if kept_marks != case.annotations:
        values["annotations"] = kept_marks
    save_version(
        case,
        values=values,
        studies=remaining,
        expected_version=expected_version,
        comment=comment or "study detached",
        action="case.detach_study",
        session=session,
        principal=principal,
        study=study_uid,
    )
    session.commit()
    return case


def set_key_images(
    case_uid: str,
    instance_uids: Sequence[str],
    *,
    expected_version: int,
    comment: str = "",
    session: Session,
    principal: Principal,
) -> Case:
    """Choose the key images, in order: instances of the working copy's image set."""
    case = editable_case(case_uid, expected_version=expected_version, session=session, principal=principal)
    chosen = list(dict.fromkeys(instance_uids))
    if len(chosen) > MAX_LIST_ITEMS:
        raise DomainError(ErrorCode.INVALID_INPUT, f"at most {MAX_LIST_ITEMS} key images", field="instances")
    found = instances_in(session, current_studies(session, case), chosen)
    for uid in chosen:
        instance = found.get(uid)
        if instance is None:
            raise DomainError(ErrorCode.NOT_FOUND, "an instance is not an image of this case", field="instances")
        if instance.quarantined:
            raise DomainError(
                ErrorCode.QUARANTINED, "an image held for burned-in text cannot be a key image", field="instances"
            )
    save_version(
        case,
        values={"key_images": chosen},
        studies=None,
        expected_version=expected_version,
        comment=comment or "key images chosen",
        action="case.set_key_images",
        session=session,
        principal=principal,
    )
    session.commit()
    return case
