"""Progress per trainee and cohort, archive coverage with its gap list, facility index, evidence export."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from content.base import utcnow
from content.errors import DomainError, ErrorCode
from content.worklists.assignments import assign_worklist
from content.worklists.coverage import archive_coverage, gap_list
from content.worklists.evidence import evidence, to_csv
from content.worklists.facility import facility_index
from content.worklists.feedback import give_feedback
from content.worklists.models import WorklistMode
from content.worklists.progress import cohort_progress, trainee_progress
from content.worklists.report_fields import ReportFields
from content.worklists.reports import submit_report
from integrations.evidence_html import to_html
from tests.content.worklists.conftest import World


@pytest.fixture
def school(world: World) -> dict:
    ptx = world.case("PTX", diagnosis="Left pneumothorax", codes=("CHEST.PLEURA.PNEUMOTHORAX",))
    stroke = world.case("Stroke", diagnosis="MCA infarct", codes=("NEURO.STROKE.ISCHAEMIC",), modalities=("CT",))
    normal = world.case("Normal", diagnosis="Normal chest", codes=("CHEST.NORMAL",))
    world.case("Unvalidated bleed", codes=("NEURO.STROKE.HAEMORRHAGIC",), validate=False)
    long = world.worklist([ptx, stroke], title="Long cases")
    rapid = world.worklist([ptx, normal], mode=WorklistMode.RAPID_REPORTING, title="Rapid")
    past = utcnow() - timedelta(days=1)
    by = {
        a.trainee_uid: a
        for a in assign_worklist(
            long.uid, cohort_uid=world.cohort, due_at=past, session=world.session, principal=world.trainer
        )
    }
    [r] = assign_worklist(rapid.uid, trainee_uids=[world.uids["ann"]], session=world.session, principal=world.trainer)
    ann = by[world.uids["ann"]].uid
    s, p = world.session, world.ann
    for case, score in ((ptx, 6), (stroke, 4)):
        rep = submit_report(ann, case.uid, ReportFields(observations="seen"), session=s, principal=p)
        give_feedback(rep.uid, score=score, comment="ok", session=s, principal=world.trainer)
    submit_report(r.uid, ptx.uid, ReportFields(abnormal=True, abnormality="pneumothorax"), session=s, principal=p)
    submit_report(r.uid, normal.uid, ReportFields(abnormal=True, abnormality="nodule"), session=s, principal=p)
    return {"ptx": ptx.uid, "stroke": stroke.uid, "normal": normal.uid}


def test_trainee_progress_counts_scores_accuracy_and_rolled_up_coverage(world: World, school: dict) -> None:
    ann = trainee_progress(session=world.session, principal=world.ann)
    assert (ann.assigned_count, ann.reported_count, ann.overdue_count) == (4, 4, 0)
    assert (ann.mean_score, ann.rapid_accuracy, ann.rapid_count) == (5.0, 0.5, 2)
    cov = {n.code: (n.reported_count, n.validated_case_count) for n in ann.coverage}
    assert cov["CHEST"] == (3, 2) and cov["CHEST.PLEURA"] == (2, 1) and cov["NEURO"] == (1, 1)
    assert cov["NEURO.STROKE.HAEMORRHAGIC"] == (0, 0)
    bob = trainee_progress(world.uids["bob"], session=world.session, principal=world.trainer)
    assert (bob.assigned_count, bob.reported_count, bob.overdue_count, bob.mean_score) == (2, 0, 2, None)
    with pytest.raises(DomainError) as err:
        trainee_progress(world.uids["bob"], session=world.session, principal=world.ann)
    assert err.value.code is ErrorCode.FORBIDDEN


def test_cohort_progress_adds_up_its_trainees(world: World, school: dict) -> None:
    total, each = cohort_progress(world.cohort, session=world.session, principal=world.trainer)
    assert (total.assigned_count, total.reported_count, total.overdue_count) == (6, 4, 2)
    assert [p.trainee_uids for p in each] == [(world.uids["ann"],), (world.uids["bob"],)]
    with pytest.raises(DomainError) as err:
        cohort_progress(world.cohort, session=world.session, principal=world.ann)
    assert err.value.code is ErrorCode.FORBIDDEN


def test_archive_coverage_by_modality_gap_list_and_facility_index(world: World, school: dict) -> None:
    nodes = {n.code: n for n in archive_coverage(session=world.session, principal=world.trainer)}
    assert nodes["CHEST"].validated_case_count == 2 and nodes["CHEST"].by_modality == {"CR": 2}
    assert nodes["NEURO"].by_modality == {"CT": 1}
    gaps = {n.code for n in gap_list(session=world.session, principal=world.validator)}
    assert "NEURO.STROKE.HAEMORRHAGIC" in gaps and not gaps & {"CHEST", "NEURO.STROKE"}
    facility = {c.case_uid: c.facility_index for c in facility_index(session=world.session, principal=world.trainer)}
    assert facility == {school["ptx"]: 1.0, school["stroke"]: 0.0, school["normal"]: 0.0}
    with pytest.raises(DomainError):
        facility_index(session=world.session, principal=world.ann)


def test_evidence_export_as_csv_and_html(world: World, school: dict) -> None:
    ev = evidence(session=world.session, principal=world.ann)
    rows = list(csv.DictReader(io.StringIO(to_csv(ev))))
    assert len(rows) == 4 and {r["worklist"] for r in rows} == {"Long cases", "Rapid"}
    stroke = next(r for r in rows if r["case"] == "Stroke")
    assert (stroke["curriculum_codes"], stroke["score"], stroke["rapid_correct"]) == ("NEURO.STROKE.ISCHAEMIC", "4", "")
    page = to_html(ev)
    assert page.startswith("<!doctype html>") and "ann" in page and "NEURO.STROKE.ISCHAEMIC" in page
    assert evidence(world.uids["bob"], session=world.session, principal=world.trainer).rows == []
