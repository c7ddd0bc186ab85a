"""Inputs of the partner mutations."""

from __future__ import annotations

import strawberry

from schema.core.ids import from_global_id

MAX_COLLECTION_IDS = 100


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
        default=strawberry.UNSET, description="The whole new set of collections (at most 100)."
    )


@strawberry.input(description="A new API token for a partner.")
class CreatePartnerTokenInput:
    partner: strawberry.ID = strawberry.field(description="The partner.")
    name: str = strawberry.field(description="What the token is for, e.g. the system using it.")


def _partner_uid(gid: strawberry.ID, field: str) -> str:
    return from_global_id(gid, "Partner", field=field)[1]
