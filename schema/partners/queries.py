"""Partners in GraphQL: administrators read partner schools; a partner token reads its own."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from content.errors import DomainError, ErrorCode
from content.partners.service import (
    get_partner,
    list_partners,
)
from schema.core.context import Context
from schema.partners.inputs import _partner_uid
from schema.partners.types import Partner


@strawberry.type
class PartnerQuery:
    @strawberry.field(description="Every partner (administrators).")
    def partners(self, info: Info[Context, None]) -> list[Partner]:
        ctx = info.context
        return [Partner.of(r, ctx) for r in list_partners(session=ctx.session, principal=ctx.principal)]

    @strawberry.field(description="A partner (administrators), or without id the partner of the calling token.")
    def partner(
        self,
        info: Info[Context, None],
        id: Annotated[
            strawberry.ID | None, strawberry.argument(description="The partner; null: the token's own.")
        ] = None,
    ) -> Partner | None:
        ctx = info.context
        try:
            uid = _partner_uid(id, "id") if id is not None else None
            return Partner.of(get_partner(uid, session=ctx.session, principal=ctx.principal), ctx)
        except DomainError as exc:
            if exc.code is ErrorCode.NOT_FOUND:
                return None
            raise
