"""Webhook subscriptions, deliveries and attempts as the owner (or an administrator) sees them."""

from __future__ import annotations

import json
from datetime import datetime

import strawberry
from strawberry.types import Info

from content.webhooks.event_types import WebhookEventType as EventTypeValue
from content.webhooks.models import DeliveryState as DeliveryStateValue
from content.webhooks.models import WebhookAttempt as AttemptRow
from content.webhooks.models import WebhookDelivery as DeliveryRow
from content.webhooks.models import WebhookSubscription as SubscriptionRow
from schema.core.context import Context
from schema.core.enums import describe_values
from schema.core.errors import Error
from schema.core.ids import to_global_id
from schema.core.pagination import PageInfo
from schema.users.types import User

WebhookEventType = strawberry.enum(
    EventTypeValue,
    name="WebhookEventType",
    description="An event a partner may subscribe to; deliveries name it in lower case (case.validated).",
)

describe_values(
    WebhookEventType,
    {
        "CASE_VALIDATED": "A case was validated (published); delivered as case.validated.",
        "CASE_RETIRED": "A published case was retired; delivered as case.retired.",
        "WORKLIST_ASSIGNED": "A worklist was assigned to trainees; delivered as worklist.assigned.",
        "REPORT_SUBMITTED": "A trainee submitted a report; delivered as report.submitted.",
    },
)


WebhookDeliveryState = strawberry.enum(
    DeliveryStateValue,
    name="WebhookDeliveryState",
    description="PENDING: to be sent or retried; DELIVERED: a 2xx answer; FAILED: out of attempts.",
)

describe_values(
    WebhookDeliveryState,
    {
        "PENDING": "To be sent, or to be retried after a failed attempt.",
        "DELIVERED": "The endpoint answered 2xx.",
        "FAILED": "Out of attempts; no more retries.",
    },
)


@strawberry.type(description="A partner's endpoint and the events it is sent.")
class WebhookSubscription:
    owner_uid: strawberry.Private[str]
    id: strawberry.ID = strawberry.field(description="Opaque global id.")
    url: str = strawberry.field(description="Where deliveries are POSTed.")
    events: list[WebhookEventType] = strawberry.field(  # type: ignore[valid-type]
        description="The event types sent."
    )
    description: str = strawberry.field(description="A note for people.")
    secret_hint: str = strawberry.field(description="The last characters of the signing secret, to tell them apart.")
    created_at: datetime = strawberry.field(description="When it was made.")

    @strawberry.field(description="The account that owns it; events are sent only if this account may see them.")
    def owner(self, info: Info[Context, None]) -> User | None:
        row = info.context.loaders.users.get(self.owner_uid)
        return User.of(row) if row else None

    @staticmethod
    def of(row: SubscriptionRow) -> WebhookSubscription:
        return WebhookSubscription(
            owner_uid=row.owner_uid,
            id=strawberry.ID(to_global_id("WebhookSubscription", row.uid)),
            url=row.url,
            events=[EventTypeValue(e) for e in row.events],
            description=row.description,
            secret_hint=row.secret_hint,
            created_at=row.created,
        )


@strawberry.type(description="One POST of a delivery, or why it was not sent.")
class WebhookAttempt:
    number: int = strawberry.field(description="1 for the first attempt.")
    at: datetime = strawberry.field(description="When it was made.")
    status_code: int | None = strawberry.field(description="The HTTP status answered; null when none was.")
    error: str = strawberry.field(description="What went wrong; empty on success.")
    duration_ms: int = strawberry.field(description="How long it took, in milliseconds.")

    @staticmethod
    def of(row: AttemptRow) -> WebhookAttempt:
        return WebhookAttempt(
            number=row.number, at=row.at, status_code=row.status_code, error=row.error, duration_ms=row.duration_ms
        )


@strawberry.type(description="One event for one subscription, its state and every attempt to send it.")
class WebhookDelivery:
    id: strawberry.ID = strawberry.field(description="Opaque global id; sent as the Lightbox-Delivery header.")
    subscription_id: strawberry.ID = strawberry.field(description="The subscription's global id.")
    event_id: str = strawberry.field(description="The event's id, the same in every subscription's delivery of it.")
    event_type: WebhookEventType = strawberry.field(description="What happened.")  # type: ignore[valid-type]
    payload: str = strawberry.field(description="The JSON body sent (and signed).")
    state: WebhookDeliveryState = strawberry.field(description="Pending, delivered or failed.")  # type: ignore[valid-type]
    attempt_count: int = strawberry.field(description="Attempts made so far.")
    max_attempts: int = strawberry.field(description="Attempts allowed before it fails.")
    next_attempt_at: datetime | None = strawberry.field(description="When it is next tried, while pending.")
    last_status_code: int | None = strawberry.field(description="The last HTTP status answered.")
    last_error: str = strawberry.field(description="The last error; empty once delivered.")
    created_at: datetime = strawberry.field(description="When the event was recorded.")
    delivered_at: datetime | None = strawberry.field(description="When a 2xx answer came.")
    attempts: list[WebhookAttempt] = strawberry.field(description="Every attempt, oldest first.")

    @staticmethod
    def of(row: DeliveryRow, attempts: list[AttemptRow]) -> WebhookDelivery:
        pending = row.state == DeliveryStateValue.PENDING.value
        return WebhookDelivery(
            id=strawberry.ID(to_global_id("WebhookDelivery", row.uid)),
            subscription_id=strawberry.ID(to_global_id("WebhookSubscription", row.subscription_uid)),
            event_id=row.event_id,
            event_type=EventTypeValue(row.event_type),
            payload=json.dumps(row.payload, separators=(",", ":"), sort_keys=True),
            state=DeliveryStateValue(row.state),
            attempt_count=row.attempts,
            max_attempts=row.max_attempts,
            next_attempt_at=row.next_attempt_at if pending else None,
            last_status_code=row.last_status_code,
            last_error=row.last_error,
            created_at=row.created,
            delivered_at=row.delivered_at,
            attempts=[WebhookAttempt.of(a) for a in attempts],
        )


@strawberry.type(description="A delivery in a page.")
class WebhookDeliveryEdge:
    cursor: str = strawberry.field(description="Cursor of this delivery.")
    node: WebhookDelivery = strawberry.field(description="The delivery.")


@strawberry.type(description="A page of deliveries, newest first.")
class WebhookDeliveryConnection:
    total_count: int = strawberry.field(description="Deliveries matching, that the caller may see.")
    page_info: PageInfo = strawberry.field(description="Pagination.")
    edges: list[WebhookDeliveryEdge] = strawberry.field(description="This page.")


@strawberry.type(description="Result of createWebhookSubscription.")
class CreateWebhookSubscriptionPayload:
    subscription: WebhookSubscription | None = strawberry.field(description="The new subscription.")
    secret: str | None = strawberry.field(
        description="The signing secret: shown this once, never again. Keep it to verify Lightbox-Signature."
    )
    errors: list[Error] = strawberry.field(description="Why it failed.")


@strawberry.type(description="Result of deleteWebhookSubscription.")
class DeleteWebhookSubscriptionPayload:
    deleted_id: strawberry.ID | None = strawberry.field(description="The subscription stopped.")
    errors: list[Error] = strawberry.field(description="Why it failed.")


@strawberry.type(description="Result of redeliverWebhook.")
class RedeliverWebhookPayload:
    delivery: WebhookDelivery | None = strawberry.field(description="The delivery, queued again.")
    errors: list[Error] = strawberry.field(description="Why it failed.")
