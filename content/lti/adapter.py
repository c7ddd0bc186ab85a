"""pylti1p3 without Django or Flask: request, cookie, session and redirect services over our own rows.

pylti1p3 keeps the OIDC state in a browser cookie and the nonce in a web-framework session. Here
both live in one `lti_nonce` row written at login: the "cookie" of a state is that row (a launch
is a cross-site POST, so a SameSite cookie would not come back anyway), and a nonce is valid only
for the state it was issued with and only until a launch consumes it (content.lti.launch).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pylti1p3.cookie import CookieService
from pylti1p3.message_launch import MessageLaunch
from pylti1p3.oidc_login import OIDCLogin
from pylti1p3.redirect import Redirect
from pylti1p3.request import Request
from pylti1p3.session import SessionService
from sqlmodel import Session, select

from content.base import utcnow
from content.lti.models import LtiNonce


class LtiRequest(Request):
    """The parameters of a login or launch request (query string or form), framework-free."""

    def __init__(self, params: Mapping[str, str], *, secure: bool) -> None:
        self.params, self.secure = dict(params), secure

    @property
    def session(self) -> None:
        return None

    def is_secure(self) -> bool:
        return self.secure

    def get_param(self, key: str) -> str:
        return self.params.get(key) or ""


class StateStore(CookieService):
    """The OIDC state, kept server-side: set at login, found again at launch while unexpired."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.issued: str | None = None

    def set_cookie(self, name: str, value: str | int, exp: int | None = 3600) -> None:
        self.issued = str(value)

    def get_cookie(self, name: str) -> str | None:
        row = self.session.get(LtiNonce, name[:100])
        return row.state if row is not None and row.expires > utcnow() else None


class NonceStore(SessionService):
    """Nonces issued at login; a launch's nonce must be the one its state was issued with, unused."""

    def __init__(self, session: Session, request: LtiRequest) -> None:
        self.session, self.request = session, request
        self.issued: str | None = None
        self.launch_data: dict[str, Any] = {}

    def save_nonce(self, nonce: str) -> None:
        self.issued = nonce

    def check_nonce(self, nonce: str) -> bool:
        row = self.session.exec(select(LtiNonce).where(LtiNonce.nonce == nonce[:100])).first()
        return row is not None and row.state == self.request.get_param("state") and row.used_at is None

    def check_state_is_valid(self, state: str, id_token_hash: str) -> bool:
        return False  # always look the state up (StateStore.get_cookie)

    def save_launch_data(self, key: str, jwt_body: Any) -> None:
        self.launch_data[key] = jwt_body  # the launch row is written by content.lti.launch

    def set_state_valid(self, state: str, id_token_hash: str) -> None:
        return None

    def save_state_params(self, state: str, params: Any) -> None:
        return None


class UrlRedirect(Redirect[str]):
    """A redirect as its URL: the HTTP edge turns it into a response."""

    def __init__(self, url: str) -> None:
        self.url = url

    def do_redirect(self) -> str:
        return self.url

    def do_js_redirect(self) -> str:
        return self.url

    def set_redirect_url(self, location: str) -> None:
        self.url = location

    def get_redirect_url(self) -> str:
        return self.url


class Login(OIDCLogin[LtiRequest, Any, NonceStore, StateStore, str]):
    """Third-party-initiated login: the redirect to the platform's authorisation endpoint."""

    def get_redirect(self, url: str) -> Redirect[str]:
        return UrlRedirect(url)


class Launch(MessageLaunch[LtiRequest, Any, NonceStore, StateStore]):
    """A resource-link or deep-linking launch: the id_token checked against the platform's keys."""

    def _get_request_param(self, key: str) -> str:
        return self._request.get_param(key)
