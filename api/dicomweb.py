"""/dicomweb: read-only QIDO-RS and WADO-RS (DICOM PS3.18) over validated cases.

Thin by design: each route authenticates (bearer token, as /graphql: partners' systems send
headers, so no cookie), asks content.imaging.dicomweb what the caller may read, and turns the
rows into DICOM JSON, a multipart/related body of the stored files, or a rendered image.

Blind reporting: for a caller to whom a study's case is blind (an open assignment), every route
withholds the answer-bearing attributes (content.imaging.answer_attributes) from QIDO results,
metadata and the instances themselves; pixels and geometry stay, so the viewer still loads them.

Transfer syntaxes: the stored (de-identified) files are served as they are, each part labelled
with its own transfer syntax; nothing is transcoded, so a client asking for one syntax may get
another, as Orthanc and most archives do for stored objects.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator, Sequence
from email.message import Message
from io import BytesIO
from pathlib import Path
from typing import Any, Final

import pydicom
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydicom.filereader import read_file_meta_info
from sqlmodel import Session
from starlette.background import BackgroundTask

from api.deps import PrincipalDep, SessionDep
from api.errors import error_response
from content.errors import DomainError, ErrorCode
from content.imaging import dicomweb as service
from content.imaging.answer_attributes import Withholding, strip_dataset, withholding_for
from content.imaging.dicomweb import InstanceRow, Level, Page, Query, SeriesRow, StudyRow
from content.principal import Principal
from integrations.dicomweb import parse_query
from media import serving
from media.encode import MEDIA_TYPES, Format
from media.render import MAX_SIZE, MIN_SIZE, RenderOptions
from media.store import ContentStore

log = logging.getLogger(__name__)
dicomweb_router = APIRouter(prefix="/dicomweb", tags=["dicomweb"])

DICOM_JSON: Final = "application/dicom+json"
CHUNK: Final = 1 << 20
BULK_THRESHOLD: Final = 1024  # binary values longer than this are bulk data, left out of metadata
BINARY_VRS: Final = frozenset({"OB", "OD", "OF", "OL", "OV", "OW", "UN"})
Attrs = dict[str, dict[str, Any]]
# Row -> (attributes always returned, attributes returned when includefield asks for them)
AttrsOf = Callable[[Request, Any], tuple[Attrs, Attrs]]


# Negotiation ---------------------------------------------------------------------------


def _ranges(request: Request) -> list[tuple[str, dict[str, str]]]:
    """The Accept header (and PS3.18's `accept` query parameter) as (media type, parameters)."""
    texts = request.query_params.getlist("accept") or [request.headers.get("accept", "*/*")]
    out = []
    for text in ",".join(texts).split(","):
        message = Message()
        message["content-type"] = text.strip() or "*/*"
        params = {k.lower(): v for k, v in message.get_params(failobj=[])[1:] if isinstance(v, str)}
        out.append((message.get_content_type() if text.strip() else "*/*", params))
    return out


def _accepts(request: Request, *wanted: str) -> str | None:
    """The first of `wanted` the client accepts (a bare `*/*` or `image/*` accepts the first)."""
    for media_type, params in _ranges(request):
        if media_type == "*/*":
            return wanted[0]
        if media_type == "multipart/related":
            media_type = params.get("type", "application/dicom")
        for option in wanted:
            if media_type == option or media_type == option.split("/")[0] + "/*":
                return option
    return None


def _refusal(exc: DomainError) -> Response:
    response = error_response(exc)
    if exc.code in (ErrorCode.UNAUTHENTICATED, ErrorCode.INVALID_CREDENTIALS):
        response.headers["WWW-Authenticate"] = "Bearer"
    return response


def _not_acceptable(offered: str) -> Response:
    return error_response(
        DomainError(ErrorCode.NOT_ACCEPTABLE, f"this resource is offered as {offered}", field="accept")
    )


# DICOM JSON from rows (QIDO) -----------------------------------------------------------


def _a(vr: str, *values: Any) -> dict[str, Any]:
    kept = [v for v in values if v is not None and v != ""]
    return {"vr": vr, "Value": kept} if kept else {"vr": vr}


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/") + dicomweb_router.prefix


def _study_attrs(request: Request, row: StudyRow) -> tuple[Attrs, Attrs]:
    s = row.study
    default = {
        "00080020": _a("DA", s.study_date.strftime("%Y%m%d") if s.study_date else None),
        "00080030": _a("TM"),
        "00080050": _a("SH"),
        "00080056": _a("CS", "ONLINE"),
        "00080061": _a("CS", *row.modalities),
        "00080090": _a("PN"),
        "00081190": _a("UR", f"{_base(request)}/studies/{s.study_instance_uid}"),
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
        "00081190": _a("UR", f"{_base(request)}/studies/{st.study_instance_uid}/series/{se.series_instance_uid}"),
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
        f"{_base(request)}/studies/{st.study_instance_uid}/series/{se.series_instance_uid}"
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


def _qido(request: Request, query: Query, page: Page[Any], attrs: AttrsOf, hold: Withholding) -> Response:
    if _accepts(request, DICOM_JSON, "application/json") is None:
        return _not_acceptable(DICOM_JSON)
    body = []
    for row in page.rows:
        default, optional = attrs(request, row)
        default.update({t: v for t, v in optional.items() if query.include_all or t in query.include})
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
    return JSONResponse(body, media_type=DICOM_JSON, headers=headers)


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
    except DomainError as exc:
        return _refusal(exc)
    return _qido(request, query, page, attrs, hold)


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


# WADO-RS --------------------------------------------------------------------------------


def _selected(
    session: Session, principal: Principal, study: str, series: str | None = None, sop: str | None = None
) -> list[InstanceRow] | Response:
    try:
        return service.retrievable(study, series, sop, session=session, principal=principal)
    except DomainError as exc:
        return _refusal(exc)
    finally:
        # The selection is all the database work of a WADO request: give the connection back
        # before files are read and streamed, which may take minutes for a large study.
        session.close()


def _selected_withholding(
    session: Session, principal: Principal, study: str, series: str | None = None, sop: str | None = None
) -> tuple[list[InstanceRow] | Response, Withholding]:
    """The selection and what to withhold from it, read before `_selected` gives the session back."""
    hold = withholding_for(session=session, principal=principal)
    return _selected(session, principal, study, series, sop), hold


def _withheld_copy(path: Path) -> bytes:
    """The stored file without its answer-bearing attributes, pixels untouched (a blind caller's copy)."""
    ds = pydicom.dcmread(path, force=True)
    strip_dataset(ds)
    out = BytesIO()
    ds.save_as(out, enforce_file_format=True)
    return out.getvalue()


def _parts(paths: Sequence[Path], boundary: str, withheld: Sequence[bool]) -> Iterator[bytes]:
    """The multipart/related body, streamed file by file (a study may be far larger than memory)."""
    for path, blind in zip(paths, withheld, strict=True):
        syntax = read_file_meta_info(path).get("TransferSyntaxUID")
        label = f"application/dicom; transfer-syntax={syntax}" if syntax else "application/dicom"
        yield f"--{boundary}\r\nContent-Type: {label}\r\n\r\n".encode("ascii")
        if blind:
            yield _withheld_copy(path)
        else:
            with path.open("rb") as fh:
                while chunk := fh.read(CHUNK):
                    yield chunk
        yield b"\r\n"
    yield f"--{boundary}--\r\n".encode("ascii")


def _stored(request: Request, rows: list[InstanceRow]) -> list[Path] | Response:
    """The files of the rows, all or none: checked before the first byte, since a half-sent
    multipart body cannot be taken back and a PACS would believe it holds the whole study."""
    paths = [ContentStore(request.app.state.settings.media_dir).path_for(r.instance.file_key) for r in rows]
    missing = [p for p in paths if not p.is_file()]
    if missing:
        log.error("DICOMweb: %d stored file(s) missing, e.g. %s", len(missing), missing[0].name)
        return _refusal(DomainError(ErrorCode.NOT_FOUND, "an image of this selection is missing from storage"))
    return paths


def _retrieve(request: Request, selected: tuple[list[InstanceRow] | Response, Withholding]) -> Response:
    rows, hold = selected
    if isinstance(rows, Response):
        return rows
    if _accepts(request, "application/dicom") is None:
        return _not_acceptable('multipart/related; type="application/dicom"')
    paths = _stored(request, rows)
    if isinstance(paths, Response):
        return paths
    boundary = uuid.uuid4().hex
    media_type = f'multipart/related; type="application/dicom"; boundary={boundary}'
    withheld = [hold.applies(r.study.case_uid) for r in rows]
    return StreamingResponse(_parts(paths, boundary, withheld), media_type=media_type)


@dicomweb_router.get("/studies/{study}", response_model=None)
def retrieve_study(request: Request, study: str, session: SessionDep, principal: PrincipalDep) -> Response:
    return _retrieve(request, _selected_withholding(session, principal, study))


@dicomweb_router.get("/studies/{study}/series/{series}", response_model=None)
def retrieve_series(
    request: Request, study: str, series: str, session: SessionDep, principal: PrincipalDep
) -> Response:
    return _retrieve(request, _selected_withholding(session, principal, study, series))


@dicomweb_router.get("/studies/{study}/series/{series}/instances/{sop}", response_model=None)
def retrieve_instance(
    request: Request, study: str, series: str, sop: str, session: SessionDep, principal: PrincipalDep
) -> Response:
    return _retrieve(request, _selected_withholding(session, principal, study, series, sop))


def _strip_bulk(ds: pydicom.Dataset) -> None:
    """Remove long binary values (bulk data we do not offer) at every depth, in place."""
    for elem in list(ds):
        if elem.VR == "SQ":
            for item in elem.value:
                _strip_bulk(item)
        elif elem.VR in BINARY_VRS and elem.value is not None and len(elem.value) > BULK_THRESHOLD:
            del ds[elem.tag]


def _metadata(request: Request, selected: tuple[list[InstanceRow] | Response, Withholding]) -> Response:
    rows, hold = selected
    if isinstance(rows, Response):
        return rows
    if _accepts(request, DICOM_JSON, "application/json") is None:
        return _not_acceptable(DICOM_JSON)
    paths = _stored(request, rows)
    if isinstance(paths, Response):
        return paths
    body = []
    for path, row in zip(paths, rows, strict=True):
        ds = hold.dataset(row.study.case_uid, pydicom.dcmread(path, stop_before_pixels=True, force=True))
        _strip_bulk(ds)
        # An odd value in one element must not cost the client the whole study's metadata.
        body.append(ds.to_json_dict(suppress_invalid_tags=True))
    return JSONResponse(body, media_type=DICOM_JSON)


@dicomweb_router.get("/studies/{study}/metadata", response_model=None)
def study_metadata(request: Request, study: str, session: SessionDep, principal: PrincipalDep) -> Response:
    return _metadata(request, _selected_withholding(session, principal, study))


@dicomweb_router.get("/studies/{study}/series/{series}/metadata", response_model=None)
def series_metadata(
    request: Request, study: str, series: str, session: SessionDep, principal: PrincipalDep
) -> Response:
    return _metadata(request, _selected_withholding(session, principal, study, series))


@dicomweb_router.get("/studies/{study}/series/{series}/instances/{sop}/metadata", response_model=None)
def instance_metadata(
    request: Request, study: str, series: str, sop: str, session: SessionDep, principal: PrincipalDep
) -> Response:
    return _metadata(request, _selected_withholding(session, principal, study, series, sop))


# Rendered ---------------------------------------------------------------------------------


def _render_size(request: Request, row: InstanceRow) -> int | None:
    """PS3.18 `viewport=VW,VH`: fit the image inside the box, as our longest-edge size."""
    text = request.query_params.get("viewport")
    if not text:
        return None
    try:
        vw, vh = (int(v) for v in text.split(",")[:2])
    except ValueError as exc:
        raise DomainError(ErrorCode.INVALID_INPUT, "viewport is VW,VH", field="viewport") from exc
    rows, cols = row.instance.rows or vh, row.instance.columns or vw
    scale = min(vw / cols, vh / rows)
    return max(MIN_SIZE, min(MAX_SIZE, round(max(rows, cols) * scale)))


def _window(request: Request) -> tuple[float, float] | None:
    """PS3.18 `window=CENTER,WIDTH,FUNCTION`; only the linear function is drawn."""
    text = request.query_params.get("window")
    if not text:
        return None
    parts = text.split(",")
    try:
        return float(parts[0]), float(parts[1])
    except (IndexError, ValueError) as exc:
        raise DomainError(ErrorCode.INVALID_INPUT, "window is CENTER,WIDTH[,FUNCTION]", field="window") from exc


def _rendered(request: Request, rows: list[InstanceRow] | Response, frame: int = 1) -> Response:
    if isinstance(rows, Response):
        return rows
    media_type = _accepts(request, "image/jpeg", "image/png")
    if media_type is None:
        return _not_acceptable("image/jpeg or image/png")
    row = rows[0]
    fmt: Format = "png" if media_type == "image/png" else "jpeg"
    try:
        if frame > max(row.instance.frames, 1):
            raise DomainError(ErrorCode.NOT_FOUND, f"the instance has {row.instance.frames} frame(s)", field="frame")
        options = RenderOptions(frame=frame, size=_render_size(request, row), window=_window(request), format=fmt)
        plan = serving.plan_render(
            source_key=row.instance.file_key,
            frames=row.instance.frames,
            longest_edge=max(row.instance.rows or 0, row.instance.columns or 0),
            options=options,
        )
        store = ContentStore(request.app.state.settings.media_dir)
        served = serving.render(store, plan)
    except DomainError as exc:
        return _refusal(exc)
    headers = {"Cache-Control": "private, no-cache", "X-Content-Type-Options": "nosniff"}
    if served.placeholder_reason:
        headers["X-Lightbox-Placeholder"] = served.placeholder_reason
    # The rendition is cached after the answer is sent, shared with /media (same key, same bytes).
    return Response(
        served.body,
        media_type=MEDIA_TYPES[fmt],
        headers=headers,
        background=BackgroundTask(serving.store_rendition, store, plan, served),
    )


@dicomweb_router.get("/studies/{study}/series/{series}/instances/{sop}/rendered", response_model=None)
def instance_rendered(
    request: Request, study: str, series: str, sop: str, session: SessionDep, principal: PrincipalDep
) -> Response:
    return _rendered(request, _selected(session, principal, study, series, sop))


@dicomweb_router.get("/studies/{study}/series/{series}/instances/{sop}/frames/{frames}/rendered", response_model=None)
def frame_rendered(
    request: Request, study: str, series: str, sop: str, frames: str, session: SessionDep, principal: PrincipalDep
) -> Response:
    selected = _selected(session, principal, study, series, sop)
    if not frames.isdigit() or int(frames) < 1:  # one frame per image: a list would need a video type
        return _refusal(DomainError(ErrorCode.INVALID_INPUT, "one frame number, 1-based", field="frames"))
    return _rendered(request, selected, int(frames))
