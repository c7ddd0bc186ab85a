"""Webhook queries: thin resolvers, each calling one webhook service and mapping its result."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from content.webhooks.deliveries import list_deliveries
from content.webhooks.service import list_subscriptions
from schema.core.context import Context
from schema.core.ids import from_global_id
from schema.core.pagination import PageInfo
from schema.webhooks.types import (
    WebhookDelivery,
    WebhookDeliveryConnection,
    WebhookDeliveryEdge,
    WebhookDeliveryState,
    WebhookSubscription,
)


@strawberry.type
class WebhookQuery:
    @strawberry.field(description="Your webhook subscriptions (everyone's, for administrators), oldest first.")
    def webhook_subscriptions(self, info: Info[Context, None]) -> list[WebhookSubscription]:
        ctx = info.context
        rows = list_subscriptions(session=ctx.session, principal=ctx.principal)
        ctx.loaders.users.want(r.owner_uid for r in rows)
        return [WebhookSubscription.of(r) for r in rows]

    @strawberry.field(description="The delivery log, newest first, with every attempt; first at most 100.")
    def webhook_deliveries(
        self,
        info: Info[Context, None],
        subscription: Annotated[
            strawberry.ID | None, strawberry.argument(description="Only deliveries of this subscription.")
        ] = None,
        state: Annotated[
            WebhookDeliveryState | None,  # type: ignore[valid-type]
            strawberry.argument(description="Only deliveries in this state."),
        ] = None,
        first: Annotated[int, strawberry.argument(description="How many deliveries, 1 to 100.")] = 20,
        after: Annotated[str | None, strawberry.argument(description="Cursor of the edge to start after.")] = None,
    ) -> WebhookDeliveryConnection:
        ctx = info.context
        sub_uid = from_global_id(subscription, "WebhookSubscription", field="subscription")[1] if subscription else None
        page = list_deliveries(
            subscription_uid=sub_uid,
            state=state.value if state else None,  # type: ignore[attr-defined]
            first=first,
            after=after,
            session=ctx.session,
            principal=ctx.principal,
        )
        edges = [
            WebhookDeliveryEdge(cursor=cursor, node=WebhookDelivery.of(row, page.attempts[row.uid]))
            for row, cursor in zip(page.deliveries, page.cursors, strict=True)
        ]
        return WebhookDeliveryConnection(
            total_count=page.total,
            edges=edges,
            page_info=PageInfo.of(page.cursors, has_next=page.has_next, after=after),
        )
