"""Claiming due deliveries so that several dispatchers (threads, processes, hosts) never send one row twice.

A claim is a conditional UPDATE that only moves rows still pending and unclaimed (or whose lease
ran out) to this claim's token. On PostgreSQL the candidates are picked FOR UPDATE SKIP LOCKED,
so workers take different rows instead of queueing on the same ones; SQLite serialises writers,
and the UPDATE's own condition decides a race there. Finishing is conditional on the token too.
A job claims its one delivery the same way (`claim_one`), so a job and a drain never both send it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from content.base import new_uid
from content.webhooks.models import DeliveryState, WebhookAttempt, WebhookDelivery

D = WebhookDelivery


@dataclass(frozen=True)
class Attempted:
    """Where one attempt left its delivery: its state, and when it is due again if still pending."""

    state: DeliveryState
    next_attempt_at: datetime | None = None


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


def claim_one(session: Session, uid: str, *, now: datetime, lease: timedelta) -> WebhookDelivery | None:
    """Claim this delivery for one lease if it is pending, due by `now` and unclaimed; commits.

    None when it is not: delivered, failed, held by another sender, or not due yet (then the job
    that made its last attempt owns the retry, so a second job for it has nothing to do)."""
    token = new_uid()
    moved = session.execute(
        sa.update(D).where(col(D.uid) == uid, *_claimable(now)).values(claim_token=token, claimed_until=now + lease)
    )
    session.commit()
    if not moved.rowcount:  # type: ignore[attr-defined]  # the typed Result lacks rowcount
        return None
    return session.exec(select(D).where(col(D.uid) == uid, col(D.claim_token) == token)).first()


def overdue(session: Session, *, before: datetime, limit: int = 500) -> list[str]:
    """Pending, unclaimed deliveries that fell due before `before`: their job was lost (a restart of
    the in-process runner, a queue emptied by a restore) and has to be deferred again."""
    stmt = select(D.uid).where(*_claimable(before)).order_by(col(D.next_attempt_at)).limit(limit)
    return list(session.exec(stmt))


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


def state_counts(session: Session) -> dict[str, int]:
    """Deliveries by state (every state present): the outbox at a glance, for `lightbox jobs`."""
    rows = session.exec(select(D.state, func.count()).group_by(col(D.state))).all()
    counts = dict.fromkeys((s.value for s in DeliveryState), 0)
    counts.update({str(state): int(n) for state, n in rows})
    return counts
