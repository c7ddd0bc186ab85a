"""trust.graphql's CurriculumWithRetired and curriculum.graphql's retired-code report and retag, verbatim, live."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from content.cases.service import create_case
from content.cases.transitions import transition
from content.curriculum.service import load_tree
from content.principal import SYSTEM
from schema.core.ids import to_global_id
from tests.content import factories as f
from tests.contract.test_partner_operations import login, operation

NEW = {"code": "NEURO.STROKE.INFARCT", "title": "Cerebral infarction"}
RETIRE = {
    "code": "NEURO.STROKE.ISCHAEMIC",
    "title": "Acute ischaemic stroke",
    "deprecated": True,
    "replaced_by": "NEURO.STROKE.INFARCT",
}


@pytest.fixture
def tagged(session: Session) -> dict[str, str]:
    f.curriculum(session)
    load_tree([NEW], session=session, principal=SYSTEM)
    trainer = f.person(session, "trainer", "trainer")[1]
    validator = f.person(session, "validator", "validator")[1]
    f.person(session, "ann", "trainee")
    case = create_case(
        collection_uid=f.collection(session),
        fields={
            "title": "Left MCA infarct",
            "diagnosis": "Left MCA infarct",
            "curriculum_codes": ["NEURO.STROKE.ISCHAEMIC"],
        },
        session=session,
        principal=trainer,
    )
    transition(case.uid, "SUBMIT", session=session, principal=trainer)
    case = transition(case.uid, "VALIDATE", session=session, principal=validator)
    load_tree([RETIRE], session=session, principal=SYSTEM)
    return {"case": to_global_id("Case", case.uid), "uid": case.uid, "version": str(case.version)}


def test_curriculum_with_retired_codes(live_server, tagged: dict) -> None:  # type: ignore[no-untyped-def]
    token = login(live_server, "ann")
    out = live_server.gql(operation("trust.graphql", "CurriculumWithRetired"), {"root": "NEURO.STROKE"}, token=token)
    assert "errors" not in out
    nodes = {n["code"]: n for n in out["data"]["curriculum"]}
    assert nodes["NEURO.STROKE.ISCHAEMIC"]["deprecated"] is True
    assert nodes["NEURO.STROKE.ISCHAEMIC"]["replacedBy"] == {
        "code": "NEURO.STROKE.INFARCT",
        "title": "Cerebral infarction",
    }
    assert nodes["NEURO.STROKE.INFARCT"]["deprecated"] is False and nodes["NEURO.STROKE.INFARCT"]["replacedBy"] is None
    assert nodes["NEURO.STROKE.ISCHAEMIC"]["validatedCaseCount"] == 1  # old cases still count under the code


def test_report_and_retag_to_the_replacement(live_server, tagged: dict) -> None:  # type: ignore[no-untyped-def]
    gql, report_op = live_server.gql, operation("curriculum.graphql", "RetiredCurriculumTags")
    retag_op = operation("curriculum.graphql", "RetagRetiredCurriculum")
    trainer, ann = login(live_server, "trainer"), login(live_server, "ann")
    refused = gql(report_op, token=ann)
    assert refused["data"] is None and refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    report = gql(report_op, token=trainer)["data"]["retiredCurriculumTags"]
    assert report["totalCount"] == 1
    entry = report["entries"][0]
    assert entry["case"]["id"] == tagged["case"] and entry["awaitingValidation"] is False
    assert entry["retired"] == [
        {
            "code": "NEURO.STROKE.ISCHAEMIC",
            "title": "Acute ischaemic stroke",
            "deprecated": True,
            "replacedBy": {"code": "NEURO.STROKE.INFARCT", "title": "Cerebral infarction", "deprecated": False},
        }
    ]
    version = int(tagged["version"])
    stale = gql(retag_op, {"case": tagged["case"], "expectedVersion": version - 1}, token=trainer)
    assert stale["data"]["retagRetiredCurriculum"] == {
        "case": None,
        "errors": [
            {
                "field": "expectedVersion",
                "message": stale["data"]["retagRetiredCurriculum"]["errors"][0]["message"],
                "code": "VERSION_CONFLICT",
            }
        ],
    }
    by_trainee = gql(retag_op, {"case": tagged["case"], "expectedVersion": version}, token=ann)
    assert by_trainee["data"]["retagRetiredCurriculum"]["errors"][0]["code"] == "FORBIDDEN"
    done = gql(retag_op, {"case": tagged["case"], "expectedVersion": version}, token=trainer)
    payload = done["data"]["retagRetiredCurriculum"]
    assert payload["errors"] == []
    assert payload["case"]["version"] == version + 1 and payload["case"]["state"] == "DRAFT"
    assert payload["case"]["publishedVersion"] == version
    assert payload["case"]["curriculum"] == [{"code": "NEURO.STROKE.INFARCT", "deprecated": False}]
    again = gql(report_op, token=trainer)["data"]["retiredCurriculumTags"]["entries"]
    assert [(e["case"]["id"], e["awaitingValidation"]) for e in again] == [(tagged["case"], True)]
    # The trainee still gets the validated version with its old code until the retag is validated.
    seen = gql(
        "query($id: ID!) { node(id: $id) { ... on Case { version curriculum { code } } } }",
        {"id": tagged["case"]},
        token=ann,
    )["data"]["node"]
    assert seen == {"version": version, "curriculum": [{"code": "NEURO.STROKE.ISCHAEMIC"}]}
