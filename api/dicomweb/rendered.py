"""WADO-RS rendered and thumbnail resources (PS3.18 10.4.1.1.4, 10.4.1.1.6), drawn by media/'s one renderer.

`rendered` of an instance or frame is one image; of a series or study, one image per instance
in display order, as multipart/related. `thumbnail` of any level is one small image of a
representative instance: the middle one of a series (a CT's middle slice says more than its
first), the middle of the first series of a study. Renditions are cached with /media's.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Final

from fastapi import Request
from fastapi.responses import Response, StreamingResponse
from starlette.background import BackgroundTask

from api.deps import PrincipalDep, SessionDep
from api.dicomweb.common import Selected, accepts, dicomweb_router, not_acceptable, refusal, selected
from content.errors import DomainError, ErrorCode
from content.imaging.dicomweb import InstanceRow
from media import serving
from media.encode import MEDIA_TYPES, Format
from media.render import MAX_SIZE, MIN_SIZE, RenderOptions
from media.store import ContentStore

THUMBNAIL_SIZE: Final = 128  # longest edge of a thumbnail when no viewport is asked for
HEADERS: Final = {"Cache-Control": "private, no-cache", "X-Content-Type-Options": "nosniff"}


def _render_size(request: Request, row: InstanceRow, default: int | None) -> int | None:
    """PS3.18 `viewport=VW,VH`: fit the image inside the box, as our longest-edge size."""
    text = request.query_params.get("viewport")
    if not text:
        return default
    try:
        vw, vh = (int(v) for v in text.split(",")[:2])
        if vw < 1 or vh < 1:
            raise ValueError(text)
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


def _format(request: Request) -> Format | None:
    media_type = accepts(request, "image/jpeg", "image/png")
    if media_type is None:
        return None
    return "png" if media_type == "image/png" else "jpeg"


def _plan(request: Request, row: InstanceRow, fmt: Format, frame: int, default_size: int | None) -> serving.RenderPlan:
    if frame > max(row.instance.frames, 1):
        raise DomainError(ErrorCode.NOT_FOUND, f"the instance has {row.instance.frames} frame(s)", field="frame")
    options = RenderOptions(
        frame=frame, size=_render_size(request, row, default_size), window=_window(request), format=fmt
    )
    return serving.plan_render(
        source_key=row.instance.file_key,
        frames=row.instance.frames,
        longest_edge=max(row.instance.rows or 0, row.instance.columns or 0),
        options=options,
    )


def _one(request: Request, row: InstanceRow, frame: int = 1, default_size: int | None = None) -> Response:
    fmt = _format(request)
    if fmt is None:
        return not_acceptable("image/jpeg or image/png")
    try:
        plan = _plan(request, row, fmt, frame, default_size)
        store = ContentStore(request.app.state.settings.media_dir)
        served = serving.render(store, plan)
    except DomainError as exc:
        return refusal(exc)
    headers = dict(HEADERS)
    if served.placeholder_reason:
        headers["X-Lightbox-Placeholder"] = served.placeholder_reason
    # The rendition is cached after the answer is sent, shared with /media (same key, same bytes).
    return Response(
        served.body,
        media_type=MEDIA_TYPES[fmt],
        headers=headers,
        background=BackgroundTask(serving.store_rendition, store, plan, served),
    )


def _representative(rows: list[InstanceRow]) -> InstanceRow:
    """The middle instance of the first series of the selection (rows come in display order)."""
    first = [r for r in rows if r.series.series_instance_uid == rows[0].series.series_instance_uid]
    return first[len(first) // 2]


def rendered(request: Request, rows: Selected, frame: int = 1) -> Response:
    """An instance's (or one frame's) rendered image."""
    if isinstance(rows, Response):
        return rows
    return _one(request, rows[0], frame)


def thumbnail(request: Request, rows: Selected, frame: int = 1) -> Response:
    """A small image of the selection's representative instance."""
    if isinstance(rows, Response):
        return rows
    return _one(request, _representative(rows), frame, THUMBNAIL_SIZE)


def _rendered_parts(request: Request, rows: list[InstanceRow], fmt: Format, boundary: str) -> Iterator[bytes]:
    store = ContentStore(request.app.state.settings.media_dir)
    for row in rows:
        plan = _plan(request, row, fmt, 1, None)
        served = serving.render(store, plan)
        serving.store_rendition(store, plan, served)
        yield f"--{boundary}\r\nContent-Type: {MEDIA_TYPES[fmt]}\r\n\r\n".encode("ascii") + served.body + b"\r\n"
    yield f"--{boundary}--\r\n".encode("ascii")


def rendered_all(request: Request, rows: Selected) -> Response:
    """A series' or study's instances rendered, one part each, streamed as they are drawn."""
    if isinstance(rows, Response):
        return rows
    fmt = _format(request)
    if fmt is None:
        return not_acceptable('multipart/related; type="image/jpeg" or "image/png"')
    try:  # bad viewport or window parameters are refused before the first byte
        _plan(request, rows[0], fmt, 1, None)
    except DomainError as exc:
        return refusal(exc)
    boundary = uuid.uuid4().hex
    media_type = f'multipart/related; type="{MEDIA_TYPES[fmt]}"; boundary={boundary}'
    return StreamingResponse(_rendered_parts(request, rows, fmt, boundary), media_type=media_type, headers=HEADERS)


def _frame(frames: str) -> int | Response:
    if not frames.isdigit() or int(frames) < 1:  # one frame per image: a list would need a video type
        return refusal(DomainError(ErrorCode.INVALID_INPUT, "one frame number, 1-based", field="frames"))
    return int(frames)


@dicomweb_router.get("/studies/{study}/rendered", response_model=None)
def study_rendered(request: Request, study: str, session: SessionDep, principal: PrincipalDep) -> Response:
    return rendered_all(request, selected(session, principal, study))


@dicomweb_router.get("/studies/{study}/series/{series}/rendered", response_model=None)
def series_rendered(
    request: Request, study: str, series: str, session: SessionDep, principal: PrincipalDep
) -> Response:
    return rendered_all(request, selected(session, principal, study, series))


@dicomweb_router.get("/studies/{study}/series/{series}/instances/{sop}/rendered", response_model=None)
def instance_rendered(
    request: Request, study: str, series: str, sop: str, session: SessionDep, principal: PrincipalDep
) -> Response:
    return rendered(request, selected(session, principal, study, series, sop))


@dicomweb_router.get("/studies/{study}/series/{series}/instances/{sop}/frames/{frames}/rendered", response_model=None)
def frame_rendered(
    request: Request, study: str, series: str, sop: str, frames: str, session: SessionDep, principal: PrincipalDep
) -> Response:
    rows = selected(session, principal, study, series, sop)
    frame = _frame(frames)
    return frame if isinstance(frame, Response) else rendered(request, rows, frame)


@dicomweb_router.get("/studies/{study}/thumbnail", response_model=None)
def study_thumbnail(request: Request, study: str, session: SessionDep, principal: PrincipalDep) -> Response:
    return thumbnail(request, selected(session, principal, study))


@dicomweb_router.get("/studies/{study}/series/{series}/thumbnail", response_model=None)
def series_thumbnail(
    request: Request, study: str, series: str, session: SessionDep, principal: PrincipalDep
) -> Response:
    return thumbnail(request, selected(session, principal, study, series))


@dicomweb_router.get("/studies/{study}/series/{series}/instances/{sop}/thumbnail", response_model=None)
def instance_thumbnail(
    request: Request, study: str, series: str, sop: str, session: SessionDep, principal: PrincipalDep
) -> Response:
    return thumbnail(request, selected(session, principal, study, series, sop))


@dicomweb_router.get("/studies/{study}/series/{series}/instances/{sop}/frames/{frames}/thumbnail", response_model=None)
def frame_thumbnail(
    request: Request, study: str, series: str, sop: str, frames: str, session: SessionDep, principal: PrincipalDep
) -> Response:
    rows = selected(session, principal, study, series, sop)
    frame = _frame(frames)
    return frame if isinstance(frame, Response) else thumbnail(request, rows, frame)
