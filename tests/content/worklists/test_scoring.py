"""Rapid reporting is marked automatically against the pinned version; the long-case rubric is 1..8."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlmodel import select

from content.audit import AuditEvent
from content.errors import DomainError, ErrorCode
from content.worklists.assignments import assign_worklist
from content.worklists.models import WorklistMode
from content.worklists.rapid_marking import named_items, over_calls
from content.worklists.report_fields import ReportFields
from content.worklists.reports import submit_report
from content.worklists.scoring import RUBRIC, check_score, check_sections
from tests.content.worklists.conftest import World

# (answer: abnormal, abnormality, site) -> expected (normal_correct, abnormality_correct, correct)
ABNORMAL_CASE: list[tuple[tuple[bool, str, str], tuple[bool, bool | None, bool]]] = [
    ((True, "pneumothorax", "left apex"), (True, True, True)),
    ((True, "Pneumothorax", ""), (True, True, True)),
    ((True, "pneumothorax", "right"), (True, False, False)),
    ((True, "rib fracture", "left"), (True, False, False)),
    ((False, "", ""), (False, False, False)),
    # Over-calling costs: a list, a hedge, or a run of condition names in one phrase scores nothing.
    ((True, "pneumothorax, effusion, consolidation, rib fracture", ""), (True, False, False)),
    ((True, "pneumothorax or intracerebral haemorrhage", "left"), (True, False, False)),
    ((True, "pneumothorax ? effusion", "left"), (True, False, False)),
    ((True, "pneumothorax intracerebral haemorrhage ischaemic stroke", ""), (True, False, False)),
    # The first abnormality named is the one marked.
    ((True, "effusion, pneumothorax", "left"), (True, False, False)),
    # Describing the one abnormality the film shows is not over-calling.
    ((True, "apical pneumothorax; pleural edge", "left"), (True, True, True)),
    ((True, "tension pneumothorax", "left apex"), (True, True, True)),
    # Naming every side is not a site.
    ((True, "pneumothorax", "left and right"), (True, False, False)),
]
NORMAL_CASE: list[tuple[tuple[bool, str, str], tuple[bool, bool | None, bool]]] = [
    ((False, "", ""), (True, None, True)),
    ((True, "pneumothorax", "left"), (False, None, False)),
]


@pytest.mark.parametrize("answer,expected", ABNORMAL_CASE + NORMAL_CASE)
def test_rapid_reporting_marks(world: World, answer: tuple, expected: tuple) -> None:
    ptx = world.case(
        "Film 1",
        diagnosis="Left apical pneumothorax",
        findings="Left apical pleural edge",
        codes=("CHEST.PLEURA.PNEUMOTHORAX",),
    )
    normal = world.case("Film 2", diagnosis="No abnormality", codes=("CHEST.NORMAL",))
    wl = world.worklist([ptx, normal], mode=WorklistMode.RAPID_REPORTING)
    [a] = assign_worklist(wl.uid, trainee_uids=[world.uids["ann"]], session=world.session, principal=world.trainer)
    case = normal if (answer, expected) in NORMAL_CASE else ptx
    abnormal, abnormality, site = answer
    report = submit_report(
        a.uid,
        case.uid,
        ReportFields(abnormal=abnormal, abnormality=abnormality, site=site),
        session=world.session,
        principal=world.ann,
    )
    assert (report.normal_correct, report.abnormality_correct, report.auto_correct) == expected
    [entry] = world.session.exec(select(AuditEvent).where(AuditEvent.action == "report.submit")).all()
    # The audit says what was over-called: anything named on the abnormal film that it does not show.
    named = set(re.findall(r"[a-z]+", abnormality))
    wrong = {"effusion", "haemorrhage", "consolidation", "fracture"}
    assert bool(entry.detail["over_calls"]) == (case is ptx and abnormal and bool(named & wrong))


def test_rapid_mark_uses_the_pinned_version(world: World) -> None:
    ptx = world.case("Film", diagnosis="Pneumothorax", codes=("CHEST.PLEURA.PNEUMOTHORAX",))
    wl = world.worklist([ptx], mode=WorklistMode.RAPID_REPORTING)
    [a] = assign_worklist(wl.uid, trainee_uids=[world.uids["ann"]], session=world.session, principal=world.trainer)
    world.revalidate(ptx.uid, diagnosis="Pleural effusion")
    report = submit_report(
        a.uid,
        ptx.uid,
        ReportFields(abnormal=True, abnormality="pneumothorax"),
        session=world.session,
        principal=world.ann,
    )
    assert report.auto_correct is True


def test_rapid_answer_must_say_normal_or_abnormal(world: World) -> None:
    ptx = world.case("Film", diagnosis="Pneumothorax")
    wl = world.worklist([ptx], mode=WorklistMode.RAPID_REPORTING)
    [a] = assign_worklist(wl.uid, trainee_uids=[world.uids["ann"]], session=world.session, principal=world.trainer)
    for values, field in (
        (ReportFields(abnormality="pneumothorax"), "abnormal"),
        (ReportFields(abnormal=True), "abnormality"),
    ):
        with pytest.raises(DomainError) as err:
            submit_report(a.uid, ptx.uid, values, session=world.session, principal=world.ann)
        assert (err.value.code, err.value.field) == (ErrorCode.INVALID_INPUT, field)
        world.session.rollback()


def test_rubric_is_one_to_eight_per_section() -> None:
    assert sorted(RUBRIC) == list(range(1, 9))
    assert check_score(8) == 8 and check_sections({"observations": 5}) == {"observations": 5}
    for bad in (0, 9):
        with pytest.raises(DomainError):
            check_score(bad)
    with pytest.raises(DomainError):
        check_sections({"spelling": 5})


def test_a_timed_list_records_answers_after_the_limit_as_over_time(world: World) -> None:
    from content.worklists.models import Assignment
    from content.worklists.service import WorklistSpec, create_worklist

    a, b = world.case("Film 1", diagnosis="Pneumothorax"), world.case("Film 2", diagnosis="Effusion")
    wl = create_worklist(
        WorklistSpec("Timed", "RAPID_REPORTING", (a.uid, b.uid), time_limit_minutes=30),
        session=world.session,
        principal=world.trainer,
    )
    [asg] = assign_worklist(wl.uid, trainee_uids=[world.uids["ann"]], session=world.session, principal=world.trainer)
    first = submit_report(asg.uid, a.uid, ReportFields(abnormal=False), session=world.session, principal=world.ann)
    row = world.session.get(Assignment, asg.uid)
    assert row is not None and row.started_at is not None and first.over_time is False
    # Move the recorded start back rather than wait: the rule is about the clock, not about sleeping.
    row.started_at = row.started_at - timedelta(minutes=31)
    world.session.add(row)
    world.session.commit()
    late = submit_report(asg.uid, b.uid, ReportFields(abnormal=False), session=world.session, principal=world.ann)
    assert late.over_time is True


def test_an_answer_names_its_abnormalities_item_by_item() -> None:
    assert named_items("Pneumothorax, effusion or consolidation ? rib fracture / and") == [
        {"pneumothorax"},
        {"effusion"},
        {"consolidation"},
        {"fracture"},
    ]
    assert named_items("large left tension pneumothorax with mediastinal shift") == [
        {"tension", "pneumothorax", "mediastinal", "shift"}
    ]
    answer, conditions = {"pneumothorax", "apical", "pleural", "edge"}, frozenset({"pneumothorax", "effusion"})
    # Words the model answer lacks are allowed as description; names of other conditions are not.
    assert over_calls([{"tension", "pneumothorax", "mediastinal", "shift"}], answer, conditions) == []
    assert over_calls([{"pneumothorax", "effusion"}], answer, conditions) == ["effusion"]
    assert over_calls([{"pneumothorax"}, {"consolidation"}], answer, conditions) == ["consolidation"]
