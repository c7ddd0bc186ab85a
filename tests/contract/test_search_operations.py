"""contract/search.graphql run verbatim against a live app, on both backends, as several roles."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from content.cases.service import create_case
from content.cases.transitions import transition
from tests.content import factories as f
from tests.contract.test_partner_operations import operation

SEARCH = operation("search.graphql", "SearchCases")
CASES = [
    ("Left tension pneumothorax", "Pneumothorax", ["CHEST.PLEURA.PNEUMOTHORAX"], ["CR"], "Sudden breathlessness"),
    ("Right apical pneumothorax", "Pneumothorax", ["CHEST.PLEURA.PNEUMOTHORAX"], ["CT"], "Tall thin smoker"),
    ("Middle cerebral artery infarct", "Ischaemic stroke", ["NEURO.STROKE.ISCHAEMIC"], ["CT"], "Left weakness"),
    ("Basal ganglia haemorrhage", "Haemorrhagic stroke", ["NEURO.STROKE.HAEMORRHAGIC"], ["CT"], "Hypertensive"),
    ("Posterior circulation infarct", "Ischaemic stroke", ["NEURO.STROKE.ISCHAEMIC"], ["MR"], "Vertigo"),
]


@pytest.fixture
def archive(session: Session) -> dict:
    f.curriculum(session)
    coll = f.collection(session, "Leeds")
    people = {
        name: f.person(session, name, role)
        for name, role in (("trainer", "trainer"), ("validator", "validator"), ("trainee", "trainee"))
    }
    uids = []
    for title, diagnosis, codes, modalities, history in CASES:
        case = create_case(
            collection_uid=coll,
            fields={
                "title": title,
                "diagnosis": diagnosis,
                "curriculum_codes": codes,
                "modalities": modalities,
                "clinical_history": history,
                "difficulty": "INTERMEDIATE",
            },
            session=session,
            principal=people["trainer"][1],
        )
        uids.append(case.uid)
    for uid in uids[:4]:  # the last stays a draft
        transition(uid, "SUBMIT", session=session, principal=people["trainer"][1])
        transition(uid, "VALIDATE", session=session, principal=people["validator"][1])
    return {"uids": uids}


def login(live, name: str) -> str:
    out = live.gql(operation("auth.graphql", "Login"), {"username": name, "password": "correct horse battery"})
    return out["data"]["login"]["token"]


def search(live, token: str, **variables) -> dict:
    return live.gql(SEARCH, variables, token=token)


def test_text_search_with_facets_and_highlights_as_trainee_and_trainer(live_server, archive) -> None:
    trainee, trainer = login(live_server, "trainee"), login(live_server, "trainer")
    out = search(live_server, trainee, search={"text": "infarct"})["data"]["cases"]
    assert out["totalCount"] == 1  # the posterior circulation infarct is a draft
    node = out["edges"][0]["node"]
    assert node["title"] == "Middle cerebral artery infarct" and node["state"] == "VALIDATED"
    assert any("<mark>" in h["snippet"] for h in out["edges"][0]["highlights"])
    mine = search(live_server, trainer, search={"text": "infarct"})["data"]["cases"]
    assert mine["totalCount"] == 2
    states = {b["value"]: b["count"] for fc in mine["facets"] if fc["field"] == "state" for b in fc["buckets"]}
    assert states == {"VALIDATED": 1, "DRAFT": 1}


def test_curriculum_subtree_and_filters(live_server, archive) -> None:
    trainee = login(live_server, "trainee")
    stroke = search(live_server, trainee, search={"curriculum": ["NEURO.STROKE"]})["data"]["cases"]
    assert {e["node"]["title"] for e in stroke["edges"]} == {
        "Middle cerebral artery infarct",
        "Basal ganglia haemorrhage",
    }
    curriculum = next(fc for fc in stroke["facets"] if fc["field"] == "curriculum")
    labels = {b["value"]: (b["label"], b["count"]) for b in curriculum["buckets"]}
    assert labels["NEURO.STROKE"] == ("Stroke", 2)
    cr = search(live_server, trainee, search={"text": "pneumothorax", "modalities": ["CR"]})["data"]["cases"]
    assert [e["node"]["modalities"] for e in cr["edges"]] == [["CR"]]
    phrase = search(live_server, trainee, search={"text": '"tension pneumothorax"'})["data"]["cases"]
    assert phrase["totalCount"] == 1
    field = search(live_server, trainee, search={"text": "diagnosis:stroke NOT haemorrhagic"})["data"]["cases"]
    assert [e["node"]["title"] for e in field["edges"]] == ["Middle cerebral artery infarct"]


def test_pages_are_stable_and_cover_the_result_once(live_server, archive) -> None:
    trainer = login(live_server, "trainer")
    seen, after = [], None
    while True:
        page = search(live_server, trainer, search={"orderBy": "TITLE"}, first=2, after=after)["data"]["cases"]
        seen += [e["node"]["title"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == sorted(t for t, *_ in CASES)
    assert len(seen) == len(set(seen)) == 5


def test_did_you_mean_and_bad_input(live_server, archive) -> None:
    trainee = login(live_server, "trainee")
    q = "query($s: CaseSearch) { cases(search: $s) { totalCount suggestion } }"
    typo = live_server.gql(q, {"s": {"text": "pneumothorx"}}, token=trainee)["data"]["cases"]
    assert typo["totalCount"] == 0 and typo["suggestion"] == "pneumothorax"
    unknown = search(live_server, trainee, search={"curriculum": ["NEURO.NOPE"]})
    assert unknown["errors"][0]["extensions"]["code"] == "INVALID_CURRICULUM_CODE"
    big = search(live_server, trainee, search={"text": "stroke"}, first=101)
    assert big["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
    weird = search(live_server, trainee, search={"text": 'AND OR ( " field:'})
    assert "errors" not in weird and weird["data"]["cases"]["totalCount"] >= 0
    anonymous = search(live_server, None, search={"text": "stroke"})  # type: ignore[arg-type]
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_curriculum_counts_validated_cases_the_caller_sees(live_server, archive) -> None:
    trainee = login(live_server, "trainee")
    out = live_server.gql(operation("search.graphql", "Curriculum"), {"root": "NEURO"}, token=trainee)
    counts = {n["code"]: n["validatedCaseCount"] for n in out["data"]["curriculum"]}
    assert counts["NEURO"] == 2 and counts["NEURO.STROKE.ISCHAEMIC"] == 1
