"""The score a worklist sends to a gradebook: only when all of it is marked, as 0..100."""

from __future__ import annotations

from content.lti.grades import assignment_score
from content.worklists.assignments import assign_worklist
from content.worklists.feedback import give_feedback, moderate
from content.worklists.models import WorklistMode
from content.worklists.report_fields import ReportFields
from content.worklists.reports import submit_report
from tests.content.worklists.conftest import World, world  # noqa: F401  (the fixture)


def test_long_cases_score_once_every_report_is_marked(world: World) -> None:  # noqa: F811
    cases = [world.case("PTX", diagnosis="Pneumothorax"), world.case("Effusion", diagnosis="Effusion")]
    wl = world.worklist(cases)
    [a] = assign_worklist(wl.uid, trainee_uids=[world.uids["ann"]], session=world.session, principal=world.trainer)
    assert assignment_score(world.session, a.uid) is None
    first = submit_report(
        a.uid, cases[0].uid, ReportFields(observations="x"), session=world.session, principal=world.ann
    )
    second = submit_report(
        a.uid, cases[1].uid, ReportFields(observations="y"), session=world.session, principal=world.ann
    )
    give_feedback(first.uid, score=8, comment="Spot on", session=world.session, principal=world.trainer)
    assert assignment_score(world.session, a.uid) is None  # one still unmarked
    give_feedback(second.uid, score=2, comment="Missed it", session=world.session, principal=world.trainer)
    assert assignment_score(world.session, a.uid) == 62.5
    moderate(second.uid, agreed=False, score=4, comment="Harsh", session=world.session, principal=world.trainer2)
    assert assignment_score(world.session, a.uid) == 75.0  # the moderated score counts


def test_rapid_reports_score_on_submission(world: World) -> None:  # noqa: F811
    ptx = world.case("Film 1", diagnosis="Left apical pneumothorax", codes=("CHEST.PLEURA.PNEUMOTHORAX",))
    normal = world.case("Film 2", diagnosis="No abnormality", codes=("CHEST.NORMAL",))
    wl = world.worklist([ptx, normal], mode=WorklistMode.RAPID_REPORTING)
    [a] = assign_worklist(wl.uid, trainee_uids=[world.uids["bob"]], session=world.session, principal=world.trainer)
    submit_report(a.uid, normal.uid, ReportFields(abnormal=False), session=world.session, principal=world.bob)
    assert assignment_score(world.session, a.uid) is None
    submit_report(a.uid, ptx.uid, ReportFields(abnormal=False), session=world.session, principal=world.bob)
    assert assignment_score(world.session, a.uid) == 50.0  # the normal film right, the pneumothorax missed
