"""Partners in GraphQL: administrators manage partner schools and issue their tokens.

Thin: each resolver calls one service in content.partners.service and maps the result; a
refusal is a coded payload error (mutations) or a coded GraphQL error (queries).
"""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from content.errors import DomainError, ErrorCode
from content.partners.models import Partner as PartnerRow
from content.partners.models import PartnerCreate, PartnerUpdate
from content.partners.service import (
    collections_of,
    create_partner,
    create_partner_token,
    get_partner,
    list_partners,
    update_partner,
)
from schema.context import Context
from schema.errors import Error, payload
from schema.node import from_global_id, to_global_id
from schema.types import Collection, Node

MAX_COLLECTION_IDS = 100
_COLLECTIONS = "partner_collections"


@strawberry.type(description="A partner school: reads the cases of its collections through API tokens.")
class Partner(Node):
    uid: strawberry.Private[str]
    name: str = strawberry.field(description="Name of the school or organisation (unique).")
    contact: str = strawberry.field(description="Who to contact there.")
    may_see_retired: bool = strawberry.field(description="Whether its tokens also read retired cases.")
    created_at: datetime = strawberry.field(description="When it was created.")

    @strawberry.field(description="Collections it reads, each with everything under it.")
    def collections(self, info: Info[Context, None]) -> list[Collection]:
        cache: dict[str, list[Collection]] = info.context.extra.setdefault(_COLLECTIONS, {})
        if self.uid not in cache:
            # Every partner of the response in one query.
            pending = set(info.context.extra.get("partner_uids", ())) | {self.uid}
            rows = collections_of(pending - set(cache), session=info.context.session)
            cache.update({uid: [Collection.of(c) for c in cs] for uid, cs in rows.items()})
        return cache[self.uid]

    @staticmethod
    def of(row: PartnerRow, ctx: Context) -> Partner:
        ctx.extra.setdefault("partner_uids", set()).add(row.uid)
        return Partner(id=strawberry.ID(to_global_id("Partner", row.uid)), uid=row.uid, name=row.name,
                       contact=row.contact, may_see_retired=row.may_see_retired, created_at=row.created)


@strawberry.input(description="A new partner.")
class CreatePartnerInput:
    name: str = strawberry.field(description="Unique name of the school or organisation.")
    collections: list[strawberry.ID] = strawberry.field(description="Collections it reads (at most 100).")
    contact: str | None = strawberry.field(default=None, description="Who to contact there.")
    may_see_retired: bool = strawberry.field(default=False, description="Also read retired cases.")


@strawberry.input(description="Change a partner; only the fields given change.")
class UpdatePartnerInput:
    id: strawberry.ID = strawberry.field(description="The partner.")
    name: str | None = strawberry.field(default=strawberry.UNSET, description="New name.")
    contact: str | None = strawberry.field(default=strawberry.UNSET, description="New contact.")
    may_see_retired: bool | None = strawberry.field(default=strawberry.UNSET, description="Read retired cases.")
    collections: list[strawberry.ID] | None = strawberry.field(
        default=strawberry.UNSET, description="The whole new set of collections (at most 100).")


@strawberry.input(description="A new API token for a partner.")
class CreatePartnerTokenInput:
    partner: strawberry.ID = strawberry.field(description="The partner.")
    name: str = strawberry.field(description="What the token is for, e.g. the system using it.")


@strawberry.type(description="Result of createPartner or updatePartner.")
class PartnerPayload:
    partner: Partner | None = strawberry.field(description="The partner after the change.")
    errors: list[Error] = strawberry.field(description="Why it failed.")


@strawberry.type(description="Result of createPartnerToken: the token is shown this once.")
class PartnerTokenPayload:
    token: str | None = strawberry.field(description="The bearer token; only its hash is kept.")
    partner: Partner | None = strawberry.field(description="The partner it reads for.")
    errors: list[Error] = strawberry.field(description="Why it failed.")


def _collection_uids(ids: list[strawberry.ID]) -> list[str]:
    if len(ids) > MAX_COLLECTION_IDS:
        raise DomainError(ErrorCode.INVALID_INPUT, f"at most {MAX_COLLECTION_IDS} collections", field="collections")
    return [from_global_id(i, "Collection", field="collections")[1] for i in ids]


def _partner_uid(gid: strawberry.ID, field: str) -> str:
    return from_global_id(gid, "Partner", field=field)[1]


@strawberry.type
class PartnerQuery:
    @strawberry.field(description="Every partner (administrators).")
    def partners(self, info: Info[Context, None]) -> list[Partner]:
        ctx = info.context
        return [Partner.of(r, ctx) for r in list_partners(session=ctx.session, principal=ctx.principal)]

    @strawberry.field(description="A partner (administrators), or without id the partner of the calling token.")
    def partner(self, info: Info[Context, None], id: strawberry.ID | None = None) -> Partner | None:
        ctx = info.context
        try:
            uid = _partner_uid(id, "id") if id is not None else None
            return Partner.of(get_partner(uid, session=ctx.session, principal=ctx.principal), ctx)
        except DomainError as exc:
            if exc.code is ErrorCode.NOT_FOUND:
                return None
            raise


@strawberry.type
class PartnerMutation:
    @strawberry.mutation(description="Create a partner school and the collections it reads (administrators).")
    def create_partner(self, info: Info[Context, None], input: CreatePartnerInput) -> PartnerPayload:
        ctx = info.context

        def run() -> PartnerPayload:
            data = PartnerCreate(name=input.name, contact=input.contact or "", may_see_retired=input.may_see_retired,
                                 collection_uids=_collection_uids(input.collections))
            return PartnerPayload(partner=Partner.of(create_partner(data, session=ctx.session,
                                                                    principal=ctx.principal), ctx), errors=[])

        return payload(run, lambda errs: PartnerPayload(partner=None, errors=errs), ctx.session)

    @strawberry.mutation(description="Change a partner (administrators).")
    def update_partner(self, info: Info[Context, None], input: UpdatePartnerInput) -> PartnerPayload:
        ctx = info.context

        def run() -> PartnerPayload:
            given = {name: getattr(input, name) for name in ("name", "contact", "may_see_retired")}
            changes = {k: v for k, v in given.items() if v is not strawberry.UNSET and v is not None}
            if input.collections is not strawberry.UNSET and input.collections is not None:
                changes["collection_uids"] = _collection_uids(input.collections)
            row = update_partner(_partner_uid(input.id, "id"), PartnerUpdate(**changes), session=ctx.session,
                                 principal=ctx.principal)
            return PartnerPayload(partner=Partner.of(row, ctx), errors=[])

        return payload(run, lambda errs: PartnerPayload(partner=None, errors=errs), ctx.session)

    @strawberry.mutation(description="Issue a read-only API token for a partner, returned once (administrators).")
    def create_partner_token(self, info: Info[Context, None], input: CreatePartnerTokenInput) -> PartnerTokenPayload:
        ctx = info.context

        def run() -> PartnerTokenPayload:
            uid = _partner_uid(input.partner, "partner")
            token, _ = create_partner_token(uid, input.name, session=ctx.session, principal=ctx.principal)
            partner = get_partner(uid, session=ctx.session, principal=ctx.principal)
            return PartnerTokenPayload(token=token, partner=Partner.of(partner, ctx), errors=[])

        return payload(run, lambda errs: PartnerTokenPayload(token=None, partner=None, errors=errs), ctx.session)
