"""Sending a worklist's score to a VLE's gradebook (AGS 2.0): after marking, as a job.

The token comes from the platform's token URL (client credentials with a JWT assertion signed by
the tool's key), the score goes to the line item's /scores endpoint; pylti1p3 does both. What the
platform answered is kept in `lti_score` (content.lti.grades.record_sent).

`pass_back(assignment_uid)` is the body of the job queue's `lightbox.lti_scores` task (jobs.tasks),
one job per assignment deferred after the commit that completed its marking; it raises when a
platform was unreachable or failing so that procrastinate retries it with backoff. Re-posting the
same score is harmless in AGS (the platform keeps the latest), so a retry resends every line item.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractContextManager

import requests
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.exception import LtiException, LtiServiceException
from pylti1p3.grade import Grade
from pylti1p3.service_connector import ServiceConnector
from sqlmodel import Session

from content import events
from content.base import utcnow
from content.lti.grades import ScoreDue, record_sent, scores_due
from content.lti.models import LtiScore

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 10.0


class ScoresNotSent(RuntimeError):
    """A platform was unreachable or failing (no answer, 429, 5xx): worth trying again later."""


def retryable(status: int) -> bool:
    """Whether a platform's answer may change on another try (a 4xx refusal will not)."""
    return status == 0 or status == 429 or status >= 500


class _TimedSession(requests.Session):
    def request(self, *args, **kwargs):  # type: ignore[no-untyped-def,override]
        kwargs.setdefault("timeout", TIMEOUT_SECONDS)
        return super().request(*args, **kwargs)


def send(due: ScoreDue, http: requests.Session | None = None) -> tuple[int, str]:
    """Post one score; the platform's status (0 if unreachable) and an error text ('' when accepted)."""
    grade = (
        Grade()
        .set_score_given(due.given)
        .set_score_maximum(due.maximum)
        .set_timestamp(utcnow().isoformat())
        .set_activity_progress("Completed")
        .set_grading_progress("FullyGraded")
        .set_user_id(due.sub)
    )
    connector = ServiceConnector(due.registration, http or _TimedSession())
    service = AssignmentsGradesService(connector, {"scope": list(due.scopes), "lineitem": due.lineitem_url})  # type: ignore[typeddict-item,arg-type]
    try:
        service.put_grade(grade)
        return 200, ""
    except LtiServiceException as exc:
        return int(exc.response.status_code), str(exc)
    except (LtiException, requests.RequestException, ValueError, KeyError) as exc:
        return 0, f"{type(exc).__name__}: {exc}"


def publish(assignment_uid: str, *, session: Session, secret: bytes) -> list[LtiScore]:
    """Send a complete assignment's score to every linked line item; the rows recording each answer."""
    rows = []
    for due in scores_due(assignment_uid, session=session, secret=secret):
        status, error = send(due)
        rows.append(record_sent(due, status=status, error=error, session=session))
    session.commit()
    return rows


def pass_back(assignment_uid: str, *, scope: Callable[[], AbstractContextManager[Session]], secret: bytes) -> None:
    """Publish a complete assignment's score; raise ScoresNotSent when a retry may still get it through."""
    with scope() as session:
        rows = publish(assignment_uid, session=session, secret=secret)
        failed = [(row.status, row.error) for row in rows if row.status != 200]
    for status, error in failed:
        log.warning("LTI score of assignment %s refused: %s %s", assignment_uid, status, error)
    if any(retryable(status) for status, _ in failed):
        raise ScoresNotSent(f"assignment {assignment_uid}: {len(failed)} platform(s) did not take the score")


class GradePassback:
    """After a report is submitted or marked, send the assignment's score if it is now complete.

    With `defer` (the runtime: the job queue or the in-process runner), the sending is a job, so the
    trainer's marking never waits for a VLE and an unreachable one is retried; `background=False`
    without it sends in the committing thread (tests of the exchange itself)."""

    def __init__(
        self,
        scope: Callable[[], AbstractContextManager[Session]],
        *,
        secret: bytes,
        background: bool = True,
        defer: Callable[[str], None] | None = None,
    ) -> None:
        if background and defer is None:
            raise ValueError("background grade pass-back needs a job runner to defer to")
        self.scope, self.secret, self.defer = scope, secret, defer

    def subscribe(self, bus: events.EventBus) -> None:
        bus.subscribe(events.ReportMarked, self.handle)
        bus.subscribe(events.ReportSubmitted, self.handle)

    def handle(self, event: events.Event) -> None:
        assignment_uid = getattr(event, "assignment_uid", None)
        if not isinstance(assignment_uid, str):
            return
        if self.defer is not None:
            self.defer(assignment_uid)
        else:
            self.send(assignment_uid)

    def send(self, assignment_uid: str) -> None:
        try:
            pass_back(assignment_uid, scope=self.scope, secret=self.secret)
        except Exception:
            log.exception("LTI score of assignment %s failed", assignment_uid)
