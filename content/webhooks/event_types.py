"""The event types partners may subscribe to: GraphQL names (CASE_VALIDATED) and wire names (case.validated)."""

from __future__ import annotations

from enum import Enum


class WebhookEventType(str, Enum):
    """The events partners may subscribe to, by their published names."""

    CASE_VALIDATED = "case.validated"
    CASE_RETIRED = "case.retired"
    WORKLIST_ASSIGNED = "worklist.assigned"
    REPORT_SUBMITTED = "report.submitted"


# Which case transition is which event; other transitions are not published to partners.
TRANSITION_EVENTS: dict[str, WebhookEventType] = {
    "VALIDATE": WebhookEventType.CASE_VALIDATED,
    "RETIRE": WebhookEventType.CASE_RETIRED,
}
