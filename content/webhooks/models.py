"""Webhook tables: subscriptions, the delivery outbox, and the log of every delivery attempt."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from content.base import dt_column, new_uid, utcnow


class DeliveryState(str, Enum):
    """Where a delivery stands: pending, delivered or failed."""

    PENDING = "PENDING"
    DELIVERED = "DELIVERED"
    FAILED = "FAILED"


class WebhookSubscription(SQLModel, table=True):
    """A partner's endpoint and the event types it wants.

    The signing secret is never stored: it is derived from the server's secret key and this row's
    random salt (content.webhooks.keys), so the database alone reveals no secret. `key_id` says
    which server key the secret was derived from, to detect a rotated key instead of mis-signing.
    The credential's collection scope and read/write scope (or its partner organisation) are kept,
    so events are filtered by what the credential that subscribed may see, not by everything its
    account may. Ownership is the account (owner_uid) for now, also for partner organisations.
    """

    __tablename__ = "webhook_subscription"

    uid: str = Field(default_factory=new_uid, primary_key=True, max_length=32)
    owner_uid: str = Field(foreign_key="user.uid", index=True)
    url: str = Field(max_length=2000)
    events: list[str] = Field(default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False))
    description: str = Field(default="", max_length=300)
    secret_salt: str = Field(max_length=64)
    secret_hint: str = Field(default="", max_length=8)
    key_id: str = Field(max_length=16)
    scope_path: str | None = Field(default=None, max_length=1000)
    token_scope: str | None = Field(default=None, max_length=10)
    # Set when a partner organisation's token subscribed (content.partners): its policy, read at
    # each event, decides what the subscription hears. No foreign key: the partner table comes later.
    partner_uid: str | None = Field(default=None, max_length=32, index=True)
    active: bool = True
    created: datetime = Field(default_factory=utcnow, sa_column=dt_column())


class WebhookDelivery(SQLModel, table=True):
    """One event for one subscription: an outbox row written in the transaction that caused it."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (sa.Index("ix_webhook_delivery_due", "state", "next_attempt_at"),)

    uid: str = Field(default_factory=new_uid, primary_key=True, max_length=32)
    subscription_uid: str = Field(foreign_key="webhook_subscription.uid", index=True)
    event_id: str = Field(max_length=32, index=True)  # shared by every delivery of one event
    event_type: str = Field(max_length=40)
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=sa.Column(sa.JSON, nullable=False))
    state: str = Field(default=DeliveryState.PENDING.value, max_length=12)
    attempts: int = 0
    max_attempts: int = 8
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_column=dt_column())
    # A dispatcher owns the row while claimed_until is in the future (a lease: a crashed worker's
    # rows go back to the pool when it runs out).
    claim_token: str | None = Field(default=None, max_length=32)
    claimed_until: datetime | None = Field(default=None, sa_column=dt_column(nullable=True))
    last_status_code: int | None = None
    last_error: str = Field(default="", max_length=500)
    created: datetime = Field(default_factory=utcnow, sa_column=dt_column(index=True))
    delivered_at: datetime | None = Field(default=None, sa_column=dt_column(nullable=True))


class WebhookAttempt(SQLModel, table=True):
    """One POST of a delivery (or one refusal to send it): the log partners read through the API."""

    __tablename__ = "webhook_attempt"

    id: int | None = Field(default=None, primary_key=True)
    delivery_uid: str = Field(foreign_key="webhook_delivery.uid", index=True)
    number: int
    at: datetime = Field(default_factory=utcnow, sa_column=dt_column())
    status_code: int | None = None
    error: str = Field(default="", max_length=500)
    duration_ms: int = 0
