"""Partner schools and the payloads of their mutations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry.types import Info

from content.partners.models import Partner as PartnerRow
from content.partners.service import (
    collections_of,
)
from schema.collections.types import Collection
from schema.core.context import Context
from schema.core.errors import Error
from schema.core.ids import to_global_id
from schema.core.node import Node


@strawberry.type(description="A partner school: reads the cases of its collections through API tokens.")
class Partner(Node):
    uid: strawberry.Private[str]
    name: str = strawberry.field(description="Name of the school or organisation (unique).")
    contact: str = strawberry.field(description="Who to contact there.")
    may_see_retired: bool = strawberry.field(description="Whether its tokens also read retired cases.")
    created_at: datetime = strawberry.field(description="When it was created.")

    @strawberry.field(description="Collections it reads, each with everything under it.")
    def collections(self, info: Info[Context, None]) -> list[Collection]:
        cache: dict[str, list[Any]] = info.context.caches.partner_collections
        if self.uid not in cache:
            # Every partner of the response in one query.
            pending = info.context.caches.partner_uids | {self.uid}
            rows = collections_of(pending - set(cache), session=info.context.session)
            cache.update({uid: [Collection.of(c) for c in cs] for uid, cs in rows.items()})
        return cache[self.uid]

    @staticmethod
    def of(row: PartnerRow, ctx: Context) -> Partner:
        ctx.caches.partner_uids.add(row.uid)
        return Partner(
            id=strawberry.ID(to_global_id("Partner", row.uid)),
            uid=row.uid,
            name=row.name,
            contact=row.contact,
            may_see_retired=row.may_see_retired,
            created_at=row.created,
        )


@strawberry.type(description="Result of createPartner or updatePartner.")
class PartnerPayload:
    partner: Partner | None = strawberry.field(description="The partner after the change.")
    errors: list[Error] = strawberry.field(description="Why it failed.")


@strawberry.type(description="Result of createPartnerToken: the token is shown this once.")
class PartnerTokenPayload:
    token: str | None = strawberry.field(description="The bearer token; only its hash is kept.")
    partner: Partner | None = strawberry.field(description="The partner it reads for.")
    errors: list[Error] = strawberry.field(description="Why it failed.")
