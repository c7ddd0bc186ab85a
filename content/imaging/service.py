"""Imaging services: attach de-identified studies to a case, find what is already there.

Ending a quarantine is content.imaging.quarantine.

The importer (importers/) prepares everything outside the database (de-identification, blobs,
previews) and hands this module plain records; rows are added to the caller's transaction so
that a case and its studies commit together or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, col, select

from content.cases.models import Case, CaseVersionStudy
from content.cases.service import get_case
from content.errors import DomainError, ErrorCode
from content.imaging.models import Instance, Series, Study
from content.principal import Principal
from content.security.policy import require
from content.security.roles import Permission

_IN_CHUNK = 500  # keeps IN (...) lists well under every backend's parameter limit


@dataclass(frozen=True)
class NewInstance:
    """An instance to attach: its DICOM UIDs and the stored file."""

    sop_instance_uid: str
    sop_class_uid: str
    file_key: str
    size_bytes: int
    position: int
    instance_number: int | None = None
    frames: int = 1
    rows: int | None = None
    columns: int | None = None
    quarantine_reason: str | None = None  # set: possible burned-in text, hidden until released
    proposed_regions: tuple[dict[str, int], ...] = ()  # where OCR read text, for the reviewer


@dataclass
class NewSeries:
    """A series to attach, with its instances."""

    series_instance_uid: str
    description: str = ""
    modality: str | None = None
    body_part: str | None = None
    series_number: int | None = None
    thumbnail_key: str | None = None
    montage_key: str | None = None
    cine_key: str | None = None
    instances: list[NewInstance] = field(default_factory=list)


@dataclass
class NewStudy:
    """A study to attach to a case, with its series."""

    study_instance_uid: str
    description: str = ""
    modality: str | None = None
    study_date: date | None = None
    series: list[NewSeries] = field(default_factory=list)


def find_study(study_instance_uid: str, *, session: Session) -> Study | None:
    """The study with this StudyInstanceUID, or None."""
    return session.exec(select(Study).where(Study.study_instance_uid == study_instance_uid)).first()


def series_of_study(study_instance_uid: str, *, session: Session) -> list[str]:
    """The uids of a study's series (empty when the study is gone: a preview job then has nothing to do)."""
    study = find_study(study_instance_uid, session=session)
    if study is None:
        return []
    return list(session.exec(select(Series.uid).where(Series.study_uid == study.uid).order_by(col(Series.uid))))


def existing_instances(sop_instance_uids: Iterable[str], *, session: Session) -> set[str]:
    """Which of these (remapped) SOP Instance UIDs the archive already holds."""
    wanted = list(dict.fromkeys(sop_instance_uids))
    found: set[str] = set()
    for start in range(0, len(wanted), _IN_CHUNK):
        chunk = wanted[start : start + _IN_CHUNK]
        found.update(session.exec(select(Instance.sop_instance_uid).where(col(Instance.sop_instance_uid).in_(chunk))))
    return found


def case_for_import(case_uid: str, *, session: Session, principal: Principal) -> Case:
    """An existing case a principal may add images to (EDIT on it); NOT_FOUND if they cannot see it."""
    case = get_case(case_uid, session=session, principal=principal)
    require(principal, Permission.EDIT, case)
    return case


def _cut(value: str | None, size: int) -> str | None:
    """Header text cut to its column (a damaged or odd file can carry any length)."""
    return value[:size] if value else value


def attach_study(new: NewStudy, *, case: Case, session: Session) -> Study:
    """Store a study as part of a case that has never been validated, in its current version
    (an import creating the case commits both together; no commit here).

    Adding images to any other case is a new version of it: `image_set.add_study`.
    """
    if case.published_version is not None:
        raise DomainError(
            ErrorCode.INVALID_INPUT, "images of a validated case change only in a new version", field="case"
        )
    study = insert_study(new, case=case, session=session)
    session.add(CaseVersionStudy(case_uid=case.uid, version=case.version, study_uid=study.uid))
    session.flush()
    return study


def insert_study(new: NewStudy, *, case: Case, session: Session) -> Study:
    """Add the study's rows to the session; which versions show it is the caller's to record."""
    study = Study(
        case_uid=case.uid,
        study_instance_uid=new.study_instance_uid,
        description=new.description[:1000],
        modality=_cut(new.modality, 16),
        study_date=new.study_date,
    )
    session.add(study)
    # No ORM relationships between these tables, so the unit of work cannot order the inserts
    # by foreign key: flush each level before the next.
    session.flush()
    instances: list[Instance] = []
    for item in new.series:
        series = Series(
            study_uid=study.uid,
            series_instance_uid=item.series_instance_uid,
            description=item.description[:1000],
            modality=_cut(item.modality, 16),
            body_part=_cut(item.body_part, 64),
            series_number=item.series_number,
            instance_count=len(item.instances),
            thumbnail_key=item.thumbnail_key,
            montage_key=item.montage_key,
            cine_key=item.cine_key,
        )
        session.add(series)
        instances.extend(
            Instance(
                series_uid=series.uid,
                sop_instance_uid=inst.sop_instance_uid,
                sop_class_uid=inst.sop_class_uid[:64],
                instance_number=inst.instance_number,
                position=inst.position,
                frames=inst.frames,
                rows=inst.rows,
                columns=inst.columns,
                file_key=inst.file_key,
                size_bytes=inst.size_bytes,
                quarantined=inst.quarantine_reason is not None,
                quarantine_reason=inst.quarantine_reason[:200] if inst.quarantine_reason else None,
                proposed_regions=[dict(r) for r in inst.proposed_regions],
            )
            for inst in item.instances
        )
    session.flush()
    session.add_all(instances)
    session.flush()
    return study


def instance_case(instance: Instance, *, session: Session) -> Case:
    """The case an instance belongs to."""
    series = session.get(Series, instance.series_uid)
    study = session.get(Study, series.study_uid) if series else None
    case = session.get(Case, study.case_uid) if study else None
    if case is None:  # foreign keys make this unreachable; kept as a clear refusal
        raise DomainError(ErrorCode.NOT_FOUND, "no such instance", field="instance")
    return case


def quarantined_instances(case_uid: str, *, session: Session) -> list[Instance]:
    """The quarantined instances of a case's studies."""
    stmt = (
        select(Instance)
        .join(Series, col(Series.uid) == col(Instance.series_uid))
        .join(Study, col(Study.uid) == col(Series.study_uid))
        .where(Study.case_uid == case_uid, col(Instance.quarantined).is_(True))
    )
    return list(session.exec(stmt))


def series_of_instance(instance_uid: str, *, session: Session) -> Series:
    """The series holding an instance; NOT_FOUND (field `instance`) if there is none."""
    instance = session.get(Instance, instance_uid)
    series = session.get(Series, instance.series_uid) if instance else None
    if series is None:
        raise DomainError(ErrorCode.NOT_FOUND, "no such instance", field="instance")
    return series


def showable_instances(series_uid: str, *, session: Session) -> list[Instance]:
    """A series' images that may be shown (with pixels, not quarantined), in display order."""
    stmt = (
        select(Instance)
        .where(Instance.series_uid == series_uid, col(Instance.quarantined).is_(False), col(Instance.rows).is_not(None))
        .order_by(col(Instance.position))
    )
    return list(session.exec(stmt))


def set_series_previews(
    series_uid: str, *, thumbnail_key: str | None, montage_key: str | None, cine_key: str | None, session: Session
) -> Series:
    """Record re-rendered previews (after a release changed what the series may show); commits."""
    series = session.get(Series, series_uid)
    if series is None:
        raise DomainError(ErrorCode.NOT_FOUND, "no such series", field="series")
    series.thumbnail_key, series.montage_key, series.cine_key = thumbnail_key, montage_key, cine_key
    session.add(series)
    session.commit()
    return series
