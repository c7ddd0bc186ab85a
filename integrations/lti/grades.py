"""Sending a worklist's score to a VLE's gradebook (AGS 2.0): after marking, on a thread of its own.

The token comes from the platform's token URL (client credentials with a JWT assertion signed by
the tool's key), the score goes to the line item's /scores endpoint; pylti1p3 does both. What the
platform answered is kept in `lti_score` (content.lti.grades.record_sent).
"""

from __future__ import annotations

import logging
import threading
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


class GradePassback:
    """After a report is submitted or marked, send the assignment's score if it is now complete.

    The sending runs on a thread of its own: the trainer's marking never waits for a VLE."""

    def __init__(
        self, scope: Callable[[], AbstractContextManager[Session]], *, secret: bytes, background: bool = True
    ) -> None:
        self.scope, self.secret, self.background = scope, secret, background
        self.threads: list[threading.Thread] = []

    def subscribe(self, bus: events.EventBus) -> None:
        bus.subscribe(events.ReportMarked, self.handle)
        bus.subscribe(events.ReportSubmitted, self.handle)

    def handle(self, event: events.Event) -> None:
        assignment_uid = getattr(event, "assignment_uid", None)
        if not isinstance(assignment_uid, str):
            return
        if not self.background:
            self.send(assignment_uid)
            return
        thread = threading.Thread(target=self.send, args=(assignment_uid,), name="lti-grades", daemon=True)
        self.threads = [t for t in self.threads if t.is_alive()] + [thread]
        thread.start()

    def send(self, assignment_uid: str) -> None:
        try:
            with self.scope() as session:
                for row in publish(assignment_uid, session=session, secret=self.secret):
                    if row.status != 200:
                        log.warning("LTI score of assignment %s refused: %s %s", assignment_uid, row.status, row.error)
        except Exception:
            log.exception("LTI score of assignment %s failed", assignment_uid)
