"""Claiming due deliveries so that several dispatchers (threads, processes, hosts) never send one row twice.

A claim is a conditional UPDATE that only moves rows still pending and unclaimed (or whose lease
ran out) to this claim's token. On PostgreSQL the candidates are picked FOR UPDATE SKIP LOCKED,
so workers take different rows instead of queueing on the same ones; SQLite serialises writers,
and the UPDATE's own condition decides a race there. Finishing is conditional on the token too.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from content.base import new_uid
from content.webhooks.models import DeliveryState, WebhookAttempt, WebhookDelivery

D = WebhookDelivery


def _claimable(now: datetime) -> list[sa.ColumnElement[bool]]:
    return [
        col(D.state) == DeliveryState.PENDING.value,
        col(D.next_attempt_at) <= now,
        sa.or_(col(D.claimed_until).is_(None), col(D.claimed_until) < now),
    ]


def claim_due(session: Session, *, now: datetime, lease: timedelta, limit: int) -> list[WebhookDelivery]:
    """Claim up to `limit` due deliveries for one lease; commits, and returns them claimed."""
    candidates = select(D.uid).where(*_claimable(now)).order_by(col(D.next_attempt_at)).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    uids = list(session.exec(candidates))
    if not uids:
        session.rollback()
        return []
    token = new_uid()
    session.execute(
        sa.update(D).where(col(D.uid).in_(uids), *_claimable(now)).values(claim_token=token, claimed_until=now + lease)
    )
    session.commit()
    return list(session.exec(select(D).where(col(D.claim_token) == token).order_by(col(D.next_attempt_at))))


def next_due(session: Session) -> datetime | None:
    """When the earliest pending delivery can next be claimed: when it falls due, or when its lease runs out."""
    held = sa.and_(col(D.claimed_until).is_not(None), col(D.claimed_until) > col(D.next_attempt_at))
    when = sa.case((held, col(D.claimed_until)), else_=col(D.next_attempt_at))
    earliest = select(func.min(when)).where(col(D.state) == DeliveryState.PENDING.value)
    value: datetime | None = session.exec(earliest).one()
    return value


def finish(
    session: Session,
    delivery: WebhookDelivery,
    *,
    token: str,
    attempt: WebhookAttempt,
    state: DeliveryState,
    next_attempt_at: datetime | None,
) -> bool:
    """Log the attempt and move the delivery on, if this claim still holds it; commits."""
    values: dict[str, object] = {
        "state": state.value,
        "attempts": attempt.number,
        "last_status_code": attempt.status_code,
        "last_error": attempt.error,
        "claim_token": None,
        "claimed_until": None,
    }
    if next_attempt_at is not None:
        values["next_attempt_at"] = next_attempt_at
    if state is DeliveryState.DELIVERED:
        values["delivered_at"] = attempt.at
    moved = session.execute(
        sa.update(D).where(col(D.uid) == delivery.uid, col(D.claim_token) == token).values(**values)
    )
    session.add(attempt)
    session.commit()
    return bool(moved.rowcount)  # type: ignore[attr-defined]  # the typed Result lacks rowcount
