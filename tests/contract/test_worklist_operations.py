"""contract/worklists.graphql end to end on a live app: build, assign to a cohort, report blind, mark, progress."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session

from content.base import utcnow
from content.cases.service import create_case
from content.cases.transitions import transition
from content.principal import SYSTEM
from content.users.service import add_to_cohort, get_or_create_cohort
from schema.core.ids import to_global_id
from tests.content import factories as f
from tests.contract.test_partner_operations import login, operation


@pytest.fixture
def school(session: Session) -> dict[str, str]:
    f.curriculum(session)
    people = {
        name: f.person(session, name, role)
        for name, role in (
            ("trainer", "trainer"),
            ("trainer2", "trainer"),
            ("validator", "validator"),
            ("ann", "trainee"),
            ("bob", "trainee"),
        )
    }
    cohort = get_or_create_cohort("ST1", session=session, principal=SYSTEM)
    for name in ("ann", "bob"):
        add_to_cohort(cohort.uid, people[name][0].uid, session=session, principal=SYSTEM)
    coll = f.collection(session)
    ids = {name: to_global_id("User", user.uid) for name, (user, _) in people.items()}
    ids["cohort"] = to_global_id("Cohort", cohort.uid)
    for key, title, diagnosis in (
        ("ptx", "Left pneumothorax", "Left pneumothorax"),
        ("stroke", "Left MCA infarct", "Acute left MCA infarct"),
        ("draft", "Draft case", "Unvalidated"),
    ):
        case = create_case(
            collection_uid=coll,
            fields={
                "title": title,
                "diagnosis": diagnosis,
                "clinical_history": f"History {key}",
                "findings": f"Seen {key}",
                "teaching_points": f"Teach {key}",
                "curriculum_codes": ["CHEST.PLEURA.PNEUMOTHORAX" if key == "ptx" else "NEURO.STROKE.ISCHAEMIC"],
            },
            session=session,
            principal=people["trainer"][1],
        )
        if key != "draft":
            transition(case.uid, "SUBMIT", session=session, principal=people["trainer"][1])
            transition(case.uid, "VALIDATE", session=session, principal=people["validator"][1])
        ids[key] = to_global_id("Case", case.uid)
    return ids


@pytest.fixture
def live(school: dict, live_server):  # type: ignore[no-untyped-def]
    yield live_server


BLIND = """query { myAssignments { id items { position reported case { id title diagnosis curriculum { code }
  clinicalHistory } report { id status } } } }"""


def test_worklist_round_trip(live, school: dict) -> None:  # type: ignore[no-untyped-def]
    gql = live.gql
    trainer, ann = login(live, "trainer"), login(live, "ann")
    create = operation("worklists.graphql", "CreateWorklist")
    bad = gql(create, {"input": {"title": "x", "mode": "LONG_CASE", "cases": [school["draft"]]}}, token=trainer)
    assert bad["data"]["createWorklist"]["errors"][0]["code"] == "INVALID_INPUT"
    made = gql(
        create,
        {"input": {"title": "Acute list", "mode": "LONG_CASE", "cases": [school["ptx"], school["stroke"]]}},
        token=trainer,
    )["data"]["createWorklist"]
    assert made["errors"] == [] and made["worklist"]["caseCount"] == 2
    wl = made["worklist"]["id"]
    assign = operation("worklists.graphql", "AssignWorklist")
    refused = gql(assign, {"input": {"worklist": wl, "trainees": [school["validator"]]}}, token=trainer)
    assert refused["data"]["assignWorklist"]["errors"][0]["code"] == "INVALID_INPUT"
    due = (utcnow() + timedelta(days=3)).isoformat()
    out = gql(assign, {"input": {"worklist": wl, "cohort": school["cohort"], "dueAt": due}}, token=trainer)["data"][
        "assignWorklist"
    ]
    assert out["errors"] == [] and {a["trainee"]["displayName"] for a in out["assignments"]} == {"ann", "bob"}

    mine = gql(operation("worklists.graphql", "MyAssignments"), token=ann)["data"]["myAssignments"]
    assert len(mine) == 1 and (mine[0]["completedCount"], mine[0]["totalCount"]) == (0, 2)
    assert mine[0]["worklist"]["title"] == "Acute list"
    assert [i["case"]["clinicalHistory"] for i in mine[0]["items"]] == ["History ptx", "History stroke"]
    blind = gql(BLIND, token=ann)["data"]["myAssignments"][0]["items"][0]
    assert blind["case"]["title"] == "Case 1 of Acute list"
    assert blind["case"]["diagnosis"] is None and blind["case"]["curriculum"] is None

    submit = operation("worklists.graphql", "SubmitReport")
    report_in = {
        "assignment": mine[0]["id"],
        "case": school["ptx"],
        "observations": "Pleural edge",
        "principalDiagnosis": "Pneumothorax",
        "differentialDiagnoses": ["Bulla"],
        "management": "Drain",
    }
    stranger = gql(submit, {"input": {**report_in}}, token=login(live, "bob"))["data"]["submitReport"]
    assert stranger["report"] is None and stranger["errors"][0]["code"] == "NOT_FOUND"
    done = gql(submit, {"input": report_in}, token=ann)["data"]["submitReport"]
    assert done["errors"] == [] and done["report"]["submittedAt"]
    assert done["report"]["modelAnswer"] == {
        "diagnosis": "Left pneumothorax",
        "findings": "Seen ptx",
        "teachingPoints": "Teach ptx",
    }
    twice = gql(submit, {"input": report_in}, token=ann)["data"]["submitReport"]
    assert twice["errors"][0]["code"] == "INVALID_TRANSITION"
    opened = gql(BLIND, token=ann)["data"]["myAssignments"][0]["items"]
    assert opened[0]["reported"] and opened[0]["case"]["diagnosis"] == "Left pneumothorax"
    assert opened[1]["case"]["diagnosis"] is None

    feedback = operation("worklists.graphql", "GiveFeedback")
    fb_in = {"report": done["report"]["id"], "score": 6, "feedback": "Sound report"}
    by_trainee = gql(feedback, {"input": fb_in}, token=ann)["data"]["giveFeedback"]
    assert by_trainee["errors"][0]["code"] == "FORBIDDEN"
    marked = gql(feedback, {"input": fb_in}, token=trainer)["data"]["giveFeedback"]
    assert marked["errors"] == [] and marked["report"]["score"] == 6 and marked["report"]["feedback"] == "Sound report"
    moderate = """mutation($input: ModerateReportInput!) { moderateReport(input: $input) {
      report { score moderation { agreed score moderator { displayName } } } errors { code } } }"""
    mod_in = {"report": done["report"]["id"], "agreed": False, "score": 5, "comment": "Missed the shift"}
    same = gql(moderate, {"input": mod_in}, token=trainer)["data"]["moderateReport"]
    assert same["errors"] == [{"code": "FORBIDDEN"}]
    second = gql(moderate, {"input": mod_in}, token=login(live, "trainer2"))["data"]["moderateReport"]
    assert second["report"] == {
        "score": 5,
        "moderation": {"agreed": False, "score": 5, "moderator": {"displayName": "trainer2"}},
    }

    progress = operation("worklists.graphql", "Progress")
    own = gql(progress, {"traineeId": None}, token=ann)["data"]["progress"]
    assert own["trainee"]["displayName"] == "ann"
    assert (own["assignedCount"], own["reportedCount"], own["meanScore"]) == (2, 1, 5.0)
    cov = {n["code"]: (n["reportedCount"], n["validatedCaseCount"]) for n in own["coverage"]}
    # The NEURO case is still blind to ann (assigned, not reported): it counts nowhere for her, or
    # the count would name its code; her trainer, to whom it is not blind, counts it.
    assert cov["CHEST"] == (1, 1) and cov["NEURO"] == (0, 0)
    seen_by_trainer = gql(progress, {"traineeId": school["bob"]}, token=trainer)["data"]["progress"]
    assert {n["code"]: n["validatedCaseCount"] for n in seen_by_trainer["coverage"]}["NEURO"] == 1
    other = gql(progress, {"traineeId": school["bob"]}, token=ann)
    assert other["data"] is None and other["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    bob = gql(progress, {"traineeId": school["bob"]}, token=trainer)["data"]["progress"]
    assert (bob["assignedCount"], bob["reportedCount"], bob["meanScore"]) == (2, 0, None)


CASE_VIEW = """query($id: ID!) { node(id: $id) { ... on Case { title diagnosis findings teachingPoints
  differentialDiagnoses clinicalHistory curriculum { code } } } }"""
SEARCH = """query($text: String) { cases(search: {text: $text}) { edges { node { id title diagnosis } } } }"""


def test_a_case_in_an_open_assignment_gives_nothing_away_anywhere(live, school: dict) -> None:  # type: ignore[no-untyped-def]
    gql = live.gql
    trainer, ann, bob = login(live, "trainer"), login(live, "ann"), login(live, "bob")
    made = gql(
        operation("worklists.graphql", "CreateWorklist"),
        {"input": {"title": "Chest list", "mode": "LONG_CASE", "cases": [school["ptx"]]}},
        token=trainer,
    )["data"]["createWorklist"]
    assigned = gql(
        operation("worklists.graphql", "AssignWorklist"),
        {"input": {"worklist": made["worklist"]["id"], "trainees": [school["ann"]]}},
        token=trainer,
    )["data"]["assignWorklist"]
    assert assigned["errors"] == []

    seen = gql(CASE_VIEW, {"id": school["ptx"]}, token=ann)["data"]["node"]
    assert seen == {
        "title": "Case 1 of Chest list",
        "diagnosis": None,
        "findings": None,
        "teachingPoints": None,
        "differentialDiagnoses": None,
        "clinicalHistory": "History ptx",
        "curriculum": None,
    }
    # Search matches a blinded case only through what the trainee is meant to read.
    for giveaway in ("pneumothorax", "Teach", "diagnosis:pneumothorax"):
        hits = gql(SEARCH, {"text": giveaway}, token=ann)["data"]["cases"]
        assert school["ptx"] not in {e["node"]["id"] for e in hits["edges"]}, giveaway
    by_history = gql(SEARCH, {"text": "History ptx"}, token=ann)["data"]["cases"]["edges"]
    assert [e["node"] for e in by_history if e["node"]["id"] == school["ptx"]] == [
        {"id": school["ptx"], "title": "Case 1 of Chest list", "diagnosis": None}
    ]
    # Bob has no assignment: the case is an ordinary validated case to him.
    assert gql(CASE_VIEW, {"id": school["ptx"]}, token=bob)["data"]["node"]["diagnosis"] == "Left pneumothorax"

    mine = gql(operation("worklists.graphql", "MyAssignments"), token=ann)["data"]["myAssignments"]
    report = {
        "assignment": mine[0]["id"],
        "case": school["ptx"],
        "observations": "Edge",
        "principalDiagnosis": "Pneumothorax",
        "differentialDiagnoses": [],
        "management": "Drain",
    }
    assert (
        gql(operation("worklists.graphql", "SubmitReport"), {"input": report}, token=ann)["data"]["submitReport"][
            "errors"
        ]
        == []
    )
    opened = gql(CASE_VIEW, {"id": school["ptx"]}, token=ann)["data"]["node"]
    assert opened["title"] == "Left pneumothorax" and opened["diagnosis"] == "Left pneumothorax"
    assert opened["teachingPoints"] == "Teach ptx"


def test_trainer_views_coverage_and_evidence(live, school: dict) -> None:  # type: ignore[no-untyped-def]
    trainer = login(live, "trainer")
    cov = live.gql(
        'query { archiveCoverage(root: "CHEST") { code validatedCaseCount } curriculumGaps { code } }', token=trainer
    )["data"]
    assert {n["code"]: n["validatedCaseCount"] for n in cov["archiveCoverage"]}["CHEST.PLEURA"] == 1
    assert "NEURO.STROKE.HAEMORRHAGIC" in {g["code"] for g in cov["curriculumGaps"]}
    ann = login(live, "ann")
    ev = live.gql("query { evidence { csv html } }", token=ann)["data"]["evidence"]
    assert ev["csv"].startswith("worklist,mode") and ev["html"].startswith("<!doctype html>")


def _gql_ok(live, query: str, variables: dict | None, token: str) -> dict:  # type: ignore[no-untyped-def]
    out = live.gql(query, variables, token=token)
    assert out.get("errors") is None, out
    return out["data"]


def test_drafts_reorder_moderation_and_trainer_views(live, school: dict) -> None:  # type: ignore[no-untyped-def]
    trainer, ann = login(live, "trainer"), login(live, "ann")
    made = _gql_ok(
        live,
        operation("worklists.graphql", "CreateWorklist"),
        {
            "input": {
                "title": "Rapid",
                "mode": "RAPID_REPORTING",
                "cases": [school["ptx"]],
                "timeLimitMinutes": 30,
                "fromSearch": {"curriculum": ["NEURO"]},
            }
        },
        trainer,
    )["createWorklist"]["worklist"]
    assert made["caseCount"] == 2
    reorder = """mutation($input: ReorderWorklistInput!) { reorderWorklist(input: $input) {
      worklist { version cases { position case { id } } versions { version } } errors { code } } }"""
    moved = _gql_ok(
        live,
        reorder,
        {"input": {"id": made["id"], "expectedVersion": 1, "cases": [school["stroke"], school["ptx"]]}},
        trainer,
    )["reorderWorklist"]
    assert moved["worklist"]["version"] == 2 and moved["worklist"]["cases"][0]["case"]["id"] == school["stroke"]
    _gql_ok(
        live,
        operation("worklists.graphql", "AssignWorklist"),
        {"input": {"worklist": made["id"], "trainees": [school["ann"]]}},
        trainer,
    )
    assignment = _gql_ok(live, "query { myAssignments { id } }", None, ann)["myAssignments"][0]["id"]
    draft = """mutation($input: SubmitReportInput!) { saveReportDraft(input: $input) {
      report { id status modelAnswer { diagnosis } } errors { code } } }"""
    saved = _gql_ok(live, draft, {"input": {"assignment": assignment, "case": school["ptx"], "abnormal": True}}, ann)[
        "saveReportDraft"
    ]["report"]
    assert saved["status"] == "DRAFT" and saved["modelAnswer"] is None
    submit = """mutation($input: SubmitReportInput!) { submitReport(input: $input) {
      report { id autoCorrect status } errors { code } } }"""
    rep = _gql_ok(
        live,
        submit,
        {"input": {"assignment": assignment, "case": school["ptx"], "abnormality": "pneumothorax", "site": "left"}},
        ann,
    )["submitReport"]
    assert rep["report"]["autoCorrect"] is True and rep["report"]["id"] == saved["id"]
    edit = _gql_ok(live, draft, {"input": {"assignment": assignment, "case": school["ptx"], "abnormal": False}}, ann)[
        "saveReportDraft"
    ]
    assert edit["report"] is None and edit["errors"] == [{"code": "INVALID_TRANSITION"}]
    marked = _gql_ok(
        live,
        operation("worklists.graphql", "GiveFeedback"),
        {"input": {"report": rep["report"]["id"], "score": 5, "feedback": "x"}},
        trainer,
    )
    assert marked["giveFeedback"]["errors"][0]["code"] == "INVALID_INPUT"  # rapid answers mark themselves
    views = """query($wl: ID!, $cohort: ID!) { worklist(id: $wl) { title assignments { trainee { username }
      items { reported case { title } } } revalidatedReports { id } }
      caseFacility(worklist: $wl) { case { title } facilityIndex } cohortProgress(cohort: $cohort) {
      total { assignedCount reportedCount rapidAccuracy } trainees { trainee { username } } } }"""
    seen = _gql_ok(live, views, {"wl": made["id"], "cohort": school["cohort"]}, trainer)
    items = seen["worklist"]["assignments"][0]["items"]
    assert [i["case"]["title"] for i in items] == ["Left MCA infarct", "Left pneumothorax"]  # trainers see all
    assert seen["caseFacility"] == [{"case": {"title": "Left pneumothorax"}, "facilityIndex": 1.0}]
    assert seen["cohortProgress"]["total"] == {"assignedCount": 2, "reportedCount": 1, "rapidAccuracy": 1.0}
    refused = live.gql(views, {"wl": made["id"], "cohort": school["cohort"]}, token=ann)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def test_create_from_search_honours_text_and_states(live, school: dict) -> None:  # type: ignore[no-untyped-def]
    trainer, create = login(live, "trainer"), operation("worklists.graphql", "CreateWorklist")

    def made(search: dict) -> dict:
        return live.gql(
            create,
            {"input": {"title": "From search", "mode": "LONG_CASE", "cases": [], "fromSearch": search}},
            token=trainer,
        )["data"]["createWorklist"]

    by_text = made({"text": "pneumothorax"})
    assert by_text["errors"] == [] and by_text["worklist"]["caseCount"] == 1
    # Text that matches only the other tree, and a state no validated case is in: nothing, so refused.
    assert made({"text": "pneumothorax", "curriculum": ["NEURO"]})["errors"][0]["code"] == "INVALID_INPUT"
    assert made({"states": ["DRAFT"]})["errors"][0]["code"] == "INVALID_INPUT"
    both = made({"states": ["VALIDATED"], "orderBy": "TITLE"})
    assert both["errors"] == [] and both["worklist"]["caseCount"] == 2
    bad = made({"curriculum": ["NEURO.NOPE"]})
    assert bad["worklist"] is None and bad["errors"][0]["code"] == "INVALID_CURRICULUM_CODE"
    listed = live.gql("query { worklists { title } }", token=trainer)["data"]["worklists"]
    assert [w["title"] for w in listed] == ["From search", "From search"]


def test_a_timed_worklist_refuses_late_answers_on_the_server_clock(live, school: dict, session: Session) -> None:  # type: ignore[no-untyped-def]
    from content.worklists.models import Assignment as AssignmentRow
    from schema.core.ids import from_global_id

    trainer, ann = login(live, "trainer"), login(live, "ann")
    made = _gql_ok(
        live,
        operation("worklists.graphql", "CreateWorklist"),
        {
            "input": {
                "title": "Timed",
                "mode": "RAPID_REPORTING",
                "cases": [school["ptx"], school["stroke"]],
                "timeLimitMinutes": 10,
                "lateAnswers": "REFUSE",
            }
        },
        trainer,
    )["createWorklist"]["worklist"]
    _gql_ok(
        live,
        operation("worklists.graphql", "AssignWorklist"),
        {"input": {"worklist": made["id"], "trainees": [school["ann"]]}},
        trainer,
    )
    assignment = _gql_ok(live, "query { myAssignments { id deadline } }", None, ann)["myAssignments"][0]
    assert assignment["deadline"] is None
    start = operation("worklists.graphql", "StartAssignment")
    started = _gql_ok(live, start, {"assignment": assignment["id"]}, ann)["startAssignment"]
    assert started["errors"] == [] and started["assignment"]["timeLimitMinutes"] == 10
    assert started["assignment"]["lateAnswers"] == "REFUSE" and started["assignment"]["deadline"] is not None
    assert (
        _gql_ok(live, start, {"assignment": assignment["id"]}, trainer)["startAssignment"]["errors"][0]["code"]
        == "NOT_FOUND"
    )
    submit = """mutation($input: SubmitReportInput!) { submitReport(input: $input) {
      report { id overTime } errors { field code } } }"""
    ok = _gql_ok(
        live, submit, {"input": {"assignment": assignment["id"], "case": school["ptx"], "abnormal": False}}, ann
    )["submitReport"]
    assert ok["errors"] == [] and ok["report"]["overTime"] is False
    row = session.get(AssignmentRow, from_global_id(assignment["id"], "Assignment")[1])
    assert row is not None and row.started_at is not None
    row.started_at -= timedelta(minutes=11)  # the clock ran out, without sleeping
    session.add(row)
    session.commit()
    late = _gql_ok(
        live, submit, {"input": {"assignment": assignment["id"], "case": school["stroke"], "abnormal": False}}, ann
    )["submitReport"]
    assert late == {"report": None, "errors": [{"field": "assignment", "code": "TIME_LIMIT_EXCEEDED"}]}
    mine = _gql_ok(live, "query { myAssignments { completedCount } }", None, ann)["myAssignments"][0]
    assert mine["completedCount"] == 1
