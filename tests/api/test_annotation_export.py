"""A validated case's annotations as a DICOM SR (TID 1500) served by /dicomweb beside its images.

The SR is read back with highdicom (measurements, SCOORDs on the source image), listed by QIDO
and retrieved by WADO for a validator and a partner, with UIDs derived from case and version;
a trainee with the case open in an assignment gets nothing of it until they submit.
"""

from __future__ import annotations

import io
import math
from pathlib import Path
from typing import Any

import highdicom as hd
import numpy as np
import pydicom
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.settings import Settings
from content.annotations.models import AnnotationExport
from content.cases.models import Case
from content.imaging.models import Instance, Study
from content.worklists.assignments import assign_worklist
from content.worklists.service import WorklistSpec, create_worklist
from integrations.annotations.sr import ExportUids
from media.store import ContentStore
from schema.core.ids import to_global_id
from tests.content.imaging.school import School
from tests.contract.test_partner_operations import operation

SAVE = operation("viewer.graphql", "SaveAnnotations")
SPACING = 0.661468
TRANSITION = """mutation($id: ID!, $t: CaseTransition!) {
  transitionCase(input: {id: $id, transition: $t}) { case { version publishedVersion } errors { code message } } }"""
SUBMIT = """mutation($a: ID!, $c: ID!) {
  submitReport(input: {assignment: $a, case: $c, principalDiagnosis: "Haemorrhage"}) { errors { code } } }"""
MULTIPART = {"Accept": 'multipart/related; type="application/dicom"'}


@pytest.fixture
def school(session: Session, client: TestClient, app_settings: Settings) -> School:
    return School(session, client, ContentStore(app_settings.media_dir))


def _get(school: School, token: str, url: str, **headers: str) -> Any:
    return school.client.get(url, headers={"Authorization": f"Bearer {token}", **headers})


def _parts(body: bytes) -> list[pydicom.Dataset]:
    boundary = body.split(b"\r\n", 1)[0]
    chunks = [c for c in body.split(boundary) if c.strip() not in (b"", b"--")]
    return [pydicom.dcmread(io.BytesIO(c.split(b"\r\n\r\n", 1)[1].rsplit(b"\r\n", 1)[0])) for c in chunks]


def _published_with_marks(school: School, tmp_path: Path) -> tuple[Case, Instance, Study]:
    s = school.session
    school.import_file(tmp_path, "CT_small.dcm")
    case = s.exec(select(Case)).one()
    instance = s.exec(select(Instance)).one()
    study = s.exec(select(Study)).one()
    gid, iid = to_global_id("Case", case.uid), to_global_id("Instance", instance.uid)
    marks = [
        {"instance": iid, "kind": "LENGTH", "points": [[10, 10], [40, 50]]},
        {"instance": iid, "kind": "ARROW", "points": [[40, 40], [80, 90]], "text": "Hyperdense focus"},
        {"instance": iid, "kind": "ELLIPSE", "points": [[64, 44], [64, 84], [44, 64], [84, 64]]},
    ]
    saved = school.gql(school.tokens["author"], SAVE, case=gid, expectedVersion=case.version, annotations=marks)
    assert saved["saveAnnotations"]["errors"] == []
    for who, name in (("author", "SUBMIT"), ("checker", "VALIDATE")):
        out = school.gql(school.tokens[who], TRANSITION, id=gid, t=name)["transitionCase"]
        assert out["errors"] == [], out
    s.expire_all()
    return s.get(Case, case.uid) or case, instance, study


def test_the_sr_is_listed_retrieved_and_read_back(school: School, tmp_path: Path) -> None:
    case, instance, study = _published_with_marks(school, tmp_path)
    assert case.published_version is not None
    [export] = school.session.exec(select(AnnotationExport)).all()
    uids = ExportUids.of(case.uid, case.published_version, study.study_instance_uid)
    assert (export.series_instance_uid, export.sop_instance_uid) == (uids.series, uids.sop)
    token = school.tokens["checker"]
    series = _get(school, token, f"/dicomweb/studies/{study.study_instance_uid}/series").json()
    sr_series = [s for s in series if s["00080060"]["Value"] == ["SR"]]
    assert [s["0020000E"]["Value"] for s in sr_series] == [[uids.series]]
    found = _get(school, token, f"/dicomweb/studies/{study.study_instance_uid}/instances?Modality=SR").json()
    assert [(i["00080018"]["Value"][0], i["00080016"]["Value"][0]) for i in found] == [
        (uids.sop, "1.2.840.10008.5.1.4.1.1.88.34")
    ]
    url = f"/dicomweb/studies/{study.study_instance_uid}/series/{uids.series}/instances/{uids.sop}"
    response = _get(school, token, url, **MULTIPART)
    assert response.status_code == 200, response.text[:300]
    [part] = _parts(response.content)
    sr = hd.sr.srread(_bytes(part))
    assert sr.StudyInstanceUID == study.study_instance_uid and sr.SOPInstanceUID == uids.sop
    groups = sr.content.get_planar_roi_measurement_groups()
    assert [str(g.tracking_identifier) for g in groups] == ["1 LENGTH", "2 ARROW: Hyperdense focus", "3 ELLIPSE"]
    length, arrow, ellipse = groups
    assert length.roi is not None and arrow.roi is not None and ellipse.roi is not None
    assert length.roi.graphic_type == hd.sr.GraphicTypeValues.POLYLINE
    assert np.allclose(length.roi.value, [[10, 10], [40, 50]])
    assert np.allclose(arrow.roi.value, [[40, 40], [80, 90]])
    assert ellipse.roi.graphic_type == hd.sr.GraphicTypeValues.ELLIPSE
    [mm] = length.get_measurements()
    assert mm.name.meaning == "Length" and mm.unit.value == "mm"
    assert mm.value == pytest.approx(50 * SPACING, abs=1e-3)
    area, mean, sd = ellipse.get_measurements()
    assert area.unit.value == "mm2" and area.value == pytest.approx(math.pi * (20 * SPACING) ** 2, rel=1e-4)
    assert (mean.name.meaning, mean.unit.value) == ("Mean", "[hnsf'U]") and sd.value > 0
    referenced = length.roi.ContentSequence[0].ReferencedSOPSequence[0].ReferencedSOPInstanceUID
    source = pydicom.dcmread(school.store.path_for(instance.file_key), stop_before_pixels=True)
    assert referenced == source.SOPInstanceUID
    # The whole study brings it along with the image; its metadata is served too.
    study_parts = _parts(_get(school, token, f"/dicomweb/studies/{study.study_instance_uid}", **MULTIPART).content)
    assert sorted(p.Modality for p in study_parts) == ["CT", "SR"]
    meta = _get(school, token, f"{url}/metadata")
    assert meta.status_code == 200 and meta.json()[0]["00080018"]["Value"] == [uids.sop]
    # The partner's PACS sees it too.
    partner = _get(school, school.partner_token, f"/dicomweb/studies/{study.study_instance_uid}/series").json()
    assert uids.series in {s["0020000E"]["Value"][0] for s in partner}


def _bytes(ds: pydicom.Dataset) -> io.BytesIO:
    out = io.BytesIO()
    ds.save_as(out, enforce_file_format=True)
    out.seek(0)
    return out


def test_a_blind_trainee_gets_no_sr_until_they_submit(school: School, tmp_path: Path) -> None:
    s = school.session
    case, _, study = _published_with_marks(school, tmp_path)
    author = school.people["author"]
    worklist = create_worklist(
        WorklistSpec(title="Neuro", mode="LONG_CASE", case_uids=(case.uid,)), session=s, principal=author
    )
    [assignment] = assign_worklist(
        worklist.uid, trainee_uids=[school.people["ann"].user_id or ""], session=s, principal=author
    )
    export = s.exec(select(AnnotationExport)).one()
    token = school.tokens["ann"]
    base = f"/dicomweb/studies/{study.study_instance_uid}"
    listed = {x["0020000E"]["Value"][0] for x in _get(school, token, f"{base}/series").json()}
    assert export.series_instance_uid not in listed and len(listed) == 1  # the image series, not the SR
    instances = _get(school, token, f"{base}/instances").json()
    assert export.sop_instance_uid not in {i["00080018"]["Value"][0] for i in instances}
    sr_url = f"{base}/series/{export.series_instance_uid}/instances/{export.sop_instance_uid}"
    assert _get(school, token, sr_url, **MULTIPART).status_code == 404
    assert [p.Modality for p in _parts(_get(school, token, base, **MULTIPART).content)] == ["CT"]
    out = school.gql(token, SUBMIT, a=to_global_id("Assignment", assignment.uid), c=to_global_id("Case", case.uid))[
        "submitReport"
    ]
    assert out["errors"] == []
    assert _get(school, token, sr_url, **MULTIPART).status_code == 200


def test_a_version_without_annotations_exports_nothing(school: School, tmp_path: Path) -> None:
    s = school.session
    school.import_file(tmp_path, "CT_small.dcm")
    case = s.exec(select(Case)).one()
    gid = to_global_id("Case", case.uid)
    for who, name in (("author", "SUBMIT"), ("checker", "VALIDATE")):
        assert school.gql(school.tokens[who], TRANSITION, id=gid, t=name)["transitionCase"]["errors"] == []
    assert s.exec(select(AnnotationExport)).all() == []
    study = s.exec(select(Study)).one()
    series = _get(school, school.tokens["checker"], f"/dicomweb/studies/{study.study_instance_uid}/series").json()
    assert [x["00080060"]["Value"] for x in series] == [["CT"]]
