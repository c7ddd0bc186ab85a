"""Webhook mutation payloads: the changed object, or why it was refused."""

from __future__ import annotations

import strawberry

from schema.errors import Error
from schema.webhooks.types import WebhookDelivery, WebhookSubscription


@strawberry.type(description="Result of createWebhookSubscription.")
class CreateWebhookSubscriptionPayload:
    subscription: WebhookSubscription | None = strawberry.field(description="The new subscription.")
    secret: str | None = strawberry.field(
        description="The signing secret: shown this once, never again. Keep it to verify Lightbox-Signature.")
    errors: list[Error] = strawberry.field(description="Why it failed.")


@strawberry.type(description="Result of deleteWebhookSubscription.")
class DeleteWebhookSubscriptionPayload:
    deleted_id: strawberry.ID | None = strawberry.field(description="The subscription stopped.")
    errors: list[Error] = strawberry.field(description="Why it failed.")


@strawberry.type(description="Result of redeliverWebhook.")
class RedeliverWebhookPayload:
    delivery: WebhookDelivery | None = strawberry.field(description="The delivery, queued again.")
    errors: list[Error] = strawberry.field(description="Why it failed.")
