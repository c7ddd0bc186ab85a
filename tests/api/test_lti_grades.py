"""AGS round trip on both databases: a learner launches a worklist link, is assigned it, reports, is
marked, and the score reaches the test platform's line item (token by a signed JWT assertion)."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from html import unescape
from typing import Any

import httpx
import pytest
from sqlmodel import select

from api.app import create_app
from api.db import SessionFactory
from api.settings import Settings
from content import events
from content.lti.models import LtiLineItem, LtiScore, LtiUserLink
from content.users.models import User
from content.users.service import principal_for
from content.worklists.assignments import assign_worklist
from content.worklists.feedback import give_feedback
from content.worklists.report_fields import ReportFields
from content.worklists.reports import submit_report
from integrations.lti.grades import GradePassback
from schema.core.ids import to_global_id
from tests.content.worklists.conftest import World, world  # noqa: F401  (the fixture)
from tests.helpers import serving
from tests.lti_platform import DL, INSTRUCTOR, LTI, SCORE, Platform, form_of, running_platform

TRANSCRIPT = os.environ.get("LTI_TRANSCRIPT")  # a file to write the round trip to (the closing note)


def note(title: str, payload: Any) -> None:
    if TRANSCRIPT:
        with open(TRANSCRIPT, "a", encoding="utf-8") as out:
            out.write(f"## {title}\n{json.dumps(payload, indent=1, default=str)[:1500]}\n")


@pytest.fixture
def setup(app_settings: Settings, sessions: SessionFactory, bus: events.EventBus) -> Iterator[tuple[str, Platform]]:
    # The app wires GradePassback to its own bus; the world below writes through the test's, so wire it there too.
    GradePassback(sessions.scope, secret=app_settings.secret(), background=False).subscribe(bus)
    with serving(create_app(app_settings)) as tool, running_platform(tool) as platform:
        platform.register(sessions.scope)
        yield tool, platform


def _launch(http: httpx.Client, platform: Platform, claims: dict[str, Any]) -> str:
    redirect, action, fields = platform.login(http, claims=claims)
    note("1. tool's OIDC login answers 302 to the platform", {"location": redirect.headers["location"][:400]})
    note("2. platform posts the id_token to the launch", {"action": action, "state": fields["state"]})
    page = http.post(action, data=fields)
    assert page.status_code == 200, page.text
    target = unescape(re.search(r'data-target="([^"]+)"', page.text).group(1))  # type: ignore[union-attr]
    body = re.sub(r'data-token="[^"]*"', 'data-token="lbs1.…"', page.text[page.text.find("<main>") :])
    note(
        "3. launch answers 200: session cookie + hand-off page",
        {"set-cookie": page.headers["set-cookie"][:60], "body": body},
    )
    return target


def test_marking_sends_the_score_to_the_platform_line_item(setup: tuple[str, Platform], world: World) -> None:  # noqa: F811
    _, platform = setup
    cases = [world.case("Pneumothorax", diagnosis="Pneumothorax"), world.case("Effusion", diagnosis="Effusion")]
    wl = world.worklist(cases)
    claims = {
        f"{LTI}custom": {"lightbox_target": f"worklist:{wl.uid}"},
        "sub": "student-7",
        "email": "sam.khan@school.example",
        **platform.ags_claim(),
    }
    with httpx.Client(timeout=30) as http:
        assert _launch(http, platform, claims) == "/ui/reporting"  # not assigned yet
        session = world.session
        link = session.exec(select(LtiUserLink).where(LtiUserLink.sub == "student-7")).one()
        line = session.exec(select(LtiLineItem)).one()
        assert (line.worklist_uid, line.lineitem_url) == (wl.uid, f"{platform.url}/lineitems/1/lineitem")
        sam = session.get(User, link.user_uid)
        assert sam is not None and sam.roles == ["trainee"]
        [assignment] = assign_worklist(wl.uid, trainee_uids=[sam.uid], session=session, principal=world.trainer)
        assert _launch(http, platform, claims) == f"/ui/reporting/{to_global_id('Assignment', assignment.uid)}"
    me = principal_for(sam, session=session)
    reports = [
        submit_report(
            assignment.uid,
            c.uid,
            ReportFields(observations="Seen", principal_diagnosis=c.title),
            session=session,
            principal=me,
        )
        for c in cases
    ]
    give_feedback(reports[0].uid, score=6, comment="Good", session=session, principal=world.trainer)
    assert platform.scores == []  # half marked: nothing is due yet
    give_feedback(reports[1].uid, score=4, comment="Missed the meniscus", session=session, principal=world.trainer)
    # The token request: client credentials with a JWT assertion the platform verified with the tool's JWKS.
    [token] = platform.token_requests
    assert token["form"]["grant_type"] == "client_credentials"
    assert token["form"]["client_assertion_type"] == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    assert SCORE in token["form"]["scope"].split()
    assert token["assertion"]["iss"] == token["assertion"]["sub"] == platform.client_id
    note(
        "4. tool asks the platform's token endpoint",
        {"form": {**token["form"], "client_assertion": "<jwt>"}, "verified assertion": token["assertion"]},
    )
    [score] = platform.scores
    assert score["item"] == "1" and score["content_type"] == "application/vnd.ims.lis.v1.score+json"
    body = score["body"]
    assert (body["userId"], body["scoreGiven"], body["scoreMaximum"]) == ("student-7", 62.5, 100.0)
    assert (body["activityProgress"], body["gradingProgress"]) == ("Completed", "FullyGraded")
    note("5. score received by the platform's line item", score)
    session.expire_all()
    [sent] = session.exec(select(LtiScore)).all()
    assert (sent.status, sent.score_given, sent.sub) == (200, 62.5, "student-7")


def test_deep_linking_a_worklist_declares_a_line_item(setup: tuple[str, Platform], world: World) -> None:  # noqa: F811
    tool, platform = setup
    wl = world.worklist([world.case("Pneumothorax", diagnosis="Pneumothorax")], title="ST1 chest list")
    settings = {
        "deep_link_return_url": f"{platform.url}/return",
        "accept_types": ["ltiResourceLink"],
        "accept_presentation_document_targets": ["window"],
    }
    claims = {
        f"{LTI}message_type": "LtiDeepLinkingRequest",
        f"{LTI}roles": [INSTRUCTOR],
        f"{DL}deep_linking_settings": settings,
        "sub": "teacher-9",
    }
    with httpx.Client(timeout=30) as http:
        _, action, fields = platform.login(http, claims=claims, drop=(f"{LTI}resource_link",))
        picker = http.post(action, data=fields)
        assert f'value="worklist:{wl.uid}">Worklist: ST1 chest list<' in picker.text
        pick, hidden = form_of(picker.text)
        answer = http.post(pick, data={**hidden, "choice": f"worklist:{wl.uid}"})
        assert answer.status_code == 200, answer.text
        _, posted = form_of(answer.text)
    claims = platform.verify_tool_jwt(posted["JWT"], audience=platform.issuer)
    [item] = claims[f"{DL}content_items"]
    assert item["url"] == f"{tool}/lti/launch" and item["custom"] == {"lightbox_target": f"worklist:{wl.uid}"}
    assert item["lineItem"] == {"scoreMaximum": 100, "label": "ST1 chest list", "resourceId": wl.uid}
    note("deep linking response (verified with the tool's JWKS)", claims)
