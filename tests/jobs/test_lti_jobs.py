"""An assignment's score reaches the VLE's gradebook through a job: the queue's worker on PostgreSQL,
the in-process runner on SQLite; a gradebook that is down is retried until it takes the score."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from sqlmodel import select

from api.app import create_app
from api.db import SessionFactory
from api.runtime import Runtime
from api.settings import Settings
from content import events
from content.lti.grades import assignment_score
from content.lti.models import LtiScore, LtiUserLink
from content.users.models import User
from content.users.service import principal_for
from content.worklists.assignments import assign_worklist
from content.worklists.feedback import give_feedback
from content.worklists.report_fields import ReportFields
from content.worklists.reports import submit_report
from integrations.lti.grades import GradePassback
from jobs.queue import LTI_SCORES
from tests.api.test_lti_grades import _launch
from tests.content.worklists.conftest import World, world  # noqa: F401  (the fixture)
from tests.helpers import serving
from tests.jobs.running import empty_queue_table, run_jobs_until, task_counts
from tests.lti_platform import LTI, Platform, running_platform


@pytest.fixture
def graded(
    app_settings: Settings, sessions: SessionFactory, bus: events.EventBus
) -> Iterator[tuple[Runtime, Platform]]:
    """A platform registered with the tool, and a runtime whose jobs send scores for the test's bus."""
    empty_queue_table(app_settings)
    settings = app_settings.model_copy(update={"job_queue": app_settings.is_postgres, "job_retry_wait": 0})
    runtime = Runtime.open(settings)
    assert runtime.jobs is not None
    # The world below commits through the test's bus: marking there defers the job, as the app's does.
    GradePassback(sessions.scope, secret=settings.secret(), defer=runtime.jobs.defer_scores).subscribe(bus)
    try:
        with serving(create_app(app_settings)) as tool, running_platform(tool) as platform:
            platform.register(sessions.scope)
            yield runtime, platform
    finally:
        runtime.close()


def test_a_marked_worklist_score_is_sent_by_a_job_and_retried_while_the_gradebook_is_down(
    graded: tuple[Runtime, Platform],
    world: World,  # noqa: F811
) -> None:
    runtime, platform = graded
    platform.unavailable = 2
    case = world.case("Pneumothorax", diagnosis="Pneumothorax")
    wl = world.worklist([case])
    claims = {f"{LTI}custom": {"lightbox_target": f"worklist:{wl.uid}"}, "sub": "student-7", **platform.ags_claim()}
    with httpx.Client(timeout=30) as http:
        _launch(http, platform, claims)
        session = world.session
        link = session.exec(select(LtiUserLink).where(LtiUserLink.sub == "student-7")).one()
        sam = session.get(User, link.user_uid)
        assert sam is not None
        [assignment] = assign_worklist(wl.uid, trainee_uids=[sam.uid], session=session, principal=world.trainer)
    report = submit_report(
        assignment.uid,
        case.uid,
        ReportFields(observations="Seen", principal_diagnosis=case.title),
        session=session,
        principal=principal_for(sam, session=session),
    )
    give_feedback(report.uid, score=7, comment="Good", session=session, principal=world.trainer)

    def settled() -> bool:
        counts = task_counts(runtime, LTI_SCORES)
        return bool(platform.scores) and counts.get("todo") == 0 and counts.get("doing") == 0

    run_jobs_until(runtime, settled)

    # The submission's job may send the score too if it runs after the marking's commit: re-posting
    # the same score is harmless, and the two never run at once (they share a lock).
    expected = assignment_score(session, assignment.uid)
    assert expected is not None
    assert {(s["body"]["userId"], s["body"]["scoreGiven"]) for s in platform.scores} == {("student-7", expected)}
    assert platform.refused_scores == 2  # down twice, then taken: the job was retried
    session.expire_all()
    statuses = sorted(row.status for row in session.exec(select(LtiScore)))
    assert statuses == [200] * len(platform.scores) + [503, 503]
    counts = task_counts(runtime, LTI_SCORES)
    assert counts["succeeded"] >= 1 and counts["failed"] == 0
