"""The partner contract's operations (docs/contract) run verbatim against a live app."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlmodel import Session

from content.principal import SYSTEM
from content.users.service import add_user
from tests.content import factories as f

# The repository's own tested copy of the agreed contract (new operations land there first).
CONTRACT = Path(__file__).resolve().parents[2] / "docs" / "contract"


def operation(file: str, name: str) -> str:
    text = (CONTRACT / file).read_text()
    blocks = re.split(r"\n(?=(?:#[^\n]*\n)*(?:query|mutation) )", text)
    for block in blocks:
        if re.search(rf"(query|mutation) {name}\b", block):
            return block
    raise AssertionError(f"{name} not in {file}")


@pytest.fixture
def people(session: Session) -> dict:
    f.curriculum(session)
    for name, role in (("trainer", "trainer"), ("trainee", "trainee"), ("admin", "administrator")):
        add_user(name, roles=[role], password="correct horse battery", session=session, principal=SYSTEM)
    return {}


def login(live, name: str) -> str:
    out = live.gql(operation("auth.graphql", "Login"), {"username": name, "password": "correct horse battery"})
    assert out["data"]["login"]["errors"] == []
    return out["data"]["login"]["token"]


def test_login_me_and_wrong_password(live_server, people) -> None:
    bad = live_server.gql(operation("auth.graphql", "Login"), {"username": "trainer", "password": "nope"})
    assert bad["data"]["login"]["token"] is None
    assert bad["data"]["login"]["errors"][0]["code"] == "INVALID_CREDENTIALS"
    token = login(live_server, "trainer")
    me = live_server.gql(operation("auth.graphql", "Me"), token=token)
    assert me["data"]["me"]["username"] == "trainer" and me["data"]["me"]["roles"] == ["trainer"]
    anon = live_server.gql(operation("auth.graphql", "Me"))
    assert anon["data"]["me"] is None


def test_collections_create_and_list(live_server, people) -> None:
    token = login(live_server, "trainer")
    made = live_server.gql(
        operation("collections.graphql", "CreateCollection"), {"input": {"title": "North Region"}}, token=token
    )
    north = made["data"]["createCollection"]["collection"]
    assert north["path"] == "/north-region"
    child = live_server.gql(
        operation("collections.graphql", "CreateCollection"),
        {"input": {"title": "Leeds", "parent": north["id"]}},
        token=token,
    )
    assert child["data"]["createCollection"]["collection"]["path"] == "/north-region/leeds"
    clash = live_server.gql(
        operation("collections.graphql", "CreateCollection"),
        {"input": {"title": "Leeds", "parent": north["id"]}},
        token=token,
    )
    assert clash["data"]["createCollection"]["errors"][0]["code"] == "PATH_CLASH"
    listed = live_server.gql(operation("collections.graphql", "Collections"), token=token)["data"]["collections"]
    assert [c["path"] for c in listed] == ["/north-region", "/north-region/leeds"]
    assert listed[1]["parent"]["id"] == north["id"] and listed[1]["caseCount"] == 0
    trainee = login(live_server, "trainee")
    refused = live_server.gql(
        operation("collections.graphql", "CreateCollection"), {"input": {"title": "Mine"}}, token=trainee
    )
    assert refused["data"]["createCollection"]["errors"][0]["code"] == "FORBIDDEN"


def test_create_and_update_case(live_server, people) -> None:
    token = login(live_server, "trainer")
    coll = live_server.gql(
        operation("collections.graphql", "CreateCollection"), {"input": {"title": "Leeds"}}, token=token
    )["data"]["createCollection"]["collection"]
    created = live_server.gql(
        operation("editing.graphql", "CreateCase"),
        {
            "input": {
                "collection": coll["id"],
                "title": "Left MCA infarct",
                "curriculumCodes": ["NEURO.STROKE.ISCHAEMIC"],
                "difficulty": "FOUNDATION",
                "tags": ["mca"],
            }
        },
        token=token,
    )["data"]["createCase"]
    assert created["errors"] == [] and created["case"]["state"] == "DRAFT" and created["case"]["version"] == 1
    case_id = created["case"]["id"]
    bad_code = live_server.gql(
        operation("editing.graphql", "CreateCase"),
        {"input": {"collection": coll["id"], "title": "x", "curriculumCodes": ["NOPE.X"]}},
        token=token,
    )["data"]["createCase"]
    assert bad_code["case"] is None and bad_code["errors"][0]["code"] == "INVALID_CURRICULUM_CODE"
    upd = live_server.gql(
        operation("editing.graphql", "UpdateCase"),
        {"input": {"id": case_id, "expectedVersion": 1, "findings": "Hyperdense left MCA."}},
        token=token,
    )["data"]["updateCase"]
    assert upd["errors"] == [] and upd["case"]["version"] == 2
    stale = live_server.gql(
        operation("editing.graphql", "UpdateCase"),
        {"input": {"id": case_id, "expectedVersion": 1, "findings": "lost"}},
        token=token,
    )["data"]["updateCase"]
    assert stale["case"] is None and stale["errors"][0]["code"] == "VERSION_CONFLICT"
    detail = live_server.gql(operation("case.graphql", "CaseDetail"), {"id": case_id}, token=token)
    node = detail["data"]["node"]
    assert node["findings"] == "Hyperdense left MCA." and node["curriculum"][0]["code"] == "NEURO.STROKE.ISCHAEMIC"
    assert [h["version"] for h in node["history"]] == [1, 2] and node["history"][1]["changedFields"] == ["findings"]
    trainee = login(live_server, "trainee")
    assert (
        live_server.gql(operation("case.graphql", "CaseDetail"), {"id": case_id}, token=trainee)["data"]["node"] is None
    )
    search = live_server.gql(
        operation("search.graphql", "SearchCases"), {"search": {"curriculum": ["NEURO"]}}, token=token
    )["data"]["cases"]
    assert search["totalCount"] == 1 and search["edges"][0]["node"]["id"] == case_id
    tree = live_server.gql(operation("search.graphql", "Curriculum"), {"root": "NEURO"}, token=token)
    assert {n["code"] for n in tree["data"]["curriculum"]} >= {"NEURO", "NEURO.STROKE.ISCHAEMIC"}
