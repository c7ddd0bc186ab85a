"""Trainer feedback on long cases (1..8, coded refusals) and moderation by a second trainer."""

from __future__ import annotations

import pytest

from content.errors import DomainError, ErrorCode
from content.worklists.assignments import assign_worklist
from content.worklists.feedback import final_scores, give_feedback, moderate
from content.worklists.models import Feedback, Moderation, Report, WorklistMode
from content.worklists.report_fields import ReportFields
from content.worklists.reports import save_draft, submit_report
from tests.content.worklists.conftest import World, count


def _report(world: World, mode: WorklistMode = WorklistMode.LONG_CASE) -> Report:
    ptx = world.case("PTX", diagnosis="Pneumothorax")
    wl = world.worklist([ptx], mode=mode)
    [a] = assign_worklist(wl.uid, trainee_uids=[world.uids["ann"]], session=world.session, principal=world.trainer)
    values = ReportFields(observations="Pleural edge", abnormal=True, abnormality="pneumothorax")
    return submit_report(a.uid, ptx.uid, values, session=world.session, principal=world.ann)


def test_feedback_then_moderation_sets_the_score_that_counts(world: World) -> None:
    report = _report(world)
    fb = give_feedback(
        report.uid,
        score=5,
        comment="Missed the mediastinal shift",
        sections={"observations": 4, "management": 6},
        session=world.session,
        principal=world.trainer,
    )
    assert (fb.score, fb.sections) == (5, {"observations": 4, "management": 6})
    assert final_scores(world.session, [report.uid]) == {report.uid: 5}
    with pytest.raises(DomainError) as same:
        moderate(report.uid, agreed=True, score=None, comment="", session=world.session, principal=world.trainer)
    assert same.value.code is ErrorCode.FORBIDDEN
    world.session.rollback()
    mod = moderate(
        report.uid, agreed=False, score=6, comment="Shift was subtle", session=world.session, principal=world.trainer2
    )
    assert mod.score == 6 and final_scores(world.session, [report.uid]) == {report.uid: 6}


@pytest.mark.parametrize(
    "problem", ["by_trainee", "score_low", "score_high", "no_comment", "twice", "draft", "rapid", "moderate_nothing"]
)
def test_bad_feedback_is_refused_and_nothing_is_written(world: World, problem: str) -> None:
    report = _report(world, WorklistMode.RAPID_REPORTING if problem == "rapid" else WorklistMode.LONG_CASE)
    uid, who, score, comment = report.uid, world.trainer, 6, "Good"
    expected = ErrorCode.INVALID_INPUT
    if problem == "twice":
        give_feedback(uid, score=6, comment="Good", session=world.session, principal=world.trainer)
        who, expected = world.trainer2, ErrorCode.DUPLICATE
    before = count(world.session, Feedback), count(world.session, Moderation)
    if problem == "by_trainee":
        who, expected = world.ann, ErrorCode.FORBIDDEN
    elif problem == "score_low":
        score = 0
    elif problem == "score_high":
        score = 9
    elif problem == "no_comment":
        comment = "  "
    elif problem == "draft":
        wl = world.worklist([world.case("Other", diagnosis="x")], title="Other")
        [a] = assign_worklist(wl.uid, trainee_uids=[world.uids["bob"]], session=world.session, principal=world.trainer)
        uid = save_draft(
            a.uid, _first_case(world, a.uid), ReportFields(observations="x"), session=world.session, principal=world.bob
        ).uid
        expected = ErrorCode.NOT_FOUND
    with pytest.raises(DomainError) as err:
        if problem == "moderate_nothing":
            expected = ErrorCode.INVALID_TRANSITION
            moderate(uid, agreed=True, score=None, comment="", session=world.session, principal=world.trainer2)
        else:
            give_feedback(uid, score=score, comment=comment, session=world.session, principal=who)
    assert err.value.code is expected
    world.session.rollback()
    assert (count(world.session, Feedback), count(world.session, Moderation)) == before


def _first_case(world: World, assignment_uid: str) -> str:
    from content.worklists.assignments import items_of

    return items_of(world.session, [assignment_uid])[assignment_uid][0].case_uid
