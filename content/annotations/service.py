"""Saving a case's annotations: a new version like any edit (on a validated case, a working copy)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session

from content.annotations.check import checked
from content.annotations.geometry import ImageProbe
from content.annotations.kinds import AnnotationSpec
from content.cases.models import Case
from content.cases.service import editable_case, save_version
from content.imaging.image_set import current_studies, instances_in
from content.principal import Principal


def save_annotations(
    case_uid: str,
    specs: Sequence[AnnotationSpec],
    *,
    expected_version: int,
    comment: str = "",
    probe: ImageProbe | None = None,
    session: Session,
    principal: Principal,
) -> Case:
    """Replace the working copy's annotations (marks on instances of its image set) as a new version."""
    case = editable_case(case_uid, expected_version=expected_version, session=session, principal=principal)
    instances = instances_in(session, current_studies(session, case), [s.instance for s in specs])
    values = checked(specs, instances=instances, probe=probe)
    save_version(
        case,
        values={"annotations": values},
        studies=None,
        expected_version=expected_version,
        comment=comment or "annotations saved",
        action="case.save_annotations",
        session=session,
        principal=principal,
    )
    session.commit()
    return case
