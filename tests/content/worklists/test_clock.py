"""The server's clock of a timed assignment: it starts once, and late answers are refused or flagged as the
assigned worklist version says."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from content.audit import AuditEvent
from content.errors import DomainError, ErrorCode
from content.worklists.assignments import assign_worklist
from content.worklists.clock import deadline, start_assignment, time_limit
from content.worklists.models import Assignment, LateAnswers, Report, Worklist
from content.worklists.report_fields import ReportFields
from content.worklists.reports import save_draft, submit_report
from content.worklists.service import WorklistSpec, create_worklist, update_worklist
from tests.content.worklists.conftest import World, count


def _timed(world: World, late_answers: str, minutes: int = 30):  # type: ignore[no-untyped-def]
    a, b = world.case("Film 1", diagnosis="Pneumothorax"), world.case("Film 2", diagnosis="Effusion")
    wl = create_worklist(
        WorklistSpec("Timed", "RAPID_REPORTING", (a.uid, b.uid), time_limit_minutes=minutes, late_answers=late_answers),
        session=world.session,
        principal=world.trainer,
    )
    [asg] = assign_worklist(wl.uid, trainee_uids=[world.uids["ann"]], session=world.session, principal=world.trainer)
    return wl, asg, a, b


def _run_out(world: World, uid: str, minutes: int = 31) -> None:
    """Move the recorded start back rather than wait: the rule is about the clock, not about sleeping."""
    row = world.session.get(Assignment, uid)
    assert row is not None and row.started_at is not None
    row.started_at = row.started_at - timedelta(minutes=minutes)
    world.session.add(row)
    world.session.commit()


def test_the_clock_starts_once_and_sets_the_deadline(world: World) -> None:
    _, asg, _, _ = _timed(world, "REFUSE")
    assert deadline(world.session, asg) is None  # not started yet
    started = start_assignment(asg.uid, session=world.session, principal=world.ann)
    first = started.started_at
    assert first is not None and deadline(world.session, started) == first + timedelta(minutes=30)
    again = start_assignment(asg.uid, session=world.session, principal=world.ann)
    assert again.started_at == first
    with pytest.raises(DomainError) as err:
        start_assignment(asg.uid, session=world.session, principal=world.bob)
    assert err.value.code is ErrorCode.NOT_FOUND


def test_a_worklist_that_refuses_late_answers_takes_no_late_draft_or_submission(world: World) -> None:
    _, asg, a, b = _timed(world, "REFUSE")
    start_assignment(asg.uid, session=world.session, principal=world.ann)
    in_time = submit_report(asg.uid, a.uid, ReportFields(abnormal=False), session=world.session, principal=world.ann)
    assert in_time.status == "SUBMITTED" and in_time.over_time is False
    save_draft(
        asg.uid, b.uid, ReportFields(abnormal=True, abnormality="effusion"), session=world.session, principal=world.ann
    )
    _run_out(world, asg.uid)
    audits = count(world.session, AuditEvent)
    for act, values in (
        (save_draft, ReportFields(site="left base")),
        (submit_report, ReportFields(abnormal=True, abnormality="effusion", site="left base")),
    ):
        with pytest.raises(DomainError) as err:
            act(asg.uid, b.uid, values, session=world.session, principal=world.ann)
        assert (err.value.code, err.value.field) == (ErrorCode.TIME_LIMIT_EXCEEDED, "assignment")
        world.session.rollback()
    world.session.expire_all()
    draft = world.session.exec(select(Report).where(Report.case_uid == b.uid)).one()
    assert (draft.status, draft.site, draft.submitted_at) == ("DRAFT", "", None)
    assert count(world.session, AuditEvent) == audits


def test_a_worklist_that_flags_late_answers_records_them_over_time(world: World) -> None:
    _, asg, a, b = _timed(world, "FLAG")
    first = submit_report(asg.uid, a.uid, ReportFields(abnormal=False), session=world.session, principal=world.ann)
    assert first.over_time is False
    _run_out(world, asg.uid)
    late = submit_report(asg.uid, b.uid, ReportFields(abnormal=False), session=world.session, principal=world.ann)
    assert late.status == "SUBMITTED" and late.over_time is True


def test_an_assignment_keeps_the_rule_of_the_version_it_pinned(world: World) -> None:
    wl, asg, a, b = _timed(world, "FLAG")
    update_worklist(
        wl.uid,
        expected_version=wl.version,
        spec=WorklistSpec("Timed", "", (a.uid, b.uid), time_limit_minutes=60, late_answers="REFUSE"),
        session=world.session,
        principal=world.trainer,
    )
    [later] = assign_worklist(wl.uid, trainee_uids=[world.uids["bob"]], session=world.session, principal=world.trainer)
    pinned, repinned = time_limit(world.session, asg), time_limit(world.session, later)
    assert pinned is not None and (pinned.minutes, pinned.late_answers) == (30, LateAnswers.FLAG)
    assert repinned is not None and repinned.late_answers is LateAnswers.REFUSE
    start_assignment(asg.uid, session=world.session, principal=world.ann)
    start_assignment(later.uid, session=world.session, principal=world.bob)
    _run_out(world, asg.uid, 45)
    _run_out(world, later.uid, 61)
    assert (
        submit_report(
            asg.uid, a.uid, ReportFields(abnormal=False), session=world.session, principal=world.ann
        ).over_time
        is True
    )
    with pytest.raises(DomainError) as err:
        submit_report(later.uid, a.uid, ReportFields(abnormal=False), session=world.session, principal=world.bob)
    assert err.value.code is ErrorCode.TIME_LIMIT_EXCEEDED


def test_an_unknown_late_answer_rule_is_refused(world: World) -> None:
    a = world.case("Film 1", diagnosis="Pneumothorax")
    with pytest.raises(DomainError) as err:
        create_worklist(
            WorklistSpec("Timed", "RAPID_REPORTING", (a.uid,), time_limit_minutes=30, late_answers="IGNORE"),
            session=world.session,
            principal=world.trainer,
        )
    assert (err.value.code, err.value.field) == (ErrorCode.INVALID_INPUT, "late_answers")
    world.session.rollback()
    assert count(world.session, Worklist) == 0
