"""Webhook mutation inputs."""

from __future__ import annotations

import strawberry

from schema.webhooks.types import WebhookEventType

MAX_EVENTS = 10


@strawberry.input(description="Subscribe the caller's account to events, delivered to a URL.")
class CreateWebhookSubscriptionInput:
    url: str = strawberry.field(description="An absolute http(s) URL; it must accept POSTs.")
    events: list[WebhookEventType] = strawberry.field(  # type: ignore[valid-type]
        description="The event types to send (at most 10 entries)."
    )
    description: str | None = strawberry.field(default=None, description="A note for people (300 characters).")


@strawberry.input(description="Stop a subscription.")
class DeleteWebhookSubscriptionInput:
    id: strawberry.ID = strawberry.field(description="The subscription.")


@strawberry.input(description="Send a delivery again now.")
class RedeliverWebhookInput:
    delivery: strawberry.ID = strawberry.field(description="The delivery.")
