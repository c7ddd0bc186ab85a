"""A test LTI 1.3 platform, after the IMS LTI 1.3 Core, Deep Linking 2.0 and AGS 2.0 specifications.

It has its own RSA key and JWKS (served on a loopback port), starts third-party logins at the
tool, answers the tool's OIDC authorisation request with a signed id_token in an auto-post form,
and runs a token endpoint (client-credentials with a JWT assertion, verified against the tool's
JWKS), a line item's score endpoint and a deep-linking return URL: each records what it receives.
"""

from __future__ import annotations

import html
import re
import secrets
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlmodel import Session

from content.lti.platforms import PlatformInput, register_platform
from content.principal import SYSTEM
from tests.helpers import serving

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
DL = "https://purl.imsglobal.org/spec/lti-dl/claim/"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
SCORE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
LINEITEM = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"
_INPUT = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
_ACTION = re.compile(r'<form[^>]*action="([^"]+)"')


def rsa_key() -> tuple[str, Any]:
    """A fresh RSA key: its private PEM and its public key object."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return pem.decode(), key.public_key()


def form_of(page: str) -> tuple[str, dict[str, str]]:
    """The action and hidden fields of an auto-post form page."""
    action = _ACTION.search(page)
    assert action, page
    return html.unescape(action.group(1)), {k: html.unescape(v) for k, v in _INPUT.findall(page)}


@dataclass
class Pending:
    """How the next id_token for a login hint is made (the tests' knobs)."""

    claims: dict[str, Any]
    drop: tuple[str, ...] = ()
    key: str | None = None  # sign with this key instead of the platform's (a bad signature)
    expires_in: int = 300


@dataclass
class Platform:
    tool_url: str
    client_id: str = "lightbox-client"
    deployment_id: str = "deployment-1"
    url: str = ""
    private_pem: str = ""
    kid: str = field(default_factory=lambda: f"platform-{uuid.uuid4().hex[:8]}")
    pending: dict[str, Pending] = field(default_factory=dict)
    auth_requests: list[dict[str, str]] = field(default_factory=list)
    token_requests: list[dict[str, Any]] = field(default_factory=list)
    scores: list[dict[str, Any]] = field(default_factory=list)
    returns: list[dict[str, Any]] = field(default_factory=list)
    tokens: set[str] = field(default_factory=set)
    unavailable: int = 0  # answer this many score posts with 503 first (a gradebook down for a while)
    refused_scores: int = 0  # how many score posts were answered 503

    @property
    def issuer(self) -> str:
        return self.url

    def register(self, scope: Callable[[], AbstractContextManager[Session]], name: str = "") -> None:
        """Register this platform with the tool, as an administrator does (`lightbox lti add-platform`)."""
        data = PlatformInput(
            self.issuer,
            self.client_id,
            self.deployment_id,
            f"{self.url}/auth",
            f"{self.url}/token",
            f"{self.url}/jwks",
            name=name,
        )
        with scope() as session:
            register_platform(data, session=session, principal=SYSTEM)

    def jwks(self) -> dict[str, Any]:
        public = serialization.load_pem_private_key(self.private_pem.encode(), None).public_key()
        jwk = jwt.algorithms.RSAAlgorithm.to_jwk(public, as_dict=True)
        return {"keys": [{**jwk, "kid": self.kid, "alg": "RS256", "use": "sig"}]}

    def tool_keys(self) -> jwt.PyJWKSet:
        return jwt.PyJWKSet.from_dict(httpx.get(f"{self.tool_url}/lti/jwks", timeout=10).json())

    def verify_tool_jwt(self, token: str, audience: str) -> dict[str, Any]:
        """A JWT the tool signed, verified with the key its JWKS publishes under the header's kid."""
        kid = jwt.get_unverified_header(token)["kid"]
        key = next(k for k in self.tool_keys().keys if k.key_id == kid)
        return dict(jwt.decode(token, key.key, algorithms=["RS256"], audience=audience))

    def id_token(self, auth: dict[str, str], pending: Pending) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": self.client_id,
            "azp": self.client_id,
            "sub": "user-1",
            "exp": now + pending.expires_in,
            "iat": now,
            "nonce": auth["nonce"],
            "email": "ann.lee@school.example",
            "name": "Ann Lee",
            f"{LTI}message_type": "LtiResourceLinkRequest",
            f"{LTI}version": "1.3.0",
            f"{LTI}deployment_id": self.deployment_id,
            f"{LTI}target_link_uri": f"{self.tool_url}/lti/launch",
            f"{LTI}resource_link": {"id": "link-1", "title": "Chest list"},
            f"{LTI}context": {"id": "course-1", "title": "Radiology ST1"},
            f"{LTI}roles": [LEARNER],
            **pending.claims,
        }
        for name in pending.drop:
            claims.pop(name, None)
        return jwt.encode(claims, pending.key or self.private_pem, algorithm="RS256", headers={"kid": self.kid})

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.get("/jwks")
        def jwks() -> JSONResponse:
            return JSONResponse(self.jwks())

        @app.get("/auth")
        def auth(request: Request) -> Response:
            params = dict(request.query_params)
            self.auth_requests.append(params)
            pending = self.pending.pop(params.get("login_hint", ""), Pending({}))
            token = self.id_token(params, pending)
            page = (
                f'<form action="{html.escape(params["redirect_uri"])}" method="post">'
                f'<input type="hidden" name="id_token" value="{html.escape(token)}">'
                f'<input type="hidden" name="state" value="{html.escape(params["state"])}"></form>'
            )
            return HTMLResponse(page)

        @app.post("/token")
        async def token(request: Request) -> Response:
            form = dict(parse_qsl((await request.body()).decode()))
            assertion = self.verify_tool_jwt(form["client_assertion"], audience=f"{self.url}/token")
            self.token_requests.append({"form": form, "assertion": assertion})
            issued = secrets.token_urlsafe(16)
            self.tokens.add(issued)
            return JSONResponse(
                {"access_token": issued, "token_type": "Bearer", "expires_in": 3600, "scope": form["scope"]}
            )

        @app.post("/lineitems/{item}/lineitem/scores")
        async def score(item: str, request: Request) -> Response:
            bearer = request.headers.get("authorization", "")[7:]
            if bearer not in self.tokens:
                return JSONResponse({"error": "unauthorized"}, status_code=401)
            if self.unavailable:
                self.unavailable -= 1
                self.refused_scores += 1
                return JSONResponse({"error": "gradebook unavailable"}, status_code=503)
            self.scores.append(
                {"item": item, "content_type": request.headers.get("content-type"), "body": await request.json()}
            )
            return JSONResponse({})

        @app.post("/return")
        async def deep_link_return(request: Request) -> Response:
            form = dict(parse_qsl((await request.body()).decode()))
            self.returns.append(form)
            return HTMLResponse("<p>Added.</p>")

        return app

    def login(
        self,
        client: httpx.Client,
        *,
        hint: str | None = None,
        claims: dict[str, Any] | None = None,
        drop: tuple[str, ...] = (),
        key: str | None = None,
        expires_in: int = 300,
        method: str = "GET",
    ) -> tuple[httpx.Response, str, dict[str, str]]:
        """Initiate a login at the tool, follow it to our /auth: the tool's redirect and the launch form."""
        hint = hint or uuid.uuid4().hex
        self.pending[hint] = Pending(claims or {}, drop, key, expires_in)
        params = {
            "iss": self.issuer,
            "login_hint": hint,
            "target_link_uri": f"{self.tool_url}/lti/launch",
            "lti_message_hint": "resource-1",
            "client_id": self.client_id,
            "lti_deployment_id": self.deployment_id,
        }
        if method == "GET":
            redirect = client.get(f"{self.tool_url}/lti/login", params=params)
        else:
            redirect = client.post(f"{self.tool_url}/lti/login", data=params)
        assert redirect.status_code == 302, redirect.text
        page = httpx.get(redirect.headers["location"], timeout=10)
        action, fields = form_of(page.text)
        return redirect, action, fields

    def ags_claim(self, item: int = 1) -> dict[str, Any]:
        return {
            AGS: {
                "scope": [LINEITEM, SCORE],
                "lineitems": f"{self.url}/lineitems",
                "lineitem": f"{self.url}/lineitems/{item}/lineitem",
            }
        }


@contextmanager
def running_platform(tool_url: str, **kwargs: Any) -> Iterator[Platform]:
    """A platform served on a free loopback port."""
    pem, _ = rsa_key()
    platform = Platform(tool_url=tool_url, private_pem=pem, **kwargs)
    with serving(platform.app()) as url:
        platform.url = url
        yield platform


def host_of(url: str) -> str:
    return urlsplit(url).netloc


Mutator = Callable[[dict[str, Any]], None]
