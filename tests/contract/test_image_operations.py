"""The image-set operations of docs/contract/trust.graphql, run verbatim against the real app.

Each refusal (stale expectedVersion, an instance from another case, no Edit permission, the
last study of a case a trainee is still reporting) is a coded payload error that writes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from api.settings import Settings
from content.cases.models import Case, CaseVersion, CaseVersionStudy
from content.cases.transitions import transition
from content.imaging.models import Instance, Series, Study
from content.worklists.assignments import assign_worklist
from content.worklists.service import WorklistSpec, create_worklist
from media.store import ContentStore
from schema.core.ids import to_global_id
from tests.content.imaging.school import School
from tests.contract.test_partner_operations import operation


@pytest.fixture
def school(session: Session, client: TestClient, app_settings: Settings) -> School:
    return School(session, client, ContentStore(app_settings.media_dir))


DETACH = operation("trust.graphql", "DetachStudy")
KEYS = operation("trust.graphql", "SetKeyImages")


def _written(session: Session) -> tuple[int, int]:
    """Versions and image-set rows: a refused mutation changes neither."""
    session.expire_all()
    return (
        int(session.exec(select(func.count()).select_from(CaseVersion)).one()),
        int(session.exec(select(func.count()).select_from(CaseVersionStudy)).one()),
    )


def _instance_of(session: Session, study: Study) -> Instance:
    return session.exec(
        select(Instance).join(Series, Series.uid == Instance.series_uid).where(Series.study_uid == study.uid)
    ).one()


def _validated_case_with_two_studies(school: School, tmp_path: Path) -> tuple[Case, Study, Study]:
    s = school.session
    school.import_file(tmp_path, "CT_small.dcm")
    case = s.exec(select(Case)).one()
    first = s.exec(select(Study)).one()
    school.import_file(tmp_path, "MR_small.dcm", case=case.uid)  # a new version of the draft
    s.expire_all()
    second = s.exec(select(Study).where(Study.uid != first.uid)).one()
    transition(case.uid, "SUBMIT", session=s, principal=school.people["author"])
    case = transition(case.uid, "VALIDATE", session=s, principal=school.people["checker"])
    assert case.version == 4 and case.published_version == 4
    return case, first, second


def _run(school: School, who: str, query: str, **variables: Any) -> dict[str, Any]:
    data = school.gql(school.tokens[who], query, **variables)
    return next(iter(data.values()))  # type: ignore[no-any-return]


def test_set_key_images_starts_a_working_copy(school: School, tmp_path: Path) -> None:
    s = school.session
    case, _, second = _validated_case_with_two_studies(school, tmp_path)
    key = _instance_of(s, second)
    gid = to_global_id("Case", case.uid)
    out = _run(school, "author", KEYS, case=gid, instances=[to_global_id("Instance", key.uid)], expectedVersion=4)
    assert out["errors"] == []
    assert out["case"]["version"] == 5
    assert [k["id"] for k in out["case"]["keyImages"]] == [to_global_id("Instance", key.uid)]
    assert out["case"]["keyImages"][0]["renderedUrl"].startswith("/media/instances/")
    # The partner (and a trainee) still see the published version: no key images yet.
    published = school.gql(
        school.partner_token, "query($id: ID!) { node(id: $id) { ... on Case { version keyImages { id } } } }", id=gid
    )["node"]
    assert published == {"version": 4, "keyImages": []}
    diff = school.gql(
        school.tokens["author"],
        "query($id: ID!) { caseDiff(id: $id, fromVersion: 4, toVersion: 5) { field after } }",
        id=gid,
    )["caseDiff"]
    assert diff == [{"field": "key_images", "after": f'["{to_global_id("Instance", key.uid)}"]'}]


def test_set_key_images_refusals_write_nothing(school: School, tmp_path: Path) -> None:
    s = school.session
    case, first, _ = _validated_case_with_two_studies(school, tmp_path)
    school.import_file(tmp_path, "emri_small.dcm")  # another case's image
    other = s.exec(select(Study).where(Study.case_uid != case.uid)).one()
    gid, mine = to_global_id("Case", case.uid), to_global_id("Instance", _instance_of(s, first).uid)
    before = _written(s)
    stale = _run(school, "author", KEYS, case=gid, instances=[mine], expectedVersion=3)
    assert stale["case"] is None and stale["errors"][0]["code"] == "VERSION_CONFLICT"
    foreign = _run(
        school,
        "author",
        KEYS,
        case=gid,
        expectedVersion=4,
        instances=[mine, to_global_id("Instance", _instance_of(s, other).uid)],
    )
    assert foreign["errors"][0] == {
        "field": "instances",
        "message": "an instance is not an image of this case",
        "code": "NOT_FOUND",
    }
    trainee = _run(school, "ann", KEYS, case=gid, instances=[mine], expectedVersion=4)
    assert trainee["errors"][0]["code"] == "FORBIDDEN"
    assert _written(s) == before


def test_detach_study_and_the_last_study_of_an_assigned_case(school: School, tmp_path: Path) -> None:
    s = school.session
    case, first, second = _validated_case_with_two_studies(school, tmp_path)
    author = school.people["author"]
    worklist = create_worklist(
        WorklistSpec(title="Neuro", mode="LONG_CASE", case_uids=(case.uid,)), session=s, principal=author
    )
    assign_worklist(worklist.uid, trainee_uids=[school.people["ann"].user_id or ""], session=s, principal=author)
    gid = to_global_id("Case", case.uid)
    refused = _run(school, "ann", DETACH, case=gid, study=to_global_id("Study", second.uid), expectedVersion=4)
    assert refused["errors"][0]["code"] == "FORBIDDEN"
    stale = _run(school, "author", DETACH, case=gid, study=to_global_id("Study", second.uid), expectedVersion=2)
    assert stale["errors"][0]["code"] == "VERSION_CONFLICT"
    out = _run(school, "author", DETACH, case=gid, study=to_global_id("Study", second.uid), expectedVersion=4)
    assert out["errors"] == []
    assert out["case"] == {
        "id": gid,
        "version": 5,
        "state": "DRAFT",
        "publishedVersion": 4,
        "studies": [{"id": to_global_id("Study", first.uid)}],
    }
    # The trainee's published view keeps both studies until a second person validates.
    seen = school.study_uids(school.tokens["ann"], case.uid)
    assert seen == {to_global_id("Study", first.uid), to_global_id("Study", second.uid)}
    before = _written(s)
    last = _run(school, "author", DETACH, case=gid, study=to_global_id("Study", first.uid), expectedVersion=5)
    assert last["case"] is None
    assert last["errors"][0]["code"] == "INVALID_INPUT" and last["errors"][0]["field"] == "study"
    assert _written(s) == before


def test_detach_the_only_study_of_an_unassigned_case(school: School, tmp_path: Path) -> None:
    s = school.session
    school.import_file(tmp_path, "CT_small.dcm")
    case = s.exec(select(Case)).one()
    study = s.exec(select(Study)).one()
    out = _run(
        school,
        "author",
        DETACH,
        case=to_global_id("Case", case.uid),
        study=to_global_id("Study", study.uid),
        expectedVersion=1,
    )
    assert out["errors"] == [] and out["case"]["studies"] == [] and out["case"]["version"] == 2
    again = _run(
        school,
        "author",
        DETACH,
        case=to_global_id("Case", case.uid),
        study=to_global_id("Study", study.uid),
        expectedVersion=2,
    )
    assert again["errors"][0]["code"] == "NOT_FOUND"
