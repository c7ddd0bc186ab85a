"""Images are versioned case content, over the real app on SQLite and PostgreSQL.

A study imported into a validated case (`lightbox import --case`, the upload page, PACS pull
and C-STORE all run this importer) starts a working copy: trainees, partners, DICOMweb and
media URLs keep the published image set until a second person validates, and an assignment
keeps the set it pinned even after that.
"""

from __future__ import annotations

from pathlib import Path

from sqlmodel import select

from content.cases.models import Case
from content.cases.transitions import transition
from content.imaging.image_set import detach_study
from content.imaging.models import Instance, Series, Study
from content.worklists.assignments import assign_worklist
from content.worklists.service import WorklistSpec, create_worklist
from media.urls import rendered_url
from schema.core.ids import to_global_id
from tests.content.imaging.school import School
from tests.importers.conftest import _find

ASSIGNED = """{ myAssignments { items { caseVersion case { version thumbnailUrl studies { id } } } } }"""
LISTED = """{ cases(first: 10) { edges { node { thumbnailUrl } } } }"""
HISTORY = """query($id: ID!) { node(id: $id) { ... on Case { history { version changedFields } } } }"""
DIFF = """query($id: ID!, $a: Int!, $b: Int!) { caseDiff(id: $id, fromVersion: $a, toVersion: $b) {
  field before after } }"""


def _gid(study: Study) -> str:
    return to_global_id("Study", study.uid)


def test_a_study_added_to_a_validated_case_waits_for_validation(school: School, tmp_path: Path) -> None:
    s, author, checker = school.session, school.people["author"], school.people["checker"]
    school.import_file(tmp_path, "CT_small.dcm")
    case = s.exec(select(Case)).one()
    first = s.exec(select(Study)).one()
    transition(case.uid, "SUBMIT", session=s, principal=author)
    transition(case.uid, "VALIDATE", session=s, principal=checker)
    worklist = create_worklist(
        WorklistSpec(title="Chest", mode="LONG_CASE", case_uids=(case.uid,)), session=s, principal=author
    )
    assign_worklist(worklist.uid, trainee_uids=[school.people["ann"].user_id or ""], session=s, principal=author)

    school.import_file(tmp_path, "MR_small.dcm", case=case.uid)  # `lightbox import --case`: same importer
    s.expire_all()
    second = s.exec(select(Study).where(Study.uid != first.uid)).one()
    case = s.get(Case, case.uid)
    assert case is not None and (case.state, case.version, case.published_version) == ("DRAFT", 4, 3)
    old, both = {_gid(first)}, {_gid(first), _gid(second)}
    old_uid, new_uid = first.study_instance_uid, second.study_instance_uid

    # The editor works on the new set; trainee, partner and DICOMweb keep the published one.
    assert school.study_uids(school.tokens["author"], case.uid) == both
    assert school.study_uids(school.tokens["ann"], case.uid) == old
    assert school.study_uids(school.partner_token, case.uid) == old
    assert school.qido(school.tokens["ann"]) == school.qido(school.partner_token) == {old_uid}
    wado = school.client.get(
        f"/dicomweb/studies/{new_uid}/metadata", headers={"Authorization": f"Bearer {school.partner_token}"}
    )
    assert wado.status_code == 404
    added = s.exec(
        select(Instance).join(Series, Series.uid == Instance.series_uid).where(Series.study_uid == second.uid)
    ).one()
    url = rendered_url(added)
    for who, status in (("ann", 404), ("author", 200)):
        r = school.client.get(url, headers={"Authorization": f"Bearer {school.tokens[who]}"})
        assert r.status_code == status, (who, r.text)
    # Lists and search hits take their thumbnail from the published set too.
    first_series = s.exec(select(Series.uid).where(Series.study_uid == first.uid)).one()
    for token in (school.tokens["ann"], school.partner_token):
        hits = school.gql(token, LISTED)["cases"]["edges"]
        assert [f"/series/{first_series}/" in h["node"]["thumbnailUrl"] for h in hits] == [True]
    history = school.gql(school.tokens["author"], HISTORY, id=to_global_id("Case", case.uid))["node"]["history"]
    assert history[-1] == {"version": 4, "changedFields": ["studies"]}
    diff = school.gql(school.tokens["author"], DIFF, id=to_global_id("Case", case.uid), a=3, b=4)["caseDiff"]
    series = {d["field"]: d for d in diff}["series"]
    assert to_global_id("Series", added.series_uid) in series["after"]
    assert to_global_id("Series", added.series_uid) not in series["before"]

    # A second person validates: everyone sees the new set, but the assignment keeps its pin.
    transition(case.uid, "SUBMIT", session=s, principal=author)
    transition(case.uid, "VALIDATE", session=s, principal=checker)
    assert school.study_uids(school.tokens["ann"], case.uid) == both
    assert school.study_uids(school.partner_token, case.uid) == both
    assert school.qido(school.tokens["ann"]) == school.qido(school.partner_token) == {old_uid, new_uid}
    r = school.client.get(url, headers={"Authorization": f"Bearer {school.tokens['ann']}"})
    assert r.status_code == 200
    items = school.gql(school.tokens["ann"], ASSIGNED)["myAssignments"][0]["items"]
    assert items[0]["caseVersion"] == 3 and {st["id"] for st in items[0]["case"]["studies"]} == old
    assert f"/series/{first_series}/" in items[0]["case"]["thumbnailUrl"]


def test_an_upload_into_a_validated_case_is_a_working_copy(school: School, tmp_path: Path) -> None:
    """POST /api/uploads with `case` (the upload page) follows the same rule as `import --case`."""
    s = school.session
    school.import_file(tmp_path, "CT_small.dcm")
    case = s.exec(select(Case)).one()
    first = s.exec(select(Study)).one()
    transition(case.uid, "SUBMIT", session=s, principal=school.people["author"])
    transition(case.uid, "VALIDATE", session=s, principal=school.people["checker"])
    with open(_find("MR_small.dcm"), "rb") as fh:
        r = school.client.post(
            "/api/uploads",
            data={"collection": "/leeds", "case": case.uid},
            files=[("files", ("MR_small.dcm", fh.read(), "application/dicom"))],
            headers={"Authorization": f"Bearer {school.tokens['author']}"},
        )
    assert r.status_code == 200 and r.json()["studies"][0]["status"] == "added", r.text
    s.expire_all()
    row = s.get(Case, case.uid)
    assert row is not None and (row.state, row.version, row.published_version) == ("DRAFT", 4, 3)
    assert school.study_uids(school.tokens["ann"], case.uid) == {_gid(first)}
    assert len(school.study_uids(school.tokens["author"], case.uid)) == 2


def test_a_detached_study_stays_with_the_assignment_that_pinned_it(school: School, tmp_path: Path) -> None:
    s, author, checker = school.session, school.people["author"], school.people["checker"]
    school.import_file(tmp_path, "CT_small.dcm")
    case = s.exec(select(Case)).one()
    school.import_file(tmp_path, "MR_small.dcm", case=case.uid)
    s.expire_all()
    ct, mr = (s.exec(select(Study).where(Study.modality == m)).one() for m in ("CT", "MR"))
    transition(case.uid, "SUBMIT", session=s, principal=author)
    transition(case.uid, "VALIDATE", session=s, principal=checker)
    worklist = create_worklist(
        WorklistSpec(title="Neuro", mode="LONG_CASE", case_uids=(case.uid,)), session=s, principal=author
    )
    assign_worklist(worklist.uid, trainee_uids=[school.people["ann"].user_id or ""], session=s, principal=author)
    detach_study(case.uid, mr.uid, expected_version=4, session=s, principal=author)
    transition(case.uid, "SUBMIT", session=s, principal=author)
    transition(case.uid, "VALIDATE", session=s, principal=checker)

    # Published now: the CT alone, for the partner and for the trainee outside her assignment.
    assert school.study_uids(school.partner_token, case.uid) == {_gid(ct)}
    assert school.study_uids(school.tokens["ann"], case.uid) == {_gid(ct)}
    assert school.qido(school.partner_token) == {ct.study_instance_uid}
    # Her assignment pinned version 4: its images stay hers, in GraphQL, DICOMweb and media.
    items = school.gql(school.tokens["ann"], ASSIGNED)["myAssignments"][0]["items"]
    assert {st["id"] for st in items[0]["case"]["studies"]} == {_gid(ct), _gid(mr)}
    assert school.qido(school.tokens["ann"]) == {ct.study_instance_uid, mr.study_instance_uid}
    image = s.exec(
        select(Instance).join(Series, Series.uid == Instance.series_uid).where(Series.study_uid == mr.uid)
    ).one()
    for token, status in ((school.tokens["ann"], 200), (school.partner_token, 404)):
        assert (
            school.client.get(rendered_url(image), headers={"Authorization": f"Bearer {token}"}).status_code == status
        )
