"""What a delivery says: ids (Relay global ids), the type and the time. Never patient data, never an answer.

Each builder returns the event's type, its `data` and the audience check that decides, per
subscriber, whether the subscriber may know of it (content.webhooks.audience). The ids are
encoded by the `ids` function the composition root passes in (the API's own global-id
encoding), so content holds no copy of it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from content import events
from content.cases.models import Case
from content.principal import Principal
from content.webhooks import audience
from content.webhooks.event_types import TRANSITION_EVENTS, WebhookEventType

Audience = Callable[[Session, Principal], bool]
GlobalIds = Callable[[str, str], str]
"""(type name, uid) -> the id the GraphQL API gives that object."""


@dataclass(frozen=True)
class Described:
    """An event as partners see it: type, data, time and who may be told."""

    type: WebhookEventType
    data: dict[str, Any]
    at: datetime
    audience: Audience

    def body(self, event_id: str) -> dict[str, Any]:
        """The JSON body of a delivery of this event."""
        return {"id": event_id, "type": self.type.value, "occurredAt": self.at.isoformat(), "data": self.data}


def _case_transitioned(session: Session, ev: events.CaseTransitioned, global_id: GlobalIds) -> Described | None:
    kind = TRANSITION_EVENTS.get(ev.transition)
    case = session.get(Case, ev.case_uid) if kind else None
    if kind is None or case is None:
        return None
    data: dict[str, Any] = {
        "case": global_id("Case", case.uid),
        "collection": global_id("Collection", case.collection_uid),
    }
    if kind is WebhookEventType.CASE_VALIDATED:
        data["version"] = case.published_version
    states = (ev.source, ev.target)
    return Described(kind, data, ev.at, lambda s, p: audience.may_view_case(s, p, case, states))


def _worklist_assigned(session: Session, ev: events.WorklistAssigned, global_id: GlobalIds) -> Described:
    data = {
        "worklist": global_id("Worklist", ev.worklist_uid),
        "assignment": global_id("Assignment", ev.assignment_uid),
        "trainee": global_id("User", ev.trainee_uid),
    }
    return Described(
        WebhookEventType.WORKLIST_ASSIGNED, data, ev.at, lambda s, p: audience.may_view_assignment(p, ev.trainee_uid)
    )


def _report_submitted(session: Session, ev: events.ReportSubmitted, global_id: GlobalIds) -> Described:
    data = {
        "report": global_id("Report", ev.report_uid),
        "assignment": global_id("Assignment", ev.assignment_uid),
        "case": global_id("Case", ev.case_uid),
        "trainee": global_id("User", ev.trainee_uid),
    }
    return Described(
        WebhookEventType.REPORT_SUBMITTED,
        data,
        ev.at,
        lambda s, p: audience.may_view_report(s, p, ev.trainee_uid, ev.case_uid),
    )


def describe(session: Session, event: events.Event, *, ids: GlobalIds) -> Described | None:
    """The partner-facing form of a domain event, or None when partners are not told of it."""
    if isinstance(event, events.CaseTransitioned):
        return _case_transitioned(session, event, ids)
    if isinstance(event, events.WorklistAssigned):
        return _worklist_assigned(session, event, ids)
    if isinstance(event, events.ReportSubmitted):
        return _report_submitted(session, event, ids)
    return None
