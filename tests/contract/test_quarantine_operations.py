"""The quarantine review operations of docs/contract/trust.graphql, run verbatim against a live app."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from sqlmodel import Session, select

from api.db import SessionFactory
from api.settings import Settings
from content.audit import AuditEvent
from content.imaging.models import Instance
from content.principal import SYSTEM
from content.users.service import add_user, principal_for
from media.store import ContentStore
from tests.contract.test_partner_operations import login, operation
from tests.importers.importing import copy_real, make_collection, run_import

LIST = operation("trust.graphql", "QuarantinedImages")
REVIEW = operation("trust.graphql", "ReviewQuarantinedImage")


@pytest.fixture
def held(session: Session, sessions: SessionFactory, app_settings: Settings, tmp_path: Path) -> list[str]:
    """Three held images (two ultrasounds, one screen capture) imported by the trainer."""
    for name, role in (("trainer", "trainer"), ("trainee", "trainee"), ("other", "contributor")):
        add_user(name, roles=[role], password="correct horse battery", session=session, principal=SYSTEM)
    from content.users.models import User

    trainer = principal_for(session.exec(select(User).where(User.username == "trainer")).one(), session=session)
    files = copy_real(tmp_path / "in", "ExplVR_BigEnd.dcm", "SC_rgb.dcm", "color-pl.dcm")
    run_import(sessions, ContentStore(app_settings.media_dir), files, make_collection(sessions), principal=trainer)
    with sessions.scope() as s:
        return sorted(i.uid for i in s.exec(select(Instance)) if i.quarantined)


def _rows(sessions: SessionFactory) -> list[tuple[str, str, bool]]:
    with sessions.scope() as s:
        return sorted((i.uid, i.file_key, i.quarantined) for i in s.exec(select(Instance)))


def test_reviewers_page_through_held_images_and_others_see_none(live_server, held, sessions) -> None:
    assert len(held) == 3
    token = login(live_server, "trainer")
    first = live_server.gql(LIST, {"first": 2}, token=token)["data"]["quarantinedImages"]
    assert first["totalCount"] == 3 and len(first["edges"]) == 2 and first["pageInfo"]["hasNextPage"]
    rest = live_server.gql(LIST, {"first": 2, "after": first["pageInfo"]["endCursor"]}, token=token)["data"][
        "quarantinedImages"
    ]
    assert len(rest["edges"]) == 1 and not rest["pageInfo"]["hasNextPage"]
    nodes = [e["node"] for e in first["edges"] + rest["edges"]]
    assert len({n["id"] for n in nodes}) == 3
    for node in nodes:
        assert node["renderedUrl"].startswith("/media/instances/") and node["rows"] and node["columns"]
        assert node["frameCount"] >= 1 and node["quarantineReason"]
        assert node["case"]["title"] and node["case"]["id"]
        for r in node["proposedRegions"]:
            assert r["x"] + r["width"] <= node["columns"] and r["y"] + r["height"] <= node["rows"]
    for name in ("trainee", "other"):  # a trainee, and a contributor who may not see another's draft
        none = live_server.gql(LIST, token=login(live_server, name))["data"]["quarantinedImages"]
        assert none == {"totalCount": 0, "edges": [], "pageInfo": {"hasNextPage": False, "endCursor": None}}
    bad = live_server.gql(LIST, {"after": "not-a-cursor"}, token=token)
    assert bad["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
    anonymous = live_server.gql(LIST)
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_review_release_redact_reject_and_the_refusals(live_server, held, sessions, app_settings) -> None:
    token = login(live_server, "trainer")
    nodes = [e["node"] for e in live_server.gql(LIST, token=token)["data"]["quarantinedImages"]["edges"]]
    first, second, third = nodes

    # A held image is shown to its reviewer, but neither stored as a rendition nor cached by the browser.
    shown = httpx.get(f"{live_server.url}{first['renderedUrl']}", headers={"Authorization": f"Bearer {token}"})
    assert shown.status_code == 200 and shown.headers["cache-control"] == "no-store"
    assert not list((app_settings.media_dir / "renditions").rglob("*"))

    before = _rows(sessions)
    refusals = [
        ("trainee", {"instance": first["id"], "action": "RELEASE"}, "NOT_FOUND"),
        ("other", {"instance": first["id"], "action": "REJECT"}, "NOT_FOUND"),
        (
            "trainer",
            {
                "instance": first["id"],
                "action": "REDACT",
                "regions": [{"x": first["columns"] - 5, "y": 0, "width": 10, "height": 10}],
            },
            "INVALID_INPUT",
        ),
        ("trainer", {"instance": first["id"], "action": "REDACT", "regions": []}, "INVALID_INPUT"),
        ("trainer", {"instance": "SW5zdGFuY2U6MDAwMA", "action": "RELEASE"}, "NOT_FOUND"),  # Instance:0000
    ]
    for who, variables, code in refusals:
        out = live_server.gql(REVIEW, variables, token=login(live_server, who))["data"]["reviewQuarantinedImage"]
        assert out == {"instance": None, "errors": [out["errors"][0]]} and out["errors"][0]["code"] == code, who
    assert _rows(sessions) == before

    released = live_server.gql(REVIEW, {"instance": first["id"], "action": "RELEASE"}, token=token)
    assert released["data"]["reviewQuarantinedImage"] == {
        "instance": {"id": first["id"], "quarantined": False},
        "errors": [],
    }
    again = live_server.gql(REVIEW, {"instance": first["id"], "action": "REJECT"}, token=token)
    assert again["data"]["reviewQuarantinedImage"]["errors"][0]["code"] == "VERSION_CONFLICT"

    box = {"x": 1, "y": 2, "width": second["columns"] - 1, "height": 10}
    redacted = live_server.gql(REVIEW, {"instance": second["id"], "action": "REDACT", "regions": [box]}, token=token)
    assert redacted["data"]["reviewQuarantinedImage"] == {
        "instance": {"id": second["id"], "quarantined": False},
        "errors": [],
    }
    rejected = live_server.gql(REVIEW, {"instance": third["id"], "action": "REJECT"}, token=token)
    assert rejected["data"]["reviewQuarantinedImage"] == {"instance": None, "errors": []}

    left = live_server.gql(LIST, token=token)["data"]["quarantinedImages"]
    assert left["totalCount"] == 0
    after = _rows(sessions)
    assert len(after) == 2 and not any(q for _, _, q in after)
    with sessions.scope() as s:
        actions = sorted(e.action for e in s.exec(select(AuditEvent)) if e.action.startswith("instance."))
    assert actions == ["instance.redact", "instance.reject", "instance.release"]
