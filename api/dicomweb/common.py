"""What every /dicomweb route shares: the router, content negotiation, refusals, selection and HTTP caching."""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
from email.message import Message
from pathlib import Path
from typing import Final

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session

from api.errors import error_response
from content.errors import DomainError, ErrorCode
from content.imaging import dicomweb as service
from content.imaging.answer_attributes import Withholding, withholding_for
from content.imaging.dicomweb import InstanceRow
from content.principal import Principal
from media.store import ContentStore

log = logging.getLogger("api.dicomweb")
dicomweb_router = APIRouter(prefix="/dicomweb", tags=["dicomweb"])

DICOM_JSON: Final = "application/dicom+json"
DICOM: Final = "application/dicom"
# Every answer depends on the caller (permissions, blind withholding): kept by their browser only,
# and checked with the server (a 304 costs the selection, not the file) before each reuse.
CACHE_CONTROL: Final = "private, no-cache"

Selected = list[InstanceRow] | Response


# Negotiation ---------------------------------------------------------------------------


def ranges(request: Request) -> list[tuple[str, dict[str, str]]]:
    """The Accept header (and PS3.18's `accept` query parameter) as (media type, parameters)."""
    texts = request.query_params.getlist("accept") or [request.headers.get("accept", "*/*")]
    out = []
    for text in ",".join(texts).split(","):
        message = Message()
        message["content-type"] = text.strip() or "*/*"
        params = {k.lower(): v for k, v in message.get_params(failobj=[])[1:] if isinstance(v, str)}
        out.append((message.get_content_type() if text.strip() else "*/*", params))
    return out


def negotiate(request: Request, *wanted: str) -> tuple[str, bool] | None:
    """The first of `wanted` the client accepts, and whether it asked for it inside multipart/related
    (a bare `*/*` or `type/*` accepts the first, multipart when the first is a DICOM type)."""
    for media_type, params in ranges(request):
        if media_type == "*/*":
            return wanted[0], True
        multipart = media_type == "multipart/related"
        if multipart:
            media_type = params.get("type", DICOM)
            if media_type == "*/*":  # multipart/related; type="*/*": any part type we offer
                return wanted[0], True
        for option in wanted:
            if media_type == option or media_type == option.split("/")[0] + "/*":
                return option, multipart
    return None


def accepts(request: Request, *wanted: str) -> str | None:
    """The first of `wanted` the client accepts, multipart or not."""
    found = negotiate(request, *wanted)
    return found[0] if found else None


def refusal(exc: DomainError) -> Response:
    """A coded refusal, with the Bearer challenge when the caller is not signed in."""
    response = error_response(exc)
    if exc.code in (ErrorCode.UNAUTHENTICATED, ErrorCode.INVALID_CREDENTIALS):
        response.headers["WWW-Authenticate"] = "Bearer"
    return response


def not_acceptable(offered: str) -> Response:
    """406 naming what the resource is offered as."""
    return error_response(
        DomainError(ErrorCode.NOT_ACCEPTABLE, f"this resource is offered as {offered}", field="accept")
    )


def base_url(request: Request) -> str:
    """The absolute URL of /dicomweb as the client reached it."""
    return str(request.base_url).rstrip("/") + dicomweb_router.prefix


# Selection ------------------------------------------------------------------------------


def selected(
    session: Session, principal: Principal, study: str, series: str | None = None, sop: str | None = None
) -> Selected:
    """The servable instances the caller may read (the service's rules), or the refusal."""
    try:
        return service.retrievable(study, series, sop, session=session, principal=principal)
    except DomainError as exc:
        return refusal(exc)
    finally:
        # The selection is all the database work of a WADO request: give the connection back
        # before files are read and streamed, which may take minutes for a large study.
        session.close()


def selected_withholding(
    session: Session, principal: Principal, study: str, series: str | None = None, sop: str | None = None
) -> tuple[Selected, Withholding]:
    """The selection and what to withhold from it, read before `selected` gives the session back."""
    hold = withholding_for(session=session, principal=principal)
    return selected(session, principal, study, series, sop), hold


def stored_paths(request: Request, rows: list[InstanceRow]) -> list[Path] | Response:
    """The files of the rows, all or none: checked before the first byte, since a half-sent
    multipart body cannot be taken back and a PACS would believe it holds the whole study."""
    paths = [ContentStore(request.app.state.settings.media_dir).path_for(r.instance.file_key) for r in rows]
    missing = [p for p in paths if not p.is_file()]
    if missing:
        log.error("DICOMweb: %d stored file(s) missing, e.g. %s", len(missing), missing[0].name)
        return refusal(DomainError(ErrorCode.NOT_FOUND, "an image of this selection is missing from storage"))
    return paths


# HTTP caching ---------------------------------------------------------------------------


def etag_of(*parts: object) -> str:
    """A strong validator from what decides the bytes: stored files are content-addressed, so their
    keys, the representation asked for and whether answers were withheld decide the body."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:40]
    return f'"{digest}"'


def fresh(request: Request, etag: str) -> bool:
    """Whether the client's If-None-Match already names this representation."""
    header = request.headers.get("if-none-match")
    if not header:
        return False
    tags = {t.strip().removeprefix("W/") for t in header.split(",")}
    return "*" in tags or etag in tags


def cache_headers(etag: str) -> dict[str, str]:
    """Headers of a cacheable DICOMweb answer."""
    return {"ETag": etag, "Cache-Control": CACHE_CONTROL, "Vary": "Accept, Accept-Encoding, Authorization"}


def not_modified(etag: str) -> Response:
    """304: the client's copy is current."""
    return Response(status_code=304, headers=cache_headers(etag))


# DICOM JSON bodies ----------------------------------------------------------------------

GZIP_MIN: Final = 1024  # smaller bodies are not worth a compressed copy


def gzip_accepted(request: Request) -> bool:
    """Whether Accept-Encoding allows gzip (not refused with q=0)."""
    for item in request.headers.get("accept-encoding", "").split(","):
        name, _, params = item.strip().partition(";")
        if name.strip().lower() in ("gzip", "*"):
            q = params.strip().removeprefix("q=").strip() if params.strip().startswith("q=") else "1"
            try:
                return float(q) > 0
            except ValueError:
                return False
    return False


def dicom_json(
    request: Request, body: object, *, etag: str | None = None, headers: dict[str, str] | None = None
) -> Response:
    """A DICOM JSON answer, gzipped when the client allows it (study metadata shrinks about tenfold)."""
    data = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    out = dict(headers or {})
    if etag is not None:
        out.update(cache_headers(etag))
    else:
        out["Vary"] = "Accept, Accept-Encoding"
    if len(data) >= GZIP_MIN and gzip_accepted(request):
        data = gzip.compress(data, compresslevel=5, mtime=0)
        out["Content-Encoding"] = "gzip"
    return Response(data, media_type=DICOM_JSON, headers=out)
