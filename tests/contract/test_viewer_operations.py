"""The annotation operations of docs/contract/viewer.graphql, run verbatim against the real app.

An author's annotations are case content: saving them is a new version whose changedFields name
them (so four-eyes counts it), a stale version or a mark off the case's images is a coded error
that writes nothing, a revert brings them back, and a trainee sees them only with the model answer.
A trainee's own marks travel with their report and the trainer sees them beside the author's.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pydicom
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from api.settings import Settings
from content.cases.models import Case, CaseVersion
from content.cases.transitions import transition
from content.imaging.models import Instance, Series, Study
from content.worklists.assignments import assign_worklist
from content.worklists.models import Report
from content.worklists.service import WorklistSpec, create_worklist
from media.store import ContentStore
from schema.core.ids import to_global_id
from tests.content.imaging.school import School
from tests.contract.test_partner_operations import operation

SAVE = operation("viewer.graphql", "SaveAnnotations")
READ = operation("viewer.graphql", "CaseAnnotations")
MARKS = operation("viewer.graphql", "ReportMarks")
SPACING = 0.661468  # CT_small's PixelSpacing, both ways

HISTORY = "query($id: ID!) { node(id: $id) { ... on Case { history { version changedFields } } } }"
REVERT = """mutation($id: ID!, $to: Int!, $v: Int!) {
  revertCase(input: {id: $id, toVersion: $to, expectedVersion: $v}) { case { version } errors { code } } }"""
DRAFT = """mutation($a: ID!, $c: ID!, $marks: [AnnotationInput!]) {
  saveReportDraft(input: {assignment: $a, case: $c, observations: "A bright focus", annotations: $marks}) {
    report { id status annotations { kind points measurement { value unit } } } errors { field code message } } }"""
SUBMIT = """mutation($a: ID!, $c: ID!) {
  submitReport(input: {assignment: $a, case: $c, principalDiagnosis: "Haemorrhage"}) {
    report { id status annotations { kind } } errors { code } } }"""
MARKING = """query($id: ID!) { node(id: $id) { ... on Report { annotations { kind text }
  modelAnswer { diagnosis annotations { kind text instance { id } } } } } }"""


@pytest.fixture
def school(session: Session, client: TestClient, app_settings: Settings) -> School:
    return School(session, client, ContentStore(app_settings.media_dir))


def _written(session: Session) -> tuple[int, str]:
    """Versions, and the working copy's annotations: a refused save changes neither."""
    session.expire_all()
    count = int(session.exec(select(func.count()).select_from(CaseVersion)).one())
    return count, str(session.exec(select(Case.annotations)).all())


def _instance(session: Session, case_uid: str, study_uid: str | None = None) -> Instance:
    stmt = (
        select(Instance)
        .join(Series, Series.uid == Instance.series_uid)
        .join(Study, Study.uid == Series.study_uid)
        .where(Study.case_uid == case_uid)
    )
    if study_uid is not None:
        stmt = stmt.where(Study.uid == study_uid)
    return session.exec(stmt).one()


def _study_of(session: Session, instance: Instance) -> str:
    series = session.get(Series, instance.series_uid)
    assert series is not None
    return series.study_uid


def _draft_case(school: School, tmp_path: Path, name: str = "CT_small.dcm") -> tuple[Case, Instance]:
    s = school.session
    school.import_file(tmp_path, name)
    case = s.exec(select(Case)).one()
    return case, _instance(s, case.uid)


def _save(school: School, who: str, case: Case, version: int, marks: list[dict[str, Any]]) -> dict[str, Any]:
    data = school.gql(
        school.tokens[who], SAVE, case=to_global_id("Case", case.uid), expectedVersion=version, annotations=marks
    )
    return data["saveAnnotations"]  # type: ignore[no-any-return]


def _marks(instance: Instance) -> list[dict[str, Any]]:
    gid = to_global_id("Instance", instance.uid)
    return [
        {"instance": gid, "kind": "ARROW", "points": [[40, 40], [80, 90]], "text": "Hyperdense focus"},
        {"instance": gid, "kind": "LENGTH", "points": [[10, 10], [40, 50]]},
        {"instance": gid, "kind": "ANGLE", "points": [[10, 10], [10, 60], [60, 60]]},
        {"instance": gid, "kind": "ELLIPSE", "points": [[64, 44], [64, 84], [44, 64], [84, 64]]},
        {"instance": gid, "kind": "TEXT", "points": [[5, 120]], "text": "L"},
    ]


def _validate(school: School, case: Case) -> Case:
    s = school.session
    transition(case.uid, "SUBMIT", session=s, principal=school.people["author"])
    return transition(case.uid, "VALIDATE", session=s, principal=school.people["checker"])


def _ellipse_truth(path: Path) -> tuple[float, float]:
    """Mean and SD in HU inside the ellipse centred (64, 64) with semi-axes 20, pixel centres counted."""
    ds = pydicom.dcmread(path)
    hu = ds.pixel_array * float(ds.RescaleSlope) + float(ds.RescaleIntercept)
    inside = [
        hu[r, c]
        for r in range(hu.shape[0])
        for c in range(hu.shape[1])
        if (c + 0.5 - 64) ** 2 + (r + 0.5 - 64) ** 2 <= 400
    ]
    return float(np.mean(inside)), float(np.std(inside))


def test_save_is_a_new_version_with_measurements(school: School, tmp_path: Path) -> None:
    s = school.session
    case, instance = _draft_case(school, tmp_path)
    version = case.version
    out = _save(school, "author", case, version, _marks(instance))
    assert out["errors"] == []
    assert out["case"]["version"] == version + 1
    got = {a["kind"]: a for a in out["case"]["annotations"]}
    assert set(got) == {"ARROW", "LENGTH", "ANGLE", "ELLIPSE", "TEXT"}
    assert got["ARROW"]["points"] == [[40.0, 40.0], [80.0, 90.0]] and got["ARROW"]["text"] == "Hyperdense focus"
    assert got["ARROW"]["instance"]["id"] == to_global_id("Instance", instance.uid) and got["ARROW"]["frame"] == 1
    read = school.gql(school.tokens["author"], READ, id=to_global_id("Case", case.uid))["node"]["annotations"]
    measured = {a["kind"]: a["measurement"] for a in read}
    assert measured["LENGTH"]["unit"] == "mm"
    assert measured["LENGTH"]["value"] == pytest.approx(50 * SPACING, abs=1e-3)  # a 30-40-50 triangle
    assert measured["ANGLE"] == {"value": pytest.approx(90.0), "unit": "deg"}
    assert measured["ELLIPSE"]["unit"] == "mm2"
    assert measured["ELLIPSE"]["value"] == pytest.approx(math.pi * (20 * SPACING) ** 2, rel=1e-4)
    assert measured["ARROW"] is None and measured["TEXT"] is None
    stats = school.gql(
        school.tokens["author"],
        "query($id: ID!) { node(id: $id) { ... on Case { annotations { kind measurement { mean "
        "standardDeviation pixelUnit } } } } }",
        id=to_global_id("Case", case.uid),
    )["node"]["annotations"]
    ellipse = next(a["measurement"] for a in stats if a["kind"] == "ELLIPSE")
    mean, sd = _ellipse_truth(school.store.path_for(instance.file_key))
    assert ellipse["pixelUnit"] == "HU"
    assert ellipse["mean"] == pytest.approx(mean, abs=1e-2) and ellipse["standardDeviation"] == pytest.approx(
        sd, abs=1e-2
    )
    history = school.gql(school.tokens["author"], HISTORY, id=to_global_id("Case", case.uid))["node"]["history"]
    assert history[-1] == {"version": version + 1, "changedFields": ["annotations"]}
    # Saved again unchanged: the ids are stable and nothing is reported changed.
    again = _save(school, "author", case, version + 1, _marks(instance))
    assert [a["id"] for a in again["case"]["annotations"]] == [a["id"] for a in out["case"]["annotations"]]
    s.expire_all()
    assert s.exec(select(CaseVersion.changed_fields).where(CaseVersion.version == version + 2)).one() == []


def test_a_validated_case_gets_a_working_copy_and_four_eyes_counts_it(school: School, tmp_path: Path) -> None:
    case, instance = _draft_case(school, tmp_path)
    case = _validate(school, case)
    published = case.version
    gid = to_global_id("Case", case.uid)
    # The validator draws the arrow (a validator sees the working copy only once it is submitted).
    out = _save(school, "checker", case, published, _marks(instance)[:1])
    assert out["errors"] == []
    mine = school.gql(school.tokens["author"], "query($id: ID!) { node(id: $id) { ... on Case { version } } }", id=gid)
    assert mine["node"]["version"] == published + 1
    # The partner keeps the published version (no annotations) until a second person validates.
    seen = school.gql(school.partner_token, READ, id=gid)["node"]
    assert seen == {"id": gid, "annotations": []}
    school.session.expire_all()
    transition(case.uid, "SUBMIT", session=school.session, principal=school.people["author"])
    refused = school.gql(
        school.tokens["checker"],
        "mutation($id: ID!) { transitionCase(input: {id: $id, transition: VALIDATE}) { errors { code message } } }",
        id=gid,
    )["transitionCase"]
    assert refused["errors"][0]["code"] == "FORBIDDEN" and "four eyes" in refused["errors"][0]["message"]


BAD_MARKS: list[tuple[dict[str, Any], str, str]] = [
    ({"frame": 2}, "INVALID_INPUT", "annotation 1: frame 2 outside 1..1"),
    ({"points": [[10, 10]]}, "INVALID_INPUT", "annotation 1: LENGTH takes 2 points"),
    ({"points": [[10, 10], [10, 10, 3]]}, "INVALID_INPUT", "annotation 1: a point is two finite numbers"),
    ({"points": [[10, 10], [129, 10]]}, "INVALID_INPUT", "annotation 1: a point lies outside the image"),
    ({"points": [[-1, 10], [12, 10]]}, "INVALID_INPUT", "annotation 1: a point lies outside the image"),
    ({"points": [[1e300, 10], [12, 10]]}, "INVALID_INPUT", "annotation 1: a point lies outside the image"),
    ({"kind": "TEXT", "points": [[1, 1]]}, "INVALID_INPUT", "annotation 1: a TEXT annotation needs its text"),
    ({"kind": "ELLIPSE", "points": [[1, 1], [2, 2], [3, 3]]}, "INVALID_INPUT", "annotation 1: ELLIPSE takes 4 or 2"),
    ({"text": "x" * 501}, "INVALID_INPUT", "annotation 1: text up to 500 characters"),
    ({"instance": "not-an-id"}, "NOT_FOUND", "malformed id"),
]


def test_bad_marks_are_refused_and_nothing_is_written(school: School, tmp_path: Path) -> None:
    case, instance = _draft_case(school, tmp_path)
    before = _written(school.session)
    for change, code, message in BAD_MARKS:
        mark = {"instance": to_global_id("Instance", instance.uid), "kind": "LENGTH", "points": [[1, 1], [5, 5]]}
        out = _save(school, "author", case, case.version, [mark | change])
        assert out["case"] is None, change
        assert out["errors"][0]["code"] == code and out["errors"][0]["message"].startswith(message), out
        assert out["errors"][0]["field"] == "annotations"
    too_many = [{"instance": to_global_id("Instance", instance.uid), "kind": "TEXT", "points": [[1, 1]], "text": "x"}]
    out = _save(school, "author", case, case.version, too_many * 201)
    assert out["errors"][0]["message"] == "at most 200 annotations"
    assert _written(school.session) == before


def test_stale_version_foreign_image_and_trainee_are_refused(school: School, tmp_path: Path) -> None:
    s = school.session
    case, instance = _draft_case(school, tmp_path)
    school.import_file(tmp_path, "MR_small.dcm")  # another case
    other = s.exec(select(Case).where(Case.uid != case.uid)).one()
    foreign = _instance(s, other.uid)
    before = _written(s)
    stale = _save(school, "author", case, case.version - 1, _marks(instance))
    assert stale["case"] is None and stale["errors"][0]["code"] == "VERSION_CONFLICT"
    mark = {"instance": to_global_id("Instance", foreign.uid), "kind": "ARROW", "points": [[1, 1], [5, 5]]}
    off = _save(school, "author", case, case.version, [*_marks(instance), mark])
    assert off["errors"][0] == {
        "field": "annotations",
        "message": "annotation 6: the instance is not an image of this case",
        "code": "NOT_FOUND",
    }
    trainee = _save(school, "ann", case, case.version, _marks(instance))
    assert trainee["errors"][0]["code"] in ("FORBIDDEN", "NOT_FOUND")
    assert _written(s) == before


def test_revert_restores_the_annotations_of_the_version(school: School, tmp_path: Path) -> None:
    s = school.session
    case, instance = _draft_case(school, tmp_path)
    bare = case.version
    gid = to_global_id("Case", case.uid)
    _save(school, "author", case, bare, _marks(instance))
    cleared = _save(school, "author", case, bare + 1, [])
    assert cleared["case"]["annotations"] == []
    back = school.gql(school.tokens["author"], REVERT, id=gid, to=bare + 1, v=bare + 2)["revertCase"]
    assert back["errors"] == [] and back["case"]["version"] == bare + 3
    read = school.gql(school.tokens["author"], READ, id=gid)["node"]["annotations"]
    assert len(read) == 5
    # Back to a version saved before any annotation: none again.
    school.gql(school.tokens["author"], REVERT, id=gid, to=bare, v=bare + 3)
    assert school.gql(school.tokens["author"], READ, id=gid)["node"]["annotations"] == []
    diff = school.gql(
        school.tokens["author"],
        "query($id: ID!, $a: Int!, $b: Int!) { caseDiff(id: $id, fromVersion: $a, toVersion: $b) { field after } }",
        id=gid,
        a=bare,
        b=bare + 1,
    )["caseDiff"]
    assert [d["field"] for d in diff] == ["annotations"]
    assert to_global_id("Instance", instance.uid) in diff[0]["after"] and instance.uid not in diff[0]["after"]
    s.expire_all()


def test_trainee_sees_them_after_submitting_and_the_trainer_sees_both(school: School, tmp_path: Path) -> None:
    s = school.session
    case, instance = _draft_case(school, tmp_path)
    _save(school, "author", case, case.version, _marks(instance)[:1])
    s.expire_all()
    case = _validate(school, s.get(Case, case.uid) or case)
    author = school.people["author"]
    worklist = create_worklist(
        WorklistSpec(title="Neuro", mode="LONG_CASE", case_uids=(case.uid,)), session=s, principal=author
    )
    [assignment] = assign_worklist(
        worklist.uid, trainee_uids=[school.people["ann"].user_id or ""], session=s, principal=author
    )
    gid, aid = to_global_id("Case", case.uid), to_global_id("Assignment", assignment.uid)
    assert school.gql(school.tokens["ann"], READ, id=gid)["node"]["annotations"] is None
    mine = [{"instance": to_global_id("Instance", instance.uid), "kind": "LENGTH", "points": [[0, 0], [0, 100]]}]
    draft = school.gql(school.tokens["ann"], DRAFT, a=aid, c=gid, marks=mine)["saveReportDraft"]
    assert draft["errors"] == []
    assert draft["report"]["annotations"] == [
        {"kind": "LENGTH", "points": [[0.0, 0.0], [0.0, 100.0]], "measurement": {"value": 66.147, "unit": "mm"}}
    ]
    # A draft saved without marks keeps them; a bad mark is refused and the draft keeps its marks.
    kept = school.gql(school.tokens["ann"], DRAFT, a=aid, c=gid, marks=None)["saveReportDraft"]
    assert len(kept["report"]["annotations"]) == 1
    bad = [{**mine[0], "points": [[0, 0], [0, 500]]}]
    refused = school.gql(school.tokens["ann"], DRAFT, a=aid, c=gid, marks=bad)["saveReportDraft"]
    assert refused["errors"][0]["code"] == "INVALID_INPUT" and refused["errors"][0]["field"] == "annotations"
    s.expire_all()
    assert len(s.exec(select(Report)).one().annotations) == 1
    # Still blind to the author's arrow while the report is a draft.
    marks = school.gql(school.tokens["ann"], MARKS, id=draft["report"]["id"])["node"]
    assert marks["annotations"][0]["measurement"]["unit"] == "mm"
    assert school.gql(school.tokens["ann"], READ, id=gid)["node"]["annotations"] is None
    submitted = school.gql(school.tokens["ann"], SUBMIT, a=aid, c=gid)["submitReport"]
    assert submitted["errors"] == [] and submitted["report"]["annotations"] == [{"kind": "LENGTH"}]
    seen = school.gql(school.tokens["ann"], READ, id=gid)["node"]["annotations"]
    assert [a["text"] for a in seen] == ["Hyperdense focus"]
    marking = school.gql(school.tokens["author"], MARKING, id=draft["report"]["id"])["node"]
    assert marking["annotations"] == [{"kind": "LENGTH", "text": None}]
    assert marking["modelAnswer"]["annotations"] == [
        {"kind": "ARROW", "text": "Hyperdense focus", "instance": {"id": to_global_id("Instance", instance.uid)}}
    ]


def test_detaching_a_study_takes_its_annotations_with_it(school: School, tmp_path: Path) -> None:
    s = school.session
    case, first = _draft_case(school, tmp_path)
    school.import_file(tmp_path, "MR_small.dcm", case=case.uid)
    s.expire_all()
    case = s.get(Case, case.uid) or case
    second = s.exec(select(Study).where(Study.uid != _study_of(s, first))).one()
    on_mr = to_global_id("Instance", _instance(s, case.uid, second.uid).uid)
    marks = [*_marks(first)[:1], {"instance": on_mr, "kind": "ARROW", "points": [[10, 10], [30, 30]], "text": "MR"}]
    out = _save(school, "author", case, case.version, marks)
    assert out["errors"] == [] and len(out["case"]["annotations"]) == 2
    detached = school.gql(
        school.tokens["author"],
        "mutation($c: ID!, $s: ID!, $v: Int!) { detachStudy(input: {case: $c, study: $s, expectedVersion: $v}) "
        "{ case { annotations { text } } errors { code } } }",
        c=to_global_id("Case", case.uid),
        s=to_global_id("Study", second.uid),
        v=out["case"]["version"],
    )["detachStudy"]
    assert detached["case"]["annotations"] == [{"text": "Hyperdense focus"}]
