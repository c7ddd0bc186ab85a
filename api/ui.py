"""The web UI at /ui: the single page, its static modules, and the media cookie.

The UI is plain HTML, CSS and JavaScript modules from the `admin_ui` package, served with a
strict Content-Security-Policy (no inline script or style, nothing from another origin). It
talks to /graphql with a bearer token; `<img>` tags cannot send that header, so after signing
in the page trades its token for an HttpOnly, SameSite=Strict cookie (POST /ui/session) that
only the GET/HEAD media routes accept (api.deps.bearer_of). Signing out (DELETE /ui/session) ends
the session itself (content.security.sessions.logout), so neither the token nor the cookie works after.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import resources
from typing import Final

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.deps import SESSION_COOKIE, SessionDep, bearer_of, revocations
from api.errors import error_response
from content.errors import DomainError, ErrorCode
from content.security.authentication import authenticate
from content.security.sessions import logout

ui_router = APIRouter(prefix="/ui", tags=["ui"], include_in_schema=False)

CONTENT_TYPES: Final = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
}
# 'wasm-unsafe-eval' lets the viewer compile its WebAssembly image codecs (JPEG 2000, JPEG-LS,
# HTJ2K); it allows no eval and no inline script.
CSP: Final = (
    "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'; object-src 'none'"
)
# The bundled DICOM viewer (admin_ui/viewer/dist, built by scripts/setup.sh): its modules, the decoding
# worker and the codecs' WebAssembly, which the worker compiles (hence 'wasm-unsafe-eval', nothing more).
VIEWER_TYPES: Final = {
    ".js": "text/javascript; charset=utf-8",
    ".wasm": "application/wasm",
}
ASSET_SUFFIXES: Final = (".js", ".mjs", ".css", ".svg", ".png", ".ico", ".map", ".json", ".webp")
SECURITY_HEADERS: Final = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


@lru_cache(maxsize=64)
def _asset(name: str) -> tuple[bytes, str] | None:
    """A file of the admin_ui package by plain name (no folders, so no traversal) and its ETag, or None."""
    if "/" in name or "\\" in name or name.startswith(".") or not any(name.endswith(s) for s in CONTENT_TYPES):
        return None
    ref = resources.files("admin_ui").joinpath(name)
    if not ref.is_file():
        return None
    body = ref.read_bytes()
    return body, hashlib.sha256(body).hexdigest()[:32]


@lru_cache(maxsize=64)
def _viewer_asset(name: str) -> tuple[bytes, str] | None:
    """A built viewer file by plain name (no folders, so no traversal) and its ETag, or None until built."""
    if "/" in name or "\\" in name or name.startswith(".") or not any(name.endswith(s) for s in VIEWER_TYPES):
        return None
    ref = resources.files("admin_ui").joinpath("viewer", "dist", name)
    if not ref.is_file():
        return None
    body = ref.read_bytes()
    return body, hashlib.sha256(body).hexdigest()[:32]


def _index() -> Response:
    body = resources.files("admin_ui").joinpath("index.html").read_bytes()
    return Response(
        body, media_type="text/html; charset=utf-8", headers={**SECURITY_HEADERS, "Cache-Control": "no-cache"}
    )


@ui_router.api_route("/static/{name}", methods=["GET", "HEAD"], response_model=None)
def static(name: str, request: Request) -> Response:
    """A module, stylesheet or icon; revalidated on each load (no build step, so no hashed names) by ETag."""
    return _revalidated(_asset(name), name, CONTENT_TYPES, request)


def _revalidated(found: tuple[bytes, str] | None, name: str, types: dict[str, str], request: Request) -> Response:
    """A UI file, or 404; no-cache with its ETag, so a browser revalidates it on each load (304 when unchanged)."""
    if found is None:
        return Response("not found", status_code=404, media_type="text/plain", headers=SECURITY_HEADERS)
    body, etag = found
    headers = {**SECURITY_HEADERS, "Cache-Control": "no-cache", "ETag": f'"{etag}"'}
    if request.headers.get("if-none-match", "").strip() == f'"{etag}"':
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=types[name[name.rfind(".") :]], headers=headers)  # the server drops it for HEAD


@ui_router.api_route("/viewer/{name}", methods=["GET", "HEAD"], response_model=None)
def viewer_asset(name: str, request: Request) -> Response:
    """A file of the bundled viewer (module, chunk, worker or codec), revalidated by ETag like /ui/static."""
    return _revalidated(_viewer_asset(name), name, VIEWER_TYPES, request)


@ui_router.post("/session", response_model=None)
def open_session(request: Request, session: SessionDep) -> Response:
    """Set the media cookie from the bearer token in the Authorization header (never from a cookie)."""
    token = bearer_of(request)
    try:
        principal = authenticate(
            token, session=session, secret=request.app.state.secret, revocations=revocations(request)
        )
    except DomainError as exc:
        return error_response(exc)
    if token is None or principal.is_anonymous:
        return error_response(DomainError(ErrorCode.UNAUTHENTICATED, "a bearer token is required"))
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    set_session_cookie(response, request, token)
    return response


def set_session_cookie(response: Response, request: Request, token: str) -> None:
    """The media cookie for a session's token (also set by an LTI launch, api.lti)."""
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=request.app.state.settings.token_ttl_seconds,
        path="/",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )


@ui_router.delete("/session", response_model=None)
def close_session(request: Request, session: SessionDep) -> Response:
    """Sign out: end the session of the bearer token (or, without one, of the cookie) and drop the cookie.

    The cookie is SameSite=Strict, so another site cannot make a browser send it here."""
    token = bearer_of(request) or request.cookies.get(SESSION_COOKIE)
    try:
        principal = authenticate(
            token, session=session, secret=request.app.state.secret, revocations=revocations(request)
        )
        if not principal.is_anonymous:
            logout(session=session, principal=principal)
    except DomainError:
        pass  # already ended, expired or forged: there is nothing left to end
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    response.delete_cookie(
        SESSION_COOKIE, path="/", httponly=True, samesite="strict", secure=request.url.scheme == "https"
    )
    return response


@ui_router.get("", response_model=None)
@ui_router.get("/", response_model=None)
def index() -> Response:
    return _index()


@ui_router.get("/{route:path}", response_model=None)
def spa_fallback(route: str) -> Response:
    """Client-side routes (/ui/search, /ui/cases/...) get the page; a missing asset stays a 404."""
    if route.startswith("static/") or route.endswith(ASSET_SUFFIXES):
        return error_response(DomainError(ErrorCode.NOT_FOUND, "no such file"), headers=SECURITY_HEADERS)
    return _index()
