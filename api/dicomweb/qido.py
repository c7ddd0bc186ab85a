"""QIDO-RS (PS3.18 10.6): studies, series and instances searched, as DICOM JSON."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

from fastapi import Request
from fastapi.responses import Response
from sqlmodel import Session

from api.deps import PrincipalDep, SessionDep
from api.dicomweb.common import DICOM_JSON, accepts, base_url, dicom_json, dicomweb_router, not_acceptable, refusal
from content.errors import DomainError
from content.imaging import dicomweb as service
from content.imaging.answer_attributes import Withholding, withholding_for
from content.imaging.dicomweb import InstanceRow, Level, Page, Query, SeriesRow, StudyRow
from content.principal import Principal
from integrations.dicomweb import attribute_tag, parse_query
from integrations.dicomweb.metadata import file_attributes, read_header
from media.store import ContentStore

Attrs = dict[str, dict[str, Any]]
# Row -> (attributes always returned, attributes returned when includefield asks for them)
AttrsOf = Callable[[Request, Any], tuple[Attrs, Attrs]]


# includefield beyond the index ---------------------------------------------------------------

# `includefield=all` at the study and series levels: the attributes of those levels (PS3.18
# tables 10.6.3-3/-4 and the Patient/Study/Series modules) read from a representative file; at
# the instance level, every attribute of the file (bulk data left out).
LEVEL_ATTRIBUTES: Final[dict[Level, tuple[str, ...]]] = {
    Level.STUDY: (
        "StudyDate",
        "StudyTime",
        "AccessionNumber",
        "ReferringPhysicianName",
        "StudyDescription",
        "StudyID",
        "PatientName",
        "PatientID",
        "PatientBirthDate",
        "PatientSex",
        "PatientAge",
        "PatientSize",
        "PatientWeight",
        "InstitutionName",
        "TimezoneOffsetFromUTC",
    ),
    Level.SERIES: (
        "Modality",
        "SeriesDescription",
        "SeriesNumber",
        "SeriesDate",
        "SeriesTime",
        "BodyPartExamined",
        "Laterality",
        "ProtocolName",
        "PatientPosition",
        "FrameOfReferenceUID",
        "Manufacturer",
        "ManufacturerModelName",
        "PerformedProcedureStepStartDate",
        "PerformedProcedureStepStartTime",
        "ContrastBolusAgent",
    ),
}
LEVEL_TAGS: Final = {level: frozenset(attribute_tag(k) for k in names) for level, names in LEVEL_ATTRIBUTES.items()}


def _every_attribute(query: Query) -> bool:
    return query.include_all and query.level is Level.INSTANCE


def _from_file(query: Query) -> frozenset[str]:
    """The tags asked for that only a stored file can answer."""
    asked = query.include | (LEVEL_TAGS.get(query.level, frozenset()) if query.include_all else frozenset())
    return frozenset(asked)


def _representatives(
    request: Request, session: Session, principal: Principal, query: Query, page: Page[Any]
) -> list[Path | None]:
    """Per row, the file to read asked-for attributes from (None when the index answers all)."""
    if not (_every_attribute(query) or _from_file(query)):
        return [None] * len(page.rows)
    store = ContentStore(request.app.state.settings.media_dir)
    keys = []
    for row in page.rows:
        if isinstance(row, InstanceRow):
            keys.append(row.instance.file_key)
        else:  # the first instance of the study or series, in display order, as the caller may read it
            series = row.series.series_instance_uid if isinstance(row, SeriesRow) else None
            first = service.retrievable(row.study.study_instance_uid, series, session=session, principal=principal)
            keys.append(first[0].instance.file_key)
    paths = [store.path_for(k) for k in keys]
    return [p if p.is_file() else None for p in paths]


# DICOM JSON from rows (QIDO) -----------------------------------------------------------


def _a(vr: str, *values: Any) -> dict[str, Any]:
    kept = [v for v in values if v is not None and v != ""]
    return {"vr": vr, "Value": kept} if kept else {"vr": vr}


def _study_attrs(request: Request, row: StudyRow) -> tuple[Attrs, Attrs]:
    s = row.study
    default = {
        "00080020": _a("DA", s.study_date.strftime("%Y%m%d") if s.study_date else None),
        "00080030": _a("TM"),
        "00080050": _a("SH"),
        "00080056": _a("CS", "ONLINE"),
        "00080061": _a("CS", *row.modalities),
        "00080090": _a("PN"),
        "00081190": _a("UR", f"{base_url(request)}/studies/{s.study_instance_uid}"),
        # De-identified: the archive keeps no patient identity, so these are present and empty.
        "00100010": _a("PN"),
        "00100020": _a("LO"),
        "00100030": _a("DA"),
        "00100040": _a("CS"),
        "0020000D": _a("UI", s.study_instance_uid),
        "00200010": _a("SH"),
        "00201206": _a("IS", row.series_count),
        "00201208": _a("IS", row.instance_count),
    }
    return default, {"00081030": _a("LO", s.description)}


def _series_attrs(request: Request, row: SeriesRow) -> tuple[Attrs, Attrs]:
    se, st = row.series, row.study
    default = {
        "00080056": _a("CS", "ONLINE"),
        "00080060": _a("CS", se.modality),
        "0008103E": _a("LO", se.description),
        "00081190": _a("UR", f"{base_url(request)}/studies/{st.study_instance_uid}/series/{se.series_instance_uid}"),
        "0020000D": _a("UI", st.study_instance_uid),
        "0020000E": _a("UI", se.series_instance_uid),
        "00200011": _a("IS", se.series_number),
        "00201209": _a("IS", row.instance_count),
    }
    optional = {
        "00180015": _a("CS", se.body_part),
        "00081030": _a("LO", st.description),
        "00080020": _a("DA", st.study_date.strftime("%Y%m%d") if st.study_date else None),
    }
    return default, optional


def _instance_attrs(request: Request, row: InstanceRow) -> tuple[Attrs, Attrs]:
    i, se, st = row.instance, row.series, row.study
    url = (
        f"{base_url(request)}/studies/{st.study_instance_uid}/series/{se.series_instance_uid}"
        f"/instances/{i.sop_instance_uid}"
    )
    default = {
        "00080016": _a("UI", i.sop_class_uid),
        "00080018": _a("UI", i.sop_instance_uid),
        "00080056": _a("CS", "ONLINE"),
        "00080060": _a("CS", se.modality),
        "00081190": _a("UR", url),
        "0020000D": _a("UI", st.study_instance_uid),
        "0020000E": _a("UI", se.series_instance_uid),
        "00200013": _a("IS", i.instance_number),
        "00280008": _a("IS", i.frames),
        "00280010": _a("US", i.rows),
        "00280011": _a("US", i.columns),
    }
    optional = {
        "00200011": _a("IS", se.series_number),
        "0008103E": _a("LO", se.description),
        "00080020": _a("DA", st.study_date.strftime("%Y%m%d") if st.study_date else None),
    }
    return default, optional


def _qido(
    request: Request, query: Query, page: Page[Any], attrs: AttrsOf, hold: Withholding, files: list[Path | None]
) -> Response:
    if accepts(request, DICOM_JSON, "application/json") is None:
        return not_acceptable(DICOM_JSON)
    body = []
    for row, path in zip(page.rows, files, strict=True):
        default, optional = attrs(request, row)
        default.update({t: v for t, v in optional.items() if query.include_all or t in query.include})
        if path is not None:
            # Asked for beyond what the index holds: from the stored file (the level's representative).
            extra = file_attributes(read_header(path)[0], None if _every_attribute(query) else _from_file(query))
            default.update({t: v for t, v in extra.items() if t not in default})
        body.append(dict(sorted(hold.json(row.study.case_uid, default).items())))
    warnings = []
    if page.more:
        warnings.append(
            '299 lightbox "The number of results exceeded the maximum supported by the server. '
            'Additional results can be requested."'
        )
    if query.ignored:
        warnings.append(
            f'299 lightbox "The following attributes are not supported as matching keys and were '
            f'ignored: {", ".join(sorted(set(query.ignored)))}"'
        )
    headers = {"Warning": ", ".join(warnings)} if warnings else {}
    return dicom_json(request, body, headers=headers)


SEARCHES: Final[dict[Level, tuple[Callable[..., Page[Any]], AttrsOf]]] = {
    Level.STUDY: (service.search_studies, _study_attrs),
    Level.SERIES: (service.search_series, _series_attrs),
    Level.INSTANCE: (service.search_instances, _instance_attrs),
}


def _search(
    request: Request,
    session: Session,
    principal: Principal,
    level: Level,
    study: str | None = None,
    series: str | None = None,
) -> Response:
    search, attrs = SEARCHES[level]
    try:
        query = parse_query(level, list(request.query_params.multi_items()), study_uid=study, series_uid=series)
        page = search(query, session=session, principal=principal)
        hold = withholding_for(session=session, principal=principal)
        files = _representatives(request, session, principal, query, page)
    except DomainError as exc:
        return refusal(exc)
    return _qido(request, query, page, attrs, hold, files)


@dicomweb_router.get("/studies", response_model=None)
def search_studies(request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    return _search(request, session, principal, Level.STUDY)


@dicomweb_router.get("/series", response_model=None)
def search_all_series(request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    return _search(request, session, principal, Level.SERIES)


@dicomweb_router.get("/studies/{study}/series", response_model=None)
def search_series(request: Request, study: str, session: SessionDep, principal: PrincipalDep) -> Response:
    return _search(request, session, principal, Level.SERIES, study)


@dicomweb_router.get("/instances", response_model=None)
def search_all_instances(request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    return _search(request, session, principal, Level.INSTANCE)


@dicomweb_router.get("/studies/{study}/instances", response_model=None)
def search_study_instances(request: Request, study: str, session: SessionDep, principal: PrincipalDep) -> Response:
    return _search(request, session, principal, Level.INSTANCE, study)


@dicomweb_router.get("/studies/{study}/series/{series}/instances", response_model=None)
def search_series_instances(
    request: Request, study: str, series: str, session: SessionDep, principal: PrincipalDep
) -> Response:
    return _search(request, session, principal, Level.INSTANCE, study, series)
