"""Reporting: drafts, one submit, immutability, the model answer of the pinned version, blinding, flags."""

from __future__ import annotations

import pytest
from sqlmodel import select

from content.cases.visibility import blind_case_uids as blinded_case_uids
from content.errors import DomainError, ErrorCode
from content.worklists.answers import model_answer
from content.worklists.assignments import assign_worklist
from content.worklists.models import Report
from content.worklists.report_fields import ReportFields
from content.worklists.reports import get_report, save_draft, submit_report
from content.worklists.revalidation import revalidated_reports
from tests.content.worklists.conftest import World, count

LONG = ReportFields(
    observations="Air in the left pleural space",
    principal_diagnosis="Left pneumothorax",
    differential_diagnoses=["Bulla", "Bulla"],
    management="Chest drain",
)


def _setup(world: World):  # type: ignore[no-untyped-def]
    ptx = world.case("PTX", diagnosis="Left pneumothorax", findings="Visible pleural edge")
    other = world.case("Other", diagnosis="Effusion")
    wl = world.worklist([ptx])
    [mine] = assign_worklist(wl.uid, trainee_uids=[world.uids["ann"]], session=world.session, principal=world.trainer)
    return ptx, other, mine


def test_draft_then_submit_opens_the_pinned_model_answer(world: World) -> None:
    ptx, _, mine = _setup(world)
    draft = save_draft(mine.uid, ptx.uid, ReportFields(observations="Air"), session=world.session, principal=world.ann)
    assert draft.status == "DRAFT" and model_answer(draft, session=world.session) is None
    draft = save_draft(mine.uid, ptx.uid, ReportFields(management="Drain"), session=world.session, principal=world.ann)
    assert (draft.observations, draft.management) == ("Air", "Drain")
    assert blinded_case_uids(world.session, world.ann) == {ptx.uid}
    # Revalidated after assignment: the trainee was asked, and is answered, the pinned version.
    world.revalidate(ptx.uid, diagnosis="Tension pneumothorax")
    report = submit_report(mine.uid, ptx.uid, LONG, session=world.session, principal=world.ann)
    assert report.uid == draft.uid and report.status == "SUBMITTED" and report.submitted_at is not None
    assert report.differential_diagnoses == ["Bulla"]
    answer = model_answer(report, session=world.session)
    assert answer is not None and answer.diagnosis == "Left pneumothorax"
    assert answer.teaching_points == "Teaching: PTX"
    assert blinded_case_uids(world.session, world.ann) == frozenset()
    assert blinded_case_uids(world.session, world.bob) == frozenset()
    assert get_report(report.uid, session=world.session, principal=world.trainer).uid == report.uid
    with pytest.raises(DomainError):
        get_report(report.uid, session=world.session, principal=world.bob)


@pytest.mark.parametrize("problem", ["not_assigned", "someone_elses", "twice", "edit_submitted", "empty", "long"])
def test_bad_reports_are_refused_and_nothing_is_written(world: World, problem: str) -> None:
    ptx, other, mine = _setup(world)
    assignment, case, who, act = mine.uid, ptx.uid, world.ann, submit_report
    values = LONG
    if problem in {"twice", "edit_submitted"}:
        submit_report(mine.uid, ptx.uid, LONG, session=world.session, principal=world.ann)
    before = count(world.session, Report)
    expected = {
        "not_assigned": ErrorCode.NOT_FOUND,
        "someone_elses": ErrorCode.NOT_FOUND,
        "twice": ErrorCode.INVALID_TRANSITION,
        "edit_submitted": ErrorCode.INVALID_TRANSITION,
        "empty": ErrorCode.INVALID_INPUT,
        "long": ErrorCode.INVALID_INPUT,
    }[problem]
    if problem == "not_assigned":
        case = other.uid
    elif problem == "someone_elses":
        who = world.bob
    elif problem == "edit_submitted":
        act, values = save_draft, ReportFields(observations="changed my mind")
    elif problem == "empty":
        values = ReportFields(management="Drain")
    elif problem == "long":
        values = ReportFields(observations="x" * 20_001)
    with pytest.raises(DomainError) as err:
        act(assignment, case, values, session=world.session, principal=who)
    assert err.value.code is expected
    world.session.rollback()
    assert count(world.session, Report) == before
    stored = world.session.exec(select(Report)).all()
    assert all(r.observations in {"", LONG.observations} for r in stored)


def test_a_case_revalidated_after_a_report_flags_it(world: World) -> None:
    ptx, _, mine = _setup(world)
    world.revalidate(ptx.uid, diagnosis="Changed before the report")
    report = submit_report(mine.uid, ptx.uid, LONG, session=world.session, principal=world.ann)
    assert revalidated_reports(world.session, [report]) == set()
    world.revalidate(ptx.uid, diagnosis="Changed after the report")
    assert revalidated_reports(world.session, [report]) == {report.uid}


def test_blind_labels_name_the_case_by_its_place(world: World) -> None:
    from content.cases.visibility import blind_labels

    ptx, _, mine = _setup(world)
    assert blind_labels(world.session, world.ann) == {ptx.uid: "Case 1 of Chest list"}
    submit_report(mine.uid, ptx.uid, LONG, session=world.session, principal=world.ann)
    assert blind_labels(world.session, world.ann) == {}
    assert blind_labels(world.session, world.trainer) == {}
