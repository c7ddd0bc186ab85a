"""Administrators manage partner schools and issue their tokens."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from content.errors import DomainError, ErrorCode
from content.partners.models import PartnerCreate, PartnerUpdate
from content.partners.service import (
    create_partner,
    create_partner_token,
    get_partner,
    update_partner,
)
from schema.core.context import Context
from schema.core.errors import refusable
from schema.core.ids import from_global_id
from schema.partners.inputs import (
    MAX_COLLECTION_IDS,
    CreatePartnerInput,
    CreatePartnerTokenInput,
    UpdatePartnerInput,
    _partner_uid,
)
from schema.partners.types import Partner, PartnerPayload, PartnerTokenPayload


def _collection_uids(ids: list[strawberry.ID]) -> list[str]:
    if len(ids) > MAX_COLLECTION_IDS:
        raise DomainError(ErrorCode.INVALID_INPUT, f"at most {MAX_COLLECTION_IDS} collections", field="collections")
    return [from_global_id(i, "Collection", field="collections")[1] for i in ids]


@strawberry.type
class PartnerMutation:
    @strawberry.mutation(description="Create a partner school and the collections it reads (administrators).")
    @refusable(lambda errs: PartnerPayload(partner=None, errors=errs))
    def create_partner(
        self,
        info: Info[Context, None],
        input: Annotated[CreatePartnerInput, strawberry.argument(description="A new partner.")],
    ) -> PartnerPayload:
        ctx = info.context
        data = PartnerCreate(
            name=input.name,
            contact=input.contact or "",
            may_see_retired=input.may_see_retired,
            collection_uids=_collection_uids(input.collections),
        )
        return PartnerPayload(
            partner=Partner.of(create_partner(data, session=ctx.session, principal=ctx.principal), ctx), errors=[]
        )

    @strawberry.mutation(description="Change a partner (administrators).")
    @refusable(lambda errs: PartnerPayload(partner=None, errors=errs))
    def update_partner(
        self,
        info: Info[Context, None],
        input: Annotated[
            UpdatePartnerInput, strawberry.argument(description="Change a partner; only the fields given change.")
        ],
    ) -> PartnerPayload:
        ctx = info.context
        given = {name: getattr(input, name) for name in ("name", "contact", "may_see_retired")}
        changes = {k: v for k, v in given.items() if v is not strawberry.UNSET and v is not None}
        if input.collections is not strawberry.UNSET and input.collections is not None:
            changes["collection_uids"] = _collection_uids(input.collections)
        row = update_partner(
            _partner_uid(input.id, "id"), PartnerUpdate(**changes), session=ctx.session, principal=ctx.principal
        )
        return PartnerPayload(partner=Partner.of(row, ctx), errors=[])

    @strawberry.mutation(description="Issue a read-only API token for a partner, returned once (administrators).")
    @refusable(lambda errs: PartnerTokenPayload(token=None, partner=None, errors=errs))
    def create_partner_token(
        self,
        info: Info[Context, None],
        input: Annotated[CreatePartnerTokenInput, strawberry.argument(description="A new API token for a partner.")],
    ) -> PartnerTokenPayload:
        ctx = info.context
        uid = _partner_uid(input.partner, "partner")
        token, _ = create_partner_token(uid, input.name, session=ctx.session, principal=ctx.principal)
        partner = get_partner(uid, session=ctx.session, principal=ctx.principal)
        return PartnerTokenPayload(token=token, partner=Partner.of(partner, ctx), errors=[])
