"""LTI 1.3 over HTTP: /lti/login, /lti/launch, /lti/jwks and the deep-linking picker (rules in content/lti/).

A launch answers with a small page of our own origin that hands the new session to the UI (its
token into sessionStorage, as signing in does, and the media cookie through POST /ui/session),
then opens the resource. Pages carry no inline script (the UI's CSP): /lti/lti.js does the work.
Refusals are HTML pages with 400, 401 or 403, for a person looking at their VLE.
"""

from __future__ import annotations

import json
from html import escape
from typing import Final
from urllib.parse import parse_qsl, urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from api.deps import SessionDep
from api.limits import read_body
from api.ui import SECURITY_HEADERS, set_session_cookie
from content.errors import DomainError, ErrorCode
from content.lti.deep_linking import Choice, choices, respond
from content.lti.keys import jwks
from content.lti.launch import Accepted, accept_launch
from content.lti.login import begin_login
from integrations.lti.keysets import fetch_key_set
from schema.core.ids import to_global_id

lti_router = APIRouter(prefix="/lti", tags=["lti"], include_in_schema=False)

MAX_FORM: Final = 64 * 1024  # an id_token is a few kilobytes
STATUS: Final = {ErrorCode.INVALID_INPUT: 400, ErrorCode.UNAUTHENTICATED: 401, ErrorCode.FORBIDDEN: 403}
SCRIPT: Final = """// LTI pages: hand a launch's session to the UI, or post a form on to the platform.
const hand = document.getElementById('lti-handoff');
if (hand) {
  sessionStorage.setItem('lightbox.token', hand.dataset.token);
  sessionStorage.setItem('lightbox.user', hand.dataset.user);
  fetch('/ui/session', { method: 'POST', credentials: 'same-origin',
    headers: { Authorization: `Bearer ${hand.dataset.token}` } })
    .finally(() => location.replace(hand.dataset.target));
}
const form = document.getElementById('lti-autosubmit');
if (form) form.submit();
"""


def _csp(form_target: str = "") -> str:
    return (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        f"form-action 'self'{(' ' + form_target) if form_target else ''}; base-uri 'none'; frame-ancestors 'none'"
    )


def _page(title: str, body: str, *, status: int = 200, form_target: str = "") -> Response:
    html = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<title>{escape(title)} · Lightbox</title><link rel="stylesheet" href="/ui/static/app.css">'
        f'<script type="module" src="/lti/lti.js"></script></head><body><main>{body}</main></body></html>'
    )
    headers = {**SECURITY_HEADERS, "Content-Security-Policy": _csp(form_target), "Cache-Control": "no-store"}
    return Response(html, status_code=status, media_type="text/html; charset=utf-8", headers=headers)


def refusal_page(exc: DomainError) -> Response:
    """A refused login or launch, said plainly, with 400/401/403 (404 for a resource that is gone)."""
    status = STATUS.get(exc.code, 404 if exc.code is ErrorCode.NOT_FOUND else 400)
    body = (
        f"<h1>Lightbox could not open this link</h1><p>{escape(exc.message)}</p>"
        f"<p>Code: <code>{escape(exc.code.value)}</code>. If it happens again, tell your course administrator.</p>"
    )
    return _page("Launch refused", body, status=status)


async def _params(request: Request) -> dict[str, str]:
    """The query (GET) or urlencoded form (POST) of a login or launch, refused if oversized or holding NUL."""
    try:
        if request.method == "GET":
            params = dict(request.query_params.items())
        else:
            raw = await read_body(request, MAX_FORM, "LTI form")
            params = dict(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True, max_num_fields=50))
    except ValueError as exc:  # more fields than any LTI message has
        raise DomainError(ErrorCode.INVALID_INPUT, "The request has too many fields.") from exc
    if len(params) > 50 or any("\x00" in k or "\x00" in v for k, v in params.items()):
        raise DomainError(ErrorCode.INVALID_INPUT, "The request holds text no LTI message has (NUL characters).")
    return params


def _launch_url(request: Request) -> str:
    return str(request.url_for("lti_launch"))


@lti_router.api_route("/login", methods=["GET", "POST"], response_model=None)
async def lti_login(request: Request, session: SessionDep) -> Response:
    """OIDC third-party-initiated login: redirect to the platform's authorisation endpoint."""
    try:
        params = await _params(request)
        url = begin_login(
            params, launch_url=_launch_url(request), secure=request.url.scheme == "https", session=session
        )
    except DomainError as exc:
        return refusal_page(exc)
    return RedirectResponse(url, status_code=302, headers={"Cache-Control": "no-store"})


def _handoff(request: Request, accepted: Accepted) -> Response:
    user = accepted.user
    person = {
        "id": to_global_id("User", user.uid),
        "username": user.username,
        "displayName": user.display_name,
        "roles": user.roles,
    }
    body = (
        f'<div id="lti-handoff" data-token="{escape(accepted.token)}" data-user="{escape(json.dumps(person))}" '
        f'data-target="{escape(accepted.page)}"><p>Opening <a href="{escape(accepted.page)}">Lightbox</a>…</p></div>'
    )
    response = _page("Opening Lightbox", body)
    set_session_cookie(response, request, accepted.token)
    return response


def _picker(request: Request, accepted: Accepted, offered: list[Choice]) -> Response:
    options = "".join(f'<option value="{escape(c.target)}">{escape(c.title)}</option>' for c in offered)
    body = (
        "<h1>Choose what to link from your course</h1>"
        f'<form method="post" action="{escape(str(request.url_for("lti_deep_link")))}">'
        f'<input type="hidden" name="launch" value="{escape(accepted.launch_uid)}">'
        f'<input type="hidden" name="ticket" value="{escape(accepted.ticket or "")}">'
        f'<label>Resource <select name="choice" required>{options}</select></label> '
        '<button type="submit">Add to the course</button></form>'
    )
    return _page("Choose a resource", body)


@lti_router.post("/launch", response_model=None)
async def lti_launch(request: Request, session: SessionDep) -> Response:
    """The platform's form post of an id_token: sign the person in and open the resource (or the picker)."""
    try:
        params = await _params(request)
        accepted = accept_launch(
            params,
            secure=request.url.scheme == "https",
            session=session,
            secret=request.app.state.secret,
            ttl_seconds=request.app.state.settings.token_ttl_seconds,
            ids=to_global_id,
            key_set=fetch_key_set,
        )
        if accepted.deep_linking:
            return _picker(request, accepted, choices(accepted.launch_uid, accepted.ticket or "", session=session))
    except DomainError as exc:
        return refusal_page(exc)
    return _handoff(request, accepted)


@lti_router.post("/deep-link", response_model=None)
async def lti_deep_link(request: Request, session: SessionDep) -> Response:
    """The picker's choice: post the signed LtiDeepLinkingResponse back to the platform."""
    try:
        form = await _params(request)
        answer = respond(
            form.get("launch", ""),
            form.get("ticket", ""),
            form.get("choice", ""),
            launch_url=_launch_url(request),
            session=session,
            secret=request.app.state.secret,
        )
    except DomainError as exc:
        return refusal_page(exc)
    parts = urlsplit(answer.return_url)
    body = (
        f'<form id="lti-autosubmit" method="post" action="{escape(answer.return_url)}">'
        f'<input type="hidden" name="JWT" value="{escape(answer.jwt)}">'
        '<button type="submit">Return to the course</button></form>'
    )
    return _page("Returning to your course", body, form_target=f"{parts.scheme}://{parts.netloc}")


@lti_router.get("/jwks", response_model=None)
def lti_jwks(session: SessionDep) -> JSONResponse:
    """The tool's public keys (a JWK Set), for platforms to verify what the tool signs."""
    return JSONResponse(jwks(session=session), headers={"Cache-Control": "public, max-age=300"})


@lti_router.get("/lti.js", response_model=None)
def lti_script() -> Response:
    return Response(
        SCRIPT, media_type="text/javascript; charset=utf-8", headers={**SECURITY_HEADERS, "Cache-Control": "no-cache"}
    )
