"""Which exported annotation objects (DICOM SR) a caller may read over DICOMweb, as instance-like rows.

The same rule as the model answer: the published version of a validated, non-retired case the
caller may view, and never while the case is blind to them (an open assignment). The rows are
not stored images: an Instance and a Series built from the export row, never added to a session,
so DICOMweb lists and serves them beside the study's images with the code it serves images with.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlmodel import Session, col, select

from content.annotations.models import AnnotationExport
from content.cases.models import Case
from content.cases.visibility import blind_case_uids
from content.imaging.models import Instance, Series, Study
from content.principal import Principal
from content.security.policy import visible_condition
from content.workflow import State

MODALITY = "SR"
SERIES_NUMBER = 9900


def exported_objects(
    session: Session,
    principal: Principal,
    *,
    study_uids: Sequence[str] = (),
    series_uids: Sequence[str] = (),
    sop_uids: Sequence[str] = (),
    modalities: Sequence[str] = (),
    date_from: date | None = None,
    date_to: date | None = None,
) -> list[tuple[Instance, Series, Study]]:
    """The exported objects matching the DICOM UIDs given (all when none) that `principal` may read."""
    if principal.is_anonymous or (modalities and MODALITY not in modalities):
        return []
    stmt = (
        select(AnnotationExport, Study)
        .join(Study, col(Study.uid) == AnnotationExport.study_uid)
        .join(
            Case,
            (col(Case.uid) == AnnotationExport.case_uid) & (col(Case.published_version) == AnnotationExport.version),
        )
        .where(visible_condition(principal, Case), col(Case.state) != State.RETIRED.value)
    )
    if study_uids:
        stmt = stmt.where(col(Study.study_instance_uid).in_(study_uids))
    if series_uids:
        stmt = stmt.where(col(AnnotationExport.series_instance_uid).in_(series_uids))
    if sop_uids:
        stmt = stmt.where(col(AnnotationExport.sop_instance_uid).in_(sop_uids))
    if date_from is not None:
        stmt = stmt.where(col(Study.study_date) >= date_from)
    if date_to is not None:
        stmt = stmt.where(col(Study.study_date) <= date_to)
    found = list(session.exec(stmt.order_by(col(Study.study_instance_uid))))
    if not found:
        return []
    blind = blind_case_uids(session, principal)
    return [_rows(export, study) for export, study in found if export.case_uid not in blind]


def _rows(export: AnnotationExport, study: Study) -> tuple[Instance, Series, Study]:
    series = Series(
        uid=f"sr{export.sop_instance_uid[-30:]}",
        study_uid=study.uid,
        series_instance_uid=export.series_instance_uid,
        description=export.description,
        modality=MODALITY,
        series_number=SERIES_NUMBER,
        instance_count=1,
    )
    instance = Instance(
        uid=series.uid,
        series_uid=series.uid,
        sop_instance_uid=export.sop_instance_uid,
        sop_class_uid=export.sop_class_uid,
        instance_number=1,
        position=0,
        frames=1,
        file_key=export.file_key,
    )
    return instance, series, study
