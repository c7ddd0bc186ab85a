"""LTI 1.3 against a platform built from the IMS specifications (tests/lti_platform.py), on both databases.

The tool is the real app over HTTP; the platform runs on its own port. The cases are the IMS
certification checklist's tool-side ones: a valid launch, an invalid signature, a wrong audience,
a missing deployment id, a replayed nonce, an expired token, an unknown issuer; and deep linking.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlmodel import Session, func, select

from api.app import create_app
from api.db import SessionFactory
from api.settings import Settings
from content.audit import AuditEvent
from content.lti.models import LtiLaunch, LtiUserLink
from content.principal import SYSTEM
from content.security.models import SignInSession
from content.users.models import User
from tests.helpers import graphql, serving
from tests.lti_platform import DL, INSTRUCTOR, LTI, Platform, form_of, rsa_key, running_platform


@dataclass
class Setup:
    tool: str
    platform: Platform
    http: httpx.Client
    sessions: SessionFactory


@pytest.fixture
def lti(app_settings: Settings, sessions: SessionFactory) -> Iterator[Setup]:
    with serving(create_app(app_settings)) as tool, running_platform(tool) as platform:
        platform.register(sessions.scope, name="Test VLE")
        with httpx.Client(base_url=tool, timeout=30) as http:
            yield Setup(tool, platform, http, sessions)


def counts(session: Session) -> tuple[int, ...]:
    return tuple(
        int(session.exec(select(func.count()).select_from(t)).one()) for t in (User, LtiUserLink, SignInSession)
    )


def handoff(page: str) -> dict[str, str]:
    found = re.search(r'id="lti-handoff" data-token="([^"]+)" data-user="([^"]+)" data-target="([^"]+)"', page)
    assert found, page
    return {"token": unescape(found.group(1)), "user": unescape(found.group(2)), "target": unescape(found.group(3))}


def test_valid_launch_signs_in_opens_the_topic_and_is_audited(lti: Setup) -> None:
    redirect, action, fields = lti.platform.login(
        lti.http, claims={f"{LTI}custom": {"lightbox_target": "study:NEURO.STROKE"}}
    )
    # The OIDC authorisation request (LTI 1.3 core §5.1.1.2).
    auth = parse_qs(urlsplit(redirect.headers["location"]).query)
    assert {k: v[0] for k, v in auth.items() if k not in ("state", "nonce", "login_hint")} == {
        "scope": "openid",
        "response_type": "id_token",
        "response_mode": "form_post",
        "prompt": "none",
        "client_id": lti.platform.client_id,
        "redirect_uri": f"{lti.tool}/lti/launch",
        "lti_message_hint": "resource-1",
    }
    assert action == f"{lti.tool}/lti/launch"
    launched = lti.http.post(action, data=fields)
    assert launched.status_code == 200, launched.text
    assert "frame-ancestors 'none'" in launched.headers["content-security-policy"]
    given = handoff(launched.text)
    assert given["target"] == "/ui/study?node=NEURO.STROKE"
    assert launched.cookies.get("lightbox_session") == given["token"]
    me = graphql(lti.tool, "{ me { username roles } }", token=given["token"])["data"]["me"]
    assert me == {"username": "ann.lee", "roles": ["trainee"]} and json.loads(given["user"])["username"] == "ann.lee"
    with lti.sessions.scope() as session:
        [row] = session.exec(select(LtiLaunch)).all()
        assert (row.accepted, row.sub, row.message_type, row.target) == (
            True,
            "user-1",
            "LtiResourceLinkRequest",
            "/ui/study?node=NEURO.STROKE",
        )
        [audit] = session.exec(select(AuditEvent).where(AuditEvent.action == "lti.launch")).all()
        assert audit.actor_name == "ann.lee" and audit.detail["created_person"] is True
        before = counts(session)
    # The same person again (a POST-initiated login this time): matched by issuer+sub, not created twice.
    _, action, fields = lti.platform.login(
        lti.http, claims={f"{LTI}custom": {"lightbox_target": "progress"}}, method="POST"
    )
    again = lti.http.post(action, data=fields)
    assert handoff(again.text)["target"] == "/ui/study/progress"
    with lti.sessions.scope() as session:
        assert counts(session)[:2] == before[:2]
    # Another sub with the same email on this platform is someone else: a new person, not Ann's account.
    _, action, fields = lti.platform.login(lti.http, claims={"sub": "user-2"})
    other = handoff(lti.http.post(action, data=fields).text)
    assert json.loads(other["user"])["username"] != "ann.lee"
    with lti.sessions.scope() as session:
        assert counts(session)[:2] == (before[0] + 1, before[1] + 1)


def _refused(lti: Setup, fields: dict[str, str], action: str, status: int, words: str) -> None:
    with lti.sessions.scope() as session:
        before = counts(session)
        launches = int(session.exec(select(func.count()).select_from(LtiLaunch)).one())
    answer = lti.http.post(action, data=fields)
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("text/html") and words in answer.text
    assert "lti-handoff" not in answer.text and "lightbox_session" not in answer.headers.get("set-cookie", "")
    with lti.sessions.scope() as session:
        assert counts(session) == before  # nothing half-written: no person, link or session
        rows = session.exec(select(LtiLaunch).order_by(LtiLaunch.at)).all()  # type: ignore[arg-type]
        assert len(rows) == launches + 1 and rows[-1].accepted is False and words in rows[-1].reason
        assert session.exec(select(AuditEvent).where(AuditEvent.action == "lti.launch.refused")).first()


@pytest.mark.parametrize(
    ("case", "status", "words"),
    [
        ("bad_signature", 401, "signature"),
        ("wrong_audience", 401, "wrong audience"),
        ("missing_deployment", 400, "no deployment id"),
        ("unknown_deployment", 403, "deployment of the tool is not registered"),
        ("expired", 401, "expired"),
        ("unknown_issuer", 403, "not registered"),
        ("learner_less", 403, "has no place in Lightbox"),
    ],
)
def test_bad_launches_are_refused_with_a_clear_page(lti: Setup, case: str, status: int, words: str) -> None:
    knobs: dict[str, object] = {
        "bad_signature": {"key": rsa_key()[0]},
        "wrong_audience": {"claims": {"aud": "another-tool"}},
        "missing_deployment": {"drop": (f"{LTI}deployment_id",)},
        "unknown_deployment": {"claims": {f"{LTI}deployment_id": "deployment-9"}},
        "expired": {"expires_in": -120},
        "unknown_issuer": {"claims": {"iss": "https://vle.unknown.example"}},
        "learner_less": {"claims": {f"{LTI}roles": ["http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor"]}},
    }[case]
    _, action, fields = lti.platform.login(lti.http, **knobs)  # type: ignore[arg-type]
    _refused(lti, fields, action, status, words)


def test_a_replayed_launch_is_refused(lti: Setup) -> None:
    _, action, fields = lti.platform.login(lti.http)
    assert lti.http.post(action, data=fields).status_code == 200
    _refused(lti, fields, action, 401, "replayed nonce")
    # A launch with a state the tool never issued.
    _refused(lti, {**fields, "state": "state-forged"}, action, 401, "unknown or has expired")


def test_login_from_an_unknown_issuer_or_without_a_hint_is_refused(lti: Setup) -> None:
    unknown = lti.http.get("/lti/login", params={"iss": "https://vle.unknown.example", "login_hint": "x"})
    assert unknown.status_code == 403 and "not registered" in unknown.text
    no_hint = lti.http.get("/lti/login", params={"iss": lti.platform.issuer})
    assert no_hint.status_code == 400 and "login hint" in no_hint.text.lower()
    assert lti.http.post("/lti/launch", data={"state": "x"}).status_code in (400, 401)
    assert lti.http.post("/lti/launch", content=b"\x00" * 10).status_code == 400
    assert lti.http.post("/lti/launch", data={"state": "a\x00b", "id_token": "x"}).status_code == 400
    # A refused token's claims are audited; NUL in them (which no database stores) is dropped, not a 500.
    body = base64.urlsafe_b64encode(json.dumps({"iss": "\u0000evil", "sub": "\x00"}).encode()).decode().rstrip("=")
    nul = lti.http.post("/lti/launch", data={"state": "state-none", "id_token": f"e30.{body}.x"})
    assert nul.status_code == 401
    with lti.sessions.scope() as session:
        assert session.exec(select(LtiLaunch).where(LtiLaunch.issuer == "evil")).one().accepted is False


def test_jwks_publishes_the_tool_key_and_rotation_keeps_the_old_one(lti: Setup) -> None:
    from content.lti.keys import rotate, signing_key

    with lti.sessions.scope() as session:
        first = signing_key(session=session, secret=b"t" * 40).kid
        keys = lti.http.get("/lti/jwks").json()["keys"]
        assert [k["kid"] for k in keys] == [first] and {k["alg"] for k in keys} == {"RS256"}
        assert all("d" not in k for k in keys)  # public parts only
        second = rotate(session=session, secret=b"t" * 40)
    assert [k["kid"] for k in lti.http.get("/lti/jwks").json()["keys"]] == [second, first]


def test_deep_linking_response_is_signed_with_the_published_key(lti: Setup, sessions: SessionFactory) -> None:
    settings = {
        "deep_link_return_url": f"{lti.platform.url}/return",
        "accept_types": ["ltiResourceLink"],
        "accept_presentation_document_targets": ["window"],
        "data": "opaque-platform-data",
    }
    _, action, fields = lti.platform.login(
        lti.http,
        claims={
            f"{LTI}message_type": "LtiDeepLinkingRequest",
            f"{LTI}roles": [INSTRUCTOR],
            f"{DL}deep_linking_settings": settings,
            "sub": "teacher-1",
            "email": "dr.shaw@school.example",
        },
        drop=(f"{LTI}resource_link",),
    )
    picker = lti.http.post(action, data=fields)
    assert picker.status_code == 200 and "Choose what to link" in picker.text
    options = re.findall(r'<option value="([^"]+)">', picker.text)
    assert "study:gaps" in options and "progress" in options
    pick_action, hidden = form_of(picker.text)
    answer = lti.http.post(pick_action, data={**hidden, "choice": "study:gaps"})
    assert answer.status_code == 200, answer.text
    back, posted = form_of(answer.text)
    assert (
        back == f"{lti.platform.url}/return"
        and f"form-action 'self' {lti.platform.url}" in answer.headers["content-security-policy"]
    )
    # The platform verifies the response with the key the tool's JWKS publishes (Deep Linking 2.0 §4.2).
    claims = lti.platform.verify_tool_jwt(posted["JWT"], audience=lti.platform.issuer)
    assert claims["iss"] == lti.platform.client_id
    assert claims[f"{LTI}message_type"] == "LtiDeepLinkingResponse"
    assert claims[f"{LTI}deployment_id"] == lti.platform.deployment_id
    assert claims[f"{DL}data"] == "opaque-platform-data"
    [item] = claims[f"{DL}content_items"]
    assert item["type"] == "ltiResourceLink" and item["url"] == f"{lti.tool}/lti/launch"
    assert item["custom"] == {"lightbox_target": "study:gaps"}
    assert httpx.post(back, data=posted).status_code == 200 and lti.platform.returns[0]["JWT"] == posted["JWT"]
    # The ticket is used up; a tampered one never worked.
    assert lti.http.post(pick_action, data={**hidden, "choice": "progress"}).status_code == 401
    assert lti.http.post(pick_action, data={**hidden, "ticket": "x", "choice": "progress"}).status_code == 401


def test_a_learner_may_not_deep_link(lti: Setup) -> None:
    settings = {
        "deep_link_return_url": f"{lti.platform.url}/return",
        "accept_types": ["ltiResourceLink"],
        "accept_presentation_document_targets": ["window"],
    }
    _, action, fields = lti.platform.login(
        lti.http, claims={f"{LTI}message_type": "LtiDeepLinkingRequest", f"{DL}deep_linking_settings": settings}
    )
    _refused(lti, fields, action, 403, "Only instructors")


def test_email_claims_an_existing_person_but_never_an_administrator(lti: Setup) -> None:
    from content.users.service import add_user

    with lti.sessions.scope() as session:
        for name, role in (("dr.shaw", "trainer"), ("root", "administrator")):
            add_user(
                name, roles=[role], password=None, email=f"{name}@school.example", session=session, principal=SYSTEM
            )
    _, action, fields = lti.platform.login(lti.http, claims={"sub": "s-1", "email": "Dr.Shaw@school.example"})
    shaw = json.loads(handoff(lti.http.post(action, data=fields).text)["user"])
    assert (shaw["username"], shaw["roles"]) == ("dr.shaw", ["trainer"])  # a Learner launch changes no roles
    _, action, fields = lti.platform.login(lti.http, claims={"sub": "s-2", "email": "root@school.example"})
    other = json.loads(handoff(lti.http.post(action, data=fields).text)["user"])
    assert other["username"] != "root" and other["roles"] == ["trainee"]
