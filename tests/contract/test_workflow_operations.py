"""contract/editing.graphql transitions and revert, and contract/case.graphql history and diff, live."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from content.principal import SYSTEM
from content.users.service import add_user
from tests.content import factories as f
from tests.contract.test_partner_operations import login, operation


@pytest.fixture
def team(session: Session) -> None:
    f.curriculum(session)
    for name, role in (("trainer", "trainer"), ("validator", "validator"), ("trainee", "trainee")):
        add_user(name, roles=[role], password="correct horse battery", session=session, principal=SYSTEM)


def test_review_validate_working_copy_diff_and_revert(live_server, team) -> None:
    gql = live_server.gql
    trainer, validator, trainee = (login(live_server, n) for n in ("trainer", "validator", "trainee"))
    coll = gql(operation("collections.graphql", "CreateCollection"), {"input": {"title": "Leeds"}}, token=trainer)[
        "data"
    ]["createCollection"]["collection"]
    case = gql(
        operation("editing.graphql", "CreateCase"),
        {"input": {"collection": coll["id"], "title": "Pneumothorax", "diagnosis": "Left pneumothorax"}},
        token=trainer,
    )["data"]["createCase"]["case"]
    move = operation("editing.graphql", "TransitionCase")
    early = gql(move, {"id": case["id"], "transition": "VALIDATE"}, token=validator)["data"]["transitionCase"]
    assert early["case"] is None and early["errors"][0]["code"] in {"INVALID_TRANSITION", "NOT_FOUND"}
    sub = gql(move, {"id": case["id"], "transition": "SUBMIT"}, token=trainer)["data"]["transitionCase"]
    assert sub["case"]["state"] == "SUBMITTED"
    queue = gql("{ reviewQueue { id availableTransitions } }", token=validator)["data"]["reviewQueue"]
    assert [c["id"] for c in queue] == [case["id"]] and "VALIDATE" in queue[0]["availableTransitions"]
    no_comment = gql(move, {"id": case["id"], "transition": "REQUEST_CHANGES"}, token=validator)
    assert no_comment["data"]["transitionCase"]["errors"][0]["code"] == "INVALID_INPUT"
    ok = gql(move, {"id": case["id"], "transition": "VALIDATE"}, token=validator)["data"]["transitionCase"]["case"]
    assert ok["state"] == "VALIDATED" and ok["publishedVersion"] == ok["version"] == 3
    edit = gql(
        operation("editing.graphql", "UpdateCase"),
        {"input": {"id": case["id"], "expectedVersion": 3, "diagnosis": "Tension pneumothorax"}},
        token=trainer,
    )
    assert edit["data"]["updateCase"]["case"]["version"] == 4
    seen = gql(operation("case.graphql", "CaseDetail"), {"id": case["id"]}, token=trainee)["data"]["node"]
    assert seen["version"] == 3 and seen["diagnosis"] == "Left pneumothorax" and seen["state"] == "VALIDATED"
    diff = gql(operation("case.graphql", "CaseDiff"), {"id": case["id"], "from": 3, "to": 4}, token=trainer)
    assert diff["data"]["caseDiff"] == [
        {"field": "diagnosis", "before": "Left pneumothorax", "after": "Tension pneumothorax"}
    ]
    trail = gql(
        "query($id: ID!) { node(id: $id) { ... on Case { auditTrail { action comment } validator { displayName } } } }",
        {"id": case["id"]},
        token=trainer,
    )["data"]["node"]
    assert [e["action"] for e in trail["auditTrail"]] == ["case.create", "case.submit", "case.validate", "case.update"]
    assert trail["validator"] is not None
    hidden = gql(
        "query($id: ID!) { node(id: $id) { ... on Case { auditTrail { action } } } }", {"id": case["id"]}, token=trainee
    )["data"]["node"]
    assert hidden["auditTrail"] is None
    revert = operation("editing.graphql", "RevertCase")
    back = gql(revert, {"id": case["id"], "toVersion": 3, "expectedVersion": 4}, token=trainer)
    assert back["data"]["revertCase"]["case"]["version"] == 5
    missing = gql(revert, {"id": case["id"], "toVersion": 42, "expectedVersion": 5}, token=trainer)
    assert missing["data"]["revertCase"]["errors"][0]["code"] == "NOT_FOUND"
