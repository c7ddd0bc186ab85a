"""docs/contract/learning.graphql run verbatim against a live app: queue, answer-then-reveal, rate, due again.

The app's clock (app.state.clock, read per request) is moved in-process to see a card fall due.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import Session

from api.settings import Settings
from content.base import utcnow
from content.cases.service import create_case
from content.cases.transitions import transition
from content.worklists.assignments import assign_worklist
from content.worklists.service import WorklistSpec, create_worklist
from schema.core.ids import to_global_id
from tests.content import factories as f
from tests.contract.test_partner_operations import login, operation
from tests.helpers import graphql, serving

QUEUE = operation("learning.graphql", "StudyQueue")
REVEAL = operation("learning.graphql", "RevealStudyCase")
RATE = operation("learning.graphql", "RateStudyCard")


@pytest.fixture
def school(session: Session) -> dict[str, str]:
    f.curriculum(session)
    people = {n: f.person(session, n, r) for n, r in (("tess", "trainer"), ("val", "validator"), ("ann", "trainee"))}
    coll = f.collection(session)
    ids = {}
    for key, code in (("infarct", "NEURO.STROKE.ISCHAEMIC"), ("bleed", "NEURO.STROKE.HAEMORRHAGIC")):
        case = create_case(
            collection_uid=coll,
            fields={
                "title": f"The {key} case",
                "diagnosis": f"Diagnosis of the {key}",
                "clinical_history": f"History of the {key}",
                "findings": f"Findings of the {key}",
                "teaching_points": f"Teaching of the {key}",
                "curriculum_codes": [code],
                "modalities": ["CT"],
            },
            session=session,
            principal=people["tess"][1],
        )
        transition(case.uid, "SUBMIT", session=session, principal=people["tess"][1])
        transition(case.uid, "VALIDATE", session=session, principal=people["val"][1])
        ids[key] = case.uid
    # The bleed is in ann's open assignment: it stays blind, out of her queue.
    wl = create_worklist(
        WorklistSpec(title="On call", mode="LONG_CASE", case_uids=(ids["bleed"],)),
        session=session,
        principal=people["tess"][1],
    )
    assign_worklist(wl.uid, trainee_uids=[people["ann"][0].uid], session=session, principal=people["tess"][1])
    session.commit()
    return {k: to_global_id("Case", v) for k, v in ids.items()}


class Live:
    def __init__(self, url: str, app: Any) -> None:
        self.url, self.app = url, app

    def gql(self, query: str, variables: dict | None = None, token: str | None = None) -> dict:
        return graphql(self.url, query, variables, token)


@pytest.fixture
def live(school: dict, app_settings: Settings) -> Iterator[Live]:
    from api.app import create_app

    app = create_app(app_settings)
    with serving(app) as url:
        yield Live(url, app)


def test_study_round_trip_as_the_contract_runs_it(live: Live, school: dict) -> None:
    ann = login(live, "ann")
    queue = live.gql(QUEUE, {"curriculum": "NEURO"}, token=ann)["data"]["studyQueue"]
    assert (queue["dueCount"], queue["newCount"]) == (0, 1)  # the bleed is blind to ann: not here
    [card] = queue["cards"]
    assert card["case"]["id"] == school["infarct"]
    assert card["case"]["clinicalHistory"] == "History of the infarct" and card["case"]["diagnosis"] is None
    assert card["state"] == "NEW" and card["reps"] == 0 and card["due"] is None
    assert "Diagnosis of" not in str(live.gql(QUEUE, token=ann))  # no topic: my gaps, still blind

    early = live.gql(RATE, {"case": school["infarct"], "rating": "GOOD"}, token=ann)["data"]["rateStudyCard"]
    assert early["card"] is None and early["errors"][0]["code"] == "INVALID_INPUT"
    blank = live.gql(REVEAL, {"case": school["infarct"], "answer": "  "}, token=ann)["data"]["revealStudyCase"]
    assert blank["modelAnswer"] is None and blank["errors"] == [
        {"field": "answer", "message": "commit an answer before the model answer opens", "code": "INVALID_INPUT"}
    ]
    blind = live.gql(REVEAL, {"case": school["bleed"], "answer": "a bleed"}, token=ann)["data"]["revealStudyCase"]
    assert blind["modelAnswer"] is None and blind["errors"][0]["code"] == "FORBIDDEN"
    assert "Diagnosis of the bleed" not in str(blind)

    shown = live.gql(REVEAL, {"case": school["infarct"], "answer": "MCA infarct"}, token=ann)["data"]
    assert shown["revealStudyCase"]["errors"] == []
    assert shown["revealStudyCase"]["modelAnswer"] == {
        "diagnosis": "Diagnosis of the infarct",
        "findings": "Findings of the infarct",
        "teachingPoints": "Teaching of the infarct",
    }
    rated = live.gql(RATE, {"case": school["infarct"], "rating": "GOOD"}, token=ann)["data"]["rateStudyCard"]
    assert rated["errors"] == [] and rated["card"]["state"] == "LEARNING" and rated["card"]["reps"] == 1
    assert rated["card"]["stability"] > 0

    after = live.gql(QUEUE, {"curriculum": "NEURO"}, token=ann)["data"]["studyQueue"]
    assert (after["dueCount"], after["newCount"], after["cards"]) == (0, 0, [])  # learnt for now
    live.app.state.clock = lambda: utcnow() + timedelta(minutes=11)  # past FSRS's 10-minute learning step
    due = live.gql(QUEUE, {"curriculum": "NEURO"}, token=ann)["data"]["studyQueue"]
    assert due["dueCount"] == 1 and due["cards"][0]["case"]["id"] == school["infarct"]
    assert due["cards"][0]["case"]["diagnosis"] is None and due["cards"][0]["reps"] == 1

    bad = live.gql(QUEUE, {"curriculum": "NOT.A.CODE"}, token=ann)
    assert bad["errors"][0]["extensions"]["code"] == "INVALID_CURRICULUM_CODE"
    assert live.gql(QUEUE)["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
