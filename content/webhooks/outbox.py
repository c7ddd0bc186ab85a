"""The transactional outbox: delivery rows written by the transaction whose change they announce.

Wired onto the event bus as an in-transaction handler (content.events), so a crash after the
commit loses no event and a rollback sends none. The rows written are announced by a WebhooksDue
event of the same transaction: after the commit a job is deferred per delivery (api/runtime.py), and
a job lost with its process is made good by the sweep of overdue rows (claims.overdue).
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from content import events
from content.base import new_uid
from content.principal import Principal
from content.webhooks.audience import subscriber
from content.webhooks.models import WebhookDelivery, WebhookSubscription
from content.webhooks.payloads import GlobalIds, describe

EVENT_TYPES: tuple[type, ...] = (events.CaseTransitioned, events.WorklistAssigned, events.ReportSubmitted)


def record(session: Session, event: events.Event, *, max_attempts: int, ids: GlobalIds) -> list[WebhookDelivery]:
    """Add one pending delivery per active subscription that wants this event and may know of it."""
    described = describe(session, event, ids=ids)
    if described is None:
        return []
    subs = session.exec(
        select(WebhookSubscription)
        .where(col(WebhookSubscription.active).is_(True))
        .order_by(col(WebhookSubscription.created), col(WebhookSubscription.uid))
    ).all()
    wanted = [s for s in subs if described.type.value in s.events]
    if not wanted:
        return []
    event_id = new_uid()
    body = described.body(event_id)
    principals: dict[tuple[str, str | None, str | None], Principal | None] = {}
    out = []
    for sub in wanted:
        key = (sub.owner_uid, sub.scope_path, sub.token_scope)
        if key not in principals:
            principals[key] = subscriber(session, sub)
        principal = principals[key]
        if principal is None or not described.audience(session, principal):
            continue
        row = WebhookDelivery(
            subscription_uid=sub.uid,
            event_id=event_id,
            event_type=described.type.value,
            payload=body,
            max_attempts=max_attempts,
            next_attempt_at=described.at,
        )
        session.add(row)
        out.append(row)
    return out


class Outbox:
    """The bus wiring: stage deliveries in the transaction, then wake whoever dispatches them."""

    def __init__(self, *, max_attempts: int, ids: GlobalIds) -> None:
        self.max_attempts = max_attempts
        self.ids = ids

    def subscribe(self, bus: events.EventBus) -> None:
        """Stage deliveries inside the transaction of every event partners may be told of."""
        for event_type in EVENT_TYPES:
            bus.subscribe_in_transaction(event_type, self._stage)

    def _stage(self, session: Session, event: events.Event) -> None:
        rows = record(session, event, max_attempts=self.max_attempts, ids=self.ids)
        if rows:
            events.emit(session, events.WebhooksDue(tuple(row.uid for row in rows)))
