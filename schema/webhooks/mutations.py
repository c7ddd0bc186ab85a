"""Webhook mutations: thin, each calling one webhook service and mapping its result."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from content.errors import DomainError, ErrorCode
from content.webhooks.deliveries import attempts_of, redeliver
from content.webhooks.service import create_subscription, delete_subscription
from schema.core.context import Context
from schema.core.errors import refusable
from schema.core.ids import from_global_id, to_global_id
from schema.webhooks.inputs import (
    MAX_EVENTS,
    CreateWebhookSubscriptionInput,
    DeleteWebhookSubscriptionInput,
    RedeliverWebhookInput,
)
from schema.webhooks.types import (
    CreateWebhookSubscriptionPayload,
    DeleteWebhookSubscriptionPayload,
    RedeliverWebhookPayload,
    WebhookDelivery,
    WebhookSubscription,
)


@strawberry.type
class WebhookMutation:
    @strawberry.mutation(description="Subscribe to events (administrators and partners); the secret is shown once.")
    @refusable(
        lambda errs: CreateWebhookSubscriptionPayload(subscription=None, secret=None, errors=errs), unit_of_work=True
    )
    def create_webhook_subscription(
        self,
        info: Info[Context, None],
        input: Annotated[
            CreateWebhookSubscriptionInput,
            strawberry.argument(description="Subscribe the caller's account to events, delivered to a URL."),
        ],
    ) -> CreateWebhookSubscriptionPayload:
        ctx = info.context
        if len(input.events) > MAX_EVENTS:
            raise DomainError(ErrorCode.INVALID_INPUT, f"at most {MAX_EVENTS} events", field="events")
        names = [e.name for e in input.events]  # type: ignore[attr-defined]
        secret, row = create_subscription(
            url=input.url,
            events=names,
            description=input.description or "",
            server_key=ctx.secret,
            targets=ctx.webhook_targets,
            session=ctx.session,
            principal=ctx.principal,
        )
        return CreateWebhookSubscriptionPayload(subscription=WebhookSubscription.of(row), secret=secret, errors=[])

    @strawberry.mutation(description="Stop a subscription of yours (any, for administrators).")
    @refusable(lambda errs: DeleteWebhookSubscriptionPayload(deleted_id=None, errors=errs), unit_of_work=True)
    def delete_webhook_subscription(
        self,
        info: Info[Context, None],
        input: Annotated[DeleteWebhookSubscriptionInput, strawberry.argument(description="Stop a subscription.")],
    ) -> DeleteWebhookSubscriptionPayload:
        ctx = info.context
        uid = from_global_id(input.id, "WebhookSubscription")[1]
        row = delete_subscription(uid, session=ctx.session, principal=ctx.principal)
        return DeleteWebhookSubscriptionPayload(
            deleted_id=strawberry.ID(to_global_id("WebhookSubscription", row.uid)), errors=[]
        )

    @strawberry.mutation(description="Send a delivery again now (one more attempt if it had finished).")
    @refusable(lambda errs: RedeliverWebhookPayload(delivery=None, errors=errs))
    def redeliver_webhook(
        self,
        info: Info[Context, None],
        input: Annotated[RedeliverWebhookInput, strawberry.argument(description="Send a delivery again now.")],
    ) -> RedeliverWebhookPayload:
        ctx = info.context
        uid = from_global_id(input.delivery, "WebhookDelivery", field="delivery")[1]
        row = redeliver(uid, session=ctx.session, principal=ctx.principal)
        return RedeliverWebhookPayload(
            delivery=WebhookDelivery.of(row, attempts_of(ctx.session, [uid])[uid]), errors=[]
        )
