"""Domain events published after a commit succeeds (the Zope event pattern).

content/ emits; the composition root subscribes (the catalog, later webhooks). Handlers run only
once the transaction is durable, and a failing handler never undoes it.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import event as sa_event
from sqlmodel import Session

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CaseChanged:
    case_uid: str
    action: str  # created, updated, transitioned, reverted, deleted, imaged


@dataclass(frozen=True)
class SecurityChanged:
    """Local roles changed under a path: catalog entries under it carry stale principals."""

    path: str


Event = CaseChanged | SecurityChanged
Handler = Callable[[Event], None]


@dataclass
class EventBus:
    handlers: dict[type, list[Handler]] = field(default_factory=lambda: defaultdict(list))

    def subscribe(self, event_type: type, handler: Handler) -> None:
        self.handlers[event_type].append(handler)

    def publish(self, event: Event) -> None:
        for handler in self.handlers.get(type(event), []):
            try:
                handler(event)
            except Exception:
                log.exception("event handler %r failed for %r", handler, event)


_PENDING = "lightbox.pending_events"
_BUS = "lightbox.event_bus"


def bind(session: Session, bus: EventBus) -> None:
    """Make `session` deliver its pending events to `bus` after each successful commit."""
    session.info[_BUS] = bus
    if not sa_event.contains(session, "after_commit", _deliver):
        sa_event.listen(session, "after_commit", _deliver)
        sa_event.listen(session, "after_rollback", _discard)


def emit(session: Session, event: Event) -> None:
    pending: list[Event] = session.info.setdefault(_PENDING, [])
    if event not in pending:
        pending.append(event)


def _deliver(session: Session) -> None:
    events = session.info.pop(_PENDING, [])
    bus: EventBus | None = session.info.get(_BUS)
    if bus is not None:
        for ev in events:
            bus.publish(ev)


def _discard(session: Session) -> None:
    session.info.pop(_PENDING, None)
