"""The domain's webhook enums, exposed as they are (GraphQL names; wire names are the Python values)."""

from __future__ import annotations

import strawberry

from content.webhooks.event_types import WebhookEventType as EventTypeValue
from content.webhooks.models import DeliveryState as DeliveryStateValue

WebhookEventType = strawberry.enum(
    EventTypeValue, name="WebhookEventType",
    description="An event a partner may subscribe to; deliveries name it in lower case (case.validated).")
WebhookDeliveryState = strawberry.enum(
    DeliveryStateValue, name="WebhookDeliveryState",
    description="PENDING: to be sent or retried; DELIVERED: a 2xx answer; FAILED: out of attempts.")
