"""Exporting a published version's annotations as DICOM SR, when a case is validated.

Subscribed in the composition root (api/runtime.py) inside the validating transaction: the SR
bytes go to the content store (content-addressed, so writing them twice is harmless) and their
`annotation_export` rows commit with the validation or not at all. An export that cannot be
made (a source file missing or unreadable) is logged and left out: it never blocks validation.
"""

from __future__ import annotations

import logging
from collections import defaultdict

import pydicom
from pydicom.dataset import Dataset
from sqlmodel import Session, col, select

from content import events
from content.annotations.kinds import Annotation, stored
from content.annotations.models import AnnotationExport
from content.cases.models import Case
from content.cases.versions import get_version
from content.imaging.models import Instance, Series, Study
from content.workflow import State
from integrations.annotations.sr import ExportUids, measurement_report
from media.store import ContentStore

log = logging.getLogger(__name__)
SR_CLASS = "1.2.840.10008.5.1.4.1.1.88.34"  # Comprehensive 3D SR Storage


class AnnotationExporter:
    """Writes the SR of each newly published version's annotations, one per study."""

    def __init__(self, store: ContentStore) -> None:
        self.store = store

    def subscribe(self, bus: events.EventBus) -> None:
        """Export inside the transaction of every transition that publishes a version."""
        bus.subscribe_in_transaction(events.CaseTransitioned, self.stage)

    def stage(self, session: Session, event: events.Event) -> None:
        if not isinstance(event, events.CaseTransitioned) or event.target != State.VALIDATED.value:
            return
        try:
            rows = export_published(session, event.case_uid, self.store)
        except Exception:  # an export is a courtesy to partners' viewers; the validation stands
            log.exception("annotations of case %s could not be exported as DICOM SR", event.case_uid)
            return
        session.add_all(rows)


def export_published(session: Session, case_uid: str, store: ContentStore) -> list[AnnotationExport]:
    """The export rows of the case's published version (bytes written to `store`); none already made."""
    case = session.get(Case, case_uid)
    if case is None or case.published_version is None:
        return []
    version = case.published_version
    done = session.exec(
        select(AnnotationExport.study_uid).where(
            AnnotationExport.case_uid == case_uid, AnnotationExport.version == version
        )
    ).first()
    published = get_version(session, case_uid, version)
    annotations = stored(published.data.get("annotations"))
    if done is not None or not annotations:
        return []
    placed = session.exec(
        select(Instance, Study)
        .join(Series, col(Series.uid) == Instance.series_uid)
        .join(Study, col(Study.uid) == Series.study_uid)
        .where(col(Instance.uid).in_({a.instance for a in annotations}), Study.case_uid == case_uid)
    ).all()
    by_study: dict[str, list[Annotation]] = defaultdict(list)
    studies = {instance.uid: study for instance, study in placed}
    instances = {instance.uid: instance for instance, _ in placed}
    for a in annotations:
        if a.instance in studies:
            by_study[studies[a.instance].uid].append(a)
    out = []
    for study_uid, marks in by_study.items():
        study = next(s for s in studies.values() if s.uid == study_uid)
        sources = {a.instance: _header(store, instances[a.instance]) for a in marks}
        uids = ExportUids.of(case_uid, version, study.study_instance_uid)
        title = f"Lightbox annotations v{version}"
        data = measurement_report(marks, sources, uids=uids, title=title, created=published.created)
        out.append(
            AnnotationExport(
                case_uid=case_uid,
                version=version,
                study_uid=study_uid,
                series_instance_uid=uids.series,
                sop_instance_uid=uids.sop,
                sop_class_uid=SR_CLASS,
                description=title,
                file_key=store.put(data),
            )
        )
    return out


def _header(store: ContentStore, instance: Instance) -> Dataset:
    return pydicom.dcmread(store.path_for(instance.file_key), stop_before_pixels=True)
