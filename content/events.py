"""Domain events published after a commit succeeds (the Zope event pattern).

content/ emits; the composition root subscribes (the catalog, webhooks). Two kinds of handler:

- after commit (`subscribe`): run once the transaction is durable; a failing handler never undoes it.
- in the transaction (`subscribe_in_transaction`): run just before the commit, with the session, so
  what they write (a webhook outbox row) commits or rolls back with the change that caused it. A
  failing one fails the commit: an event is never lost while its change is kept.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import event as sa_event
from sqlmodel import Session

from content.base import utcnow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CaseChanged:
    """A case was created, edited, transitioned, reverted, deleted or given images."""

    case_uid: str
    action: str  # created, updated, transitioned, reverted, deleted, imaged


@dataclass(frozen=True)
class SecurityChanged:
    """Local roles changed under a path: catalog entries under it carry stale principals."""

    path: str


@dataclass(frozen=True)
class CaseTransitioned:
    """A workflow transition of a case (the transition and the states it moved between)."""

    case_uid: str
    transition: str
    source: str
    target: str
    at: datetime = field(default_factory=utcnow, compare=False)


@dataclass(frozen=True)
class WorklistAssigned:
    """One trainee's assignment of a worklist was made."""

    assignment_uid: str
    worklist_uid: str
    trainee_uid: str
    at: datetime = field(default_factory=utcnow, compare=False)


@dataclass(frozen=True)
class ReportSubmitted:
    """A trainee submitted a report on a case of an assignment."""

    report_uid: str
    assignment_uid: str
    case_uid: str
    trainee_uid: str
    at: datetime = field(default_factory=utcnow, compare=False)


@dataclass(frozen=True)
class ReportMarked:
    """A trainer marked (or moderated) a submitted long-case report."""

    report_uid: str
    assignment_uid: str
    trainee_uid: str


@dataclass(frozen=True)
class WebhooksDue:
    """Webhook deliveries were written (by the outbox, or a redelivery): whoever sends them should now.

    Emitted inside the transaction that wrote them, so the after-commit handler (a job deferred per
    delivery) only ever sees committed rows."""

    delivery_uids: tuple[str, ...] = ()
    redelivery: bool = False  # sent again by hand: now, even if an earlier job waits to retry it later


@dataclass(frozen=True)
class SessionsEnded:
    """Sign-in sessions or API tokens were revoked: caches of live credentials are stale."""

    user_uid: str | None = None


@dataclass(frozen=True)
class PreviewsDue:
    """A study was stored without its series previews: whoever runs jobs should render them.

    Emitted by an import only when a handler is subscribed (`handled`), that is when a job queue
    renders previews elsewhere; otherwise the import renders them itself before its commit.
    """

    study_instance_uid: str


Event = (
    CaseChanged
    | SecurityChanged
    | CaseTransitioned
    | WorklistAssigned
    | ReportSubmitted
    | ReportMarked
    | WebhooksDue
    | SessionsEnded
    | PreviewsDue
)
Handler = Callable[[Event], None]
StageHandler = Callable[[Session, Event], None]


@dataclass
class EventBus:
    """Domain events to handlers: in-transaction stagers, and handlers run after the commit."""

    handlers: dict[type, list[Handler]] = field(default_factory=lambda: defaultdict(list))
    stagers: dict[type, list[StageHandler]] = field(default_factory=lambda: defaultdict(list))

    def subscribe(self, event_type: type, handler: Handler) -> None:
        """Call `handler` after each commit that emitted an event of this type."""
        self.handlers[event_type].append(handler)

    def subscribe_in_transaction(self, event_type: type, handler: StageHandler) -> None:
        """Call `handler` inside the transaction that emits an event of this type."""
        self.stagers[event_type].append(handler)

    def publish(self, event: Event) -> None:
        """Run the after-commit handlers of one event; a failing handler is logged, not raised."""
        for handler in self.handlers.get(type(event), []):
            try:
                handler(event)
            except Exception:
                log.exception("event handler %r failed for %r", handler, event)

    def stage(self, session: Session, event: Event) -> None:
        """Run the in-transaction handlers; their exceptions propagate and fail the commit."""
        for handler in self.stagers.get(type(event), []):
            handler(session, event)


_PENDING = "lightbox.pending_events"
_STAGED = "lightbox.staged_events"
_BUS = "lightbox.event_bus"


def bind(session: Session, bus: EventBus) -> None:
    """Make `session` stage its pending events before each commit and deliver them to `bus` after it."""
    session.info[_BUS] = bus
    if not sa_event.contains(session, "after_commit", _deliver):
        sa_event.listen(session, "before_commit", _stage)
        sa_event.listen(session, "after_commit", _deliver)
        sa_event.listen(session, "after_rollback", _discard)


def handled(session: Session, event_type: type) -> bool:
    """Whether the bus bound to `session` has an after-commit handler for this event type."""
    bus: EventBus | None = session.info.get(_BUS)
    return bus is not None and bool(bus.handlers.get(event_type))


def emit(session: Session, event: Event) -> None:
    """Queue an event on the session's transaction, to be published if (and when) it commits."""
    # Belong to a transaction, so that a rollback (which is a no-op without one) discards the event.
    session.connection()
    pending: list[Event] = session.info.setdefault(_PENDING, [])
    if event not in pending:
        pending.append(event)


def _stage(session: Session) -> None:
    bus: EventBus | None = session.info.get(_BUS)
    if bus is None:
        return
    staged: list[Event] = session.info.setdefault(_STAGED, [])
    for ev in list(session.info.get(_PENDING, [])):
        if ev not in staged:
            staged.append(ev)
            bus.stage(session, ev)


def _deliver(session: Session) -> None:
    events = session.info.pop(_PENDING, [])
    session.info.pop(_STAGED, None)
    bus: EventBus | None = session.info.get(_BUS)
    if bus is not None:
        for ev in events:
            bus.publish(ev)


def _discard(session: Session) -> None:
    session.info.pop(_PENDING, None)
    session.info.pop(_STAGED, None)
