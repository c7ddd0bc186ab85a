"""HTTP routes for /media (contract/HTTP.md): rendered instances, series previews, originals.

Thin by design: each route authenticates (bearer header or the UI's cookie, through
api.deps.get_reader, the function behind ReaderDep), asks content.imaging.access whether
the caller may see the image, asks media.serving for the bytes, and maps the answer to
HTTP (ETag/304, HEAD, Cache-Control). Refusals are coded JSON (api.errors.error_response);
a forbidden image is 404 or 403, never the pixels.

Why not `ReaderDep`/`SessionDep` parameters: a page of thumbnails is dozens of requests,
and authenticating plus the access query cost ~1 ms of ORM work each, capping a worker at
a few hundred images per second. So a successful check is remembered per (token, image)
for GRANT_TTL_SECONDS and the session is opened only on a miss. Refusals are never cached,
so a new grant works at once; a revoked one (case back to draft) lasts at most that long, far
less than the year the browser may keep an immutable image anyway. An ended session (logout,
password change or reset, deactivation) is refused at once: the key carries the revocation
cache's epoch, which moves whenever any session or token ends (content.security.revocation).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Annotated, Final, TypeVar, cast

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, Response
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool

from api.deps import bearer_of, get_reader, revocations
from api.errors import error_response
from content.errors import DomainError, ErrorCode
from content.imaging import access
from content.principal import Principal
from media import serving
from media.params import render_options
from media.store import ContentStore
from media.ttl_cache import TTLCache

media_router = APIRouter(prefix="/media", tags=["media"])

# Renders and previews sit behind URLs that change with their bytes (media.urls), so the
# browser may keep them for a year without asking; "private" because they are per-user
# permission-checked and must not land in a shared cache.
IMMUTABLE: Final = "private, max-age=31536000, immutable"
# Originals and placeholders are revalidated: a placeholder may turn into an image once
# the file is repaired, and an original's URL carries no version tag.
REVALIDATE: Final = "private, no-cache"
METHODS: Final = ["GET", "HEAD"]
GRANT_TTL_SECONDS: Final = 15.0
GRANT_CACHE_SIZE: Final = 20_000

T = TypeVar("T")
GrantKey = tuple[str, str, str, int]  # (sha256 of the token, kind of check, uid, revocation epoch)


def _grants(request: Request) -> TTLCache[GrantKey, object]:
    """One cache per app (not per module), so two apps never share decisions."""
    cache: TTLCache[GrantKey, object] | None = getattr(request.app.state, "media_grants", None)
    if cache is None:
        cache = TTLCache(ttl_seconds=GRANT_TTL_SECONDS, max_entries=GRANT_CACHE_SIZE)
        request.app.state.media_grants = cache
    return cache


def _check_now(request: Request, check: Callable[..., T], uid: str) -> T:
    with request.app.state.sessions.scope() as session:
        principal: Principal = get_reader(request, session)
        return check(uid, session=session, principal=principal)


async def _allowed(request: Request, kind: str, uid: str, check: Callable[..., T]) -> T:
    """`check(uid, session=, principal=)` from content.imaging.access, or its recent success."""
    token = bearer_of(request, allow_cookie=True)
    live = revocations(request)
    if live is not None and live.due():  # at most once a second: did another process end a session?
        await run_in_threadpool(live.refresh_with, request.app.state.sessions.scope)
    epoch = live.epoch if live is not None else 0
    # Keyed by the token's hash, not the token: the cache holds no credential.
    key = (hashlib.sha256(token.encode()).hexdigest(), kind, uid, epoch) if token else None
    if key is not None and (hit := _grants(request).get(key)) is not None:
        return cast(T, hit)
    value = await run_in_threadpool(_check_now, request, check, uid)
    if key is not None:
        _grants(request).put(key, value)
    return value


def _store(request: Request) -> ContentStore:
    """One store object per app: building its Path on every request showed in profiles."""
    store: ContentStore | None = getattr(request.app.state, "media_store", None)
    if store is None:
        store = ContentStore(request.app.state.settings.media_dir)
        request.app.state.media_store = store
    return store


def _refusal(exc: DomainError) -> Response:
    response = error_response(exc)
    response.headers["Cache-Control"] = "no-store"
    if exc.code in (ErrorCode.UNAUTHENTICATED, ErrorCode.INVALID_CREDENTIALS):
        response.headers["WWW-Authenticate"] = "Bearer"
    return response


def _fresh(request: Request, etag: str) -> bool:
    """If-None-Match names `etag` (weak comparison, as RFC 9110 asks for this header)."""
    header = request.headers.get("if-none-match")
    if not header:
        return False
    if header.strip() == "*":
        return True
    return any(tag.strip().removeprefix("W/").strip('"') == etag for tag in header.split(","))


def _headers(etag: str | None, cache_control: str) -> dict[str, str]:
    headers = {"Cache-Control": cache_control, "X-Content-Type-Options": "nosniff"}
    if etag:
        headers["ETag"] = f'"{etag}"'
    return headers


def _send(request: Request, served: serving.Served) -> Response:
    headers = _headers(served.etag, IMMUTABLE if served.etag else REVALIDATE)
    if served.placeholder_reason:
        headers["X-Lightbox-Placeholder"] = served.placeholder_reason
    if served.etag and _fresh(request, served.etag):
        return Response(status_code=304, headers=headers)
    if request.method == "HEAD":
        headers["Content-Length"] = str(len(served.body))
        return Response(media_type=served.media_type, headers=headers)
    return Response(served.body, media_type=served.media_type, headers=headers)


@media_router.api_route("/instances/{uid}/rendered", methods=METHODS, response_model=None)
@media_router.api_route("/instances/{uid}/rendered/{tag}", methods=METHODS, response_model=None)
async def rendered(
    request: Request,
    uid: str,
    size: str | None = None,
    frame: str | None = None,
    window: str | None = None,
    preset: str | None = None,
    fmt: Annotated[str | None, Query(alias="format")] = None,
) -> Response:
    """One instance rendered at any size, frame, window or preset."""
    try:
        instance = await _allowed(request, "instance", uid, access.viewable_instance)
        options = render_options(size=size, frame=frame, window=window, preset=preset, fmt=fmt)
        plan = serving.plan_render(
            source_key=instance.file_key,
            frames=instance.frames,
            longest_edge=max(instance.rows or 0, instance.columns or 0),
            options=options,
        )
    except DomainError as exc:
        return _refusal(exc)
    if not instance.quarantined and _fresh(request, plan.etag):  # revalidation without touching the store
        return Response(status_code=304, headers=_headers(plan.etag, IMMUTABLE))
    store = _store(request)
    try:
        served = await run_in_threadpool(serving.render, store, plan)  # CPU-bound
    except DomainError as exc:  # a frame the file itself lacks, found only when reading it
        return _refusal(exc)
    if instance.quarantined:
        # A held image may show burned-in text that a review is about to blank: no copy of it
        # is kept, neither as a stored rendition nor in the reviewer's browser cache.
        response = _send(request, serving.Served(served.body, served.media_type, None, served.placeholder_reason))
        response.headers["Cache-Control"] = "no-store"
        return response
    response = _send(request, served)
    # Written after the answer is sent: the client does not wait for the cache.
    response.background = BackgroundTask(serving.store_rendition, store, plan, served)
    return response


@media_router.api_route("/series/{uid}/{kind}", methods=METHODS, response_model=None)
@media_router.api_route("/series/{uid}/{kind}/{tag}", methods=METHODS, response_model=None)
async def series_preview(request: Request, uid: str, kind: str) -> Response:
    """The series thumbnail, montage ("preview") or cine, as stored at import."""
    try:
        series = await _allowed(request, "series", uid, access.viewable_series)
        keys = {"thumbnail": series.thumbnail_key, "preview": series.montage_key, "cine": series.cine_key}
        if kind not in keys:
            raise DomainError(ErrorCode.NOT_FOUND, f"no such preview {kind!r}", field="kind")
        key = keys[kind]
        if key is None:
            raise DomainError(ErrorCode.NOT_FOUND, f"this series has no {kind} yet", field="kind")
    except DomainError as exc:
        return _refusal(exc)
    if _fresh(request, key):
        return Response(status_code=304, headers=_headers(key, IMMUTABLE))
    # Read in the event loop: previews are a few kB from the page cache, cheaper than a
    # thread hop on the path that serves a page of thumbnails.
    return _send(request, serving.stored_preview(_store(request), key))


@media_router.api_route("/instances/{uid}/original", methods=METHODS, response_model=None)
async def original(request: Request, uid: str) -> Response:
    """The de-identified DICOM file, for those who may edit the case; supports Range."""
    try:
        instance = await _allowed(request, "original", uid, access.original_instance)
        path = serving.original_path(_store(request), instance.file_key)
    except DomainError as exc:
        return _refusal(exc)
    headers = _headers(instance.file_key, REVALIDATE)
    if _fresh(request, instance.file_key):
        return Response(status_code=304, headers=headers)
    # Starlette's FileResponse answers HEAD, Range (206, multipart) and If-Range, and 416s
    # a range past the end; our ETag replaces its mtime-based one.
    return FileResponse(
        path, media_type=serving.DICOM_MEDIA_TYPE, headers=headers, filename=f"{instance.sop_instance_uid}.dcm"
    )
