"""WADO-RS metadata (PS3.18 10.4.1.1.2) and bulk data (10.4.1.1.5), from the stored files."""

from __future__ import annotations

import uuid

from fastapi import Request
from fastapi.responses import Response

from api.deps import PrincipalDep, SessionDep
from api.dicomweb.common import (
    DICOM_JSON,
    Selected,
    accepts,
    base_url,
    cache_headers,
    dicom_json,
    dicomweb_router,
    etag_of,
    fresh,
    log,
    not_acceptable,
    not_modified,
    refusal,
    selected_withholding,
    stored_paths,
)
from api.dicomweb.wado import multipart_frames
from content.errors import DomainError
from content.imaging.answer_attributes import Withholding
from content.imaging.dicomweb import InstanceRow
from integrations.dicomweb.frames import OCTET_STREAM, read_frames, read_stored
from integrations.dicomweb.metadata import bulk_value, instance_json, is_pixel_data, parse_bulk_path, read_header


def _instance_url(request: Request, row: InstanceRow) -> str:
    return (
        f"{base_url(request)}/studies/{row.study.study_instance_uid}/series/{row.series.series_instance_uid}"
        f"/instances/{row.instance.sop_instance_uid}"
    )


def metadata(request: Request, selection: tuple[Selected, Withholding]) -> Response:
    """DICOM JSON of the selected instances, answers withheld from a blind caller."""
    rows, hold = selection
    if isinstance(rows, Response):
        return rows
    if accepts(request, DICOM_JSON, "application/json") is None:
        return not_acceptable(DICOM_JSON)
    paths = stored_paths(request, rows)
    if isinstance(paths, Response):
        return paths
    withheld = [hold.applies(r.study.case_uid) for r in rows]
    keys = (f"{r.instance.file_key}:{w}" for r, w in zip(rows, withheld, strict=True))
    etag = etag_of("metadata", base_url(request), request.headers.get("accept-encoding", ""), *keys)
    if fresh(request, etag):
        return not_modified(etag)
    body = []
    for path, row in zip(paths, rows, strict=True):
        try:
            ds, syntax = read_header(path)
        except DomainError:
            log.error("DICOMweb metadata: stored file %s cannot be read", path.name)
            continue  # one unreadable file must not cost the client the rest of the study
        ds = hold.dataset(row.study.case_uid, ds)
        body.append(instance_json(ds, bulk_url=f"{_instance_url(request, row)}/bulkdata", syntax=syntax))
    return dicom_json(request, body, etag=etag)


@dicomweb_router.get("/studies/{study}/metadata", response_model=None)
def study_metadata(request: Request, study: str, session: SessionDep, principal: PrincipalDep) -> Response:
    return metadata(request, selected_withholding(session, principal, study))


@dicomweb_router.get("/studies/{study}/series/{series}/metadata", response_model=None)
def series_metadata(
    request: Request, study: str, series: str, session: SessionDep, principal: PrincipalDep
) -> Response:
    return metadata(request, selected_withholding(session, principal, study, series))


@dicomweb_router.get("/studies/{study}/series/{series}/instances/{sop}/metadata", response_model=None)
def instance_metadata(
    request: Request, study: str, series: str, sop: str, session: SessionDep, principal: PrincipalDep
) -> Response:
    return metadata(request, selected_withholding(session, principal, study, series, sop))


# Bulk data ---------------------------------------------------------------------------------


def bulkdata(request: Request, selection: tuple[Selected, Withholding], path: str) -> Response:
    """One bulk value named by a metadata BulkDataURI, as a one-part multipart/related octet-stream
    (Pixel Data as all its frames); what metadata withholds cannot be reached here either."""
    rows, hold = selection
    if isinstance(rows, Response):
        return rows
    if accepts(request, OCTET_STREAM) is None:
        return not_acceptable(f'multipart/related; type="{OCTET_STREAM}"')
    paths = stored_paths(request, rows[:1])
    if isinstance(paths, Response):
        return paths
    row = rows[0]
    try:
        steps = parse_bulk_path(path)
        etag = etag_of("bulkdata", row.instance.file_key, hold.applies(row.study.case_uid), *steps)
        if fresh(request, etag):
            return not_modified(etag)
        if is_pixel_data(steps):
            frames = max(row.instance.frames, 1)
            response = multipart_frames(read_frames(paths[0], range(1, frames + 1)), OCTET_STREAM)
        else:
            ds = hold.dataset(row.study.case_uid, read_stored(paths[0], pixels=False))
            boundary = uuid.uuid4().hex
            part = f"--{boundary}\r\nContent-Type: {OCTET_STREAM}\r\n\r\n".encode("ascii")
            body = part + bulk_value(ds, steps) + f"\r\n--{boundary}--\r\n".encode("ascii")
            media_type = f'multipart/related; type="{OCTET_STREAM}"; boundary={boundary}'
            response = Response(body, media_type=media_type)
    except DomainError as exc:
        return refusal(exc)
    response.headers.update(cache_headers(etag))
    return response


@dicomweb_router.get("/studies/{study}/series/{series}/instances/{sop}/bulkdata/{path}", response_model=None)
def instance_bulkdata(
    request: Request, study: str, series: str, sop: str, path: str, session: SessionDep, principal: PrincipalDep
) -> Response:
    return bulkdata(request, selected_withholding(session, principal, study, series, sop), path)
