"""The delivery log as partners read it (one keyset page at a time, with each delivery's attempts), and redelivery."""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from content import audit, events
from content.base import utcnow
from content.errors import DomainError, ErrorCode
from content.principal import Principal
from content.webhooks.access import owned_by
from content.webhooks.models import DeliveryState, WebhookAttempt, WebhookDelivery, WebhookSubscription
from content.webhooks.service import get_subscription

MAX_PAGE = 100


@dataclass(frozen=True)
class DeliveryPage:
    """One page of deliveries with their attempts, the total and whether more follow."""

    deliveries: list[WebhookDelivery]
    attempts: dict[str, list[WebhookAttempt]]
    total: int
    has_next: bool
    cursors: list[str]


def _cursor(row: WebhookDelivery) -> str:
    return base64.urlsafe_b64encode(json.dumps([row.created.isoformat(), row.uid]).encode()).decode()


def _after(cursor: str) -> tuple[datetime, str]:
    try:
        created, uid = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        return datetime.fromisoformat(created), str(uid)
    except (ValueError, TypeError) as exc:
        raise DomainError(ErrorCode.INVALID_INPUT, "malformed cursor", field="after") from exc


def _visible(principal: Principal) -> Any:
    return sa.exists().where(
        col(WebhookSubscription.uid) == col(WebhookDelivery.subscription_uid),
        col(WebhookSubscription.active).is_(True),
        owned_by(principal),
    )


def attempts_of(session: Session, delivery_uids: Sequence[str]) -> dict[str, list[WebhookAttempt]]:
    """The attempts of each delivery, in order, by delivery uid."""
    out: dict[str, list[WebhookAttempt]] = {uid: [] for uid in delivery_uids}
    if delivery_uids:
        stmt = (
            select(WebhookAttempt)
            .where(col(WebhookAttempt.delivery_uid).in_(list(delivery_uids)))
            .order_by(col(WebhookAttempt.delivery_uid), col(WebhookAttempt.id))
        )
        for row in session.exec(stmt):
            out[row.delivery_uid].append(row)
    return out


def list_deliveries(
    *,
    subscription_uid: str | None = None,
    state: str | None = None,
    first: int = 20,
    after: str | None = None,
    session: Session,
    principal: Principal,
) -> DeliveryPage:
    """Newest first: the deliveries of the caller's subscriptions (any for an administrator)."""
    conds = [_visible(principal)]
    if not 1 <= first <= MAX_PAGE:
        raise DomainError(ErrorCode.INVALID_INPUT, f"first must be 1 to {MAX_PAGE}", field="first")
    if subscription_uid is not None:
        conds.append(
            col(WebhookDelivery.subscription_uid)
            == get_subscription(subscription_uid, session=session, principal=principal).uid
        )
    if state is not None:
        if state not in DeliveryState.__members__:
            raise DomainError(ErrorCode.INVALID_INPUT, f"unknown state {state}", field="state")
        conds.append(col(WebhookDelivery.state) == state)
    total = session.exec(select(func.count()).select_from(WebhookDelivery).where(*conds)).one()
    stmt = select(WebhookDelivery).where(*conds)
    if after:
        created, uid = _after(after)
        stmt = stmt.where(
            sa.or_(
                col(WebhookDelivery.created) < created,
                sa.and_(col(WebhookDelivery.created) == created, col(WebhookDelivery.uid) < uid),
            )
        )
    rows = list(
        session.exec(
            stmt.order_by(col(WebhookDelivery.created).desc(), col(WebhookDelivery.uid).desc()).limit(first + 1)
        )
    )
    page = rows[:first]
    return DeliveryPage(
        deliveries=page,
        attempts=attempts_of(session, [d.uid for d in page]),
        total=int(total),
        has_next=len(rows) > first,
        cursors=[_cursor(d) for d in page],
    )


def get_delivery(uid: str, *, session: Session, principal: Principal) -> WebhookDelivery:
    """A delivery the caller may see; NOT_FOUND (field `id`) otherwise."""
    row = session.exec(select(WebhookDelivery).where(col(WebhookDelivery.uid) == uid, _visible(principal))).first()
    if row is None:
        raise DomainError(ErrorCode.NOT_FOUND, "no such webhook delivery", field="id")
    return row


def redeliver(uid: str, *, session: Session, principal: Principal) -> WebhookDelivery:
    """Send a delivery again now: one more attempt for a delivered or failed one, sooner for a pending one."""
    row = get_delivery(uid, session=session, principal=principal)
    now = utcnow()
    if row.state != DeliveryState.PENDING.value:
        row.state, row.max_attempts = DeliveryState.PENDING.value, row.attempts + 1
    row.next_attempt_at = now
    session.add(row)
    audit.record(session, principal, "webhook.redeliver", "webhook_delivery", row.uid, attempts=row.attempts)
    events.emit(session, events.WebhooksDue((row.uid,), redelivery=True))
    session.commit()
    return row
