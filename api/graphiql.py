"""GraphiQL at GET /graphql, served from the package's own files under a strict CSP.

The page, its start script and stylesheet live in admin_ui/graphiql; GraphiQL, React and
ReactDOM come from that folder's npm packages (package.json and its lock file, installed by
scripts/setup.sh), never from a CDN. Only the files named below are served, so nothing else
in node_modules is reachable. No inline script or style: the page's policy forbids both.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Final

from fastapi import APIRouter, Request
from fastapi.responses import Response

graphiql_router = APIRouter(prefix="/graphiql", include_in_schema=False)

CSP: Final = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'; object-src 'none'"
)
HEADERS: Final = {
    "Content-Security-Policy": CSP,
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cache-Control": "no-cache",
}
# Served name -> path under admin_ui/graphiql.
FILES: Final = {
    "start.js": "start.js",
    "page.css": "page.css",
    "graphiql.min.js": "node_modules/graphiql/graphiql.min.js",
    "graphiql.min.css": "node_modules/graphiql/graphiql.min.css",
    "react.production.min.js": "node_modules/react/umd/react.production.min.js",
    "react-dom.production.min.js": "node_modules/react-dom/umd/react-dom.production.min.js",
}
CONTENT_TYPES: Final = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
NOT_INSTALLED = "GraphiQL's files are not installed: run scripts/setup.sh (npm ci in admin_ui/graphiql)."


def _folder() -> Traversable:
    return resources.files("admin_ui").joinpath("graphiql")


def installed() -> bool:
    return all(_folder().joinpath(path).is_file() for path in FILES.values())


def page() -> Response:
    if not installed():
        return Response(NOT_INSTALLED, status_code=503, media_type="text/plain", headers=HEADERS)
    return Response(
        _folder().joinpath("index.html").read_bytes(), media_type="text/html; charset=utf-8", headers=HEADERS
    )


@lru_cache(maxsize=16)
def _file(name: str) -> tuple[bytes, str] | None:
    path = FILES.get(name)
    if path is None or not _folder().joinpath(path).is_file():
        return None
    body = _folder().joinpath(path).read_bytes()
    return body, hashlib.sha256(body).hexdigest()[:32]


@graphiql_router.api_route("/static/{name}", methods=["GET", "HEAD"], response_model=None)
def static(name: str, request: Request) -> Response:
    found = _file(name)
    if found is None:
        return Response("not found", status_code=404, media_type="text/plain", headers=HEADERS)
    body, etag = found
    headers = {**HEADERS, "ETag": f'"{etag}"'}
    if request.headers.get("if-none-match", "").strip() == f'"{etag}"':
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=CONTENT_TYPES[name[name.rfind(".") :]], headers=headers)
