"""Administration object types: local role grants and API tokens (never a token's hash)."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from content.lti.models import LtiPlatform as LtiPlatformRow
from content.security.models import ApiToken as ApiTokenRow
from content.security.models import LocalRoleGrant as GrantRow
from schema.collections.types import Collection
from schema.core.context import Context
from schema.core.errors import Error
from schema.core.ids import to_global_id
from schema.core.node import Node
from schema.partners.types import Partner
from schema.users.types import Cohort, User


@strawberry.type(description="A role granted to a person or a cohort on a collection and everything under it.")
class LocalRoleGrant:
    row: strawberry.Private[GrantRow]
    id: strawberry.ID = strawberry.field(description="Opaque global id.")
    role: str = strawberry.field(description="The role granted, e.g. contributor.")

    @strawberry.field(description="The collection it was granted on.")
    def collection(self, info: Info[Context, None]) -> Collection:
        row = info.context.loaders.collections.get(self.row.collection_uid)
        assert row is not None  # a grant's collection is a foreign key
        return Collection.of(row)

    @strawberry.field(description="The person it was granted to (null for a cohort's grant).")
    def user(self, info: Info[Context, None]) -> User | None:
        if self.row.principal_type != "user":
            return None
        row = info.context.loaders.users.get(self.row.principal_uid)
        return User.of(row, info.context) if row else None

    @strawberry.field(description="The cohort it was granted to (null for a person's grant).")
    def cohort(self, info: Info[Context, None]) -> Cohort | None:
        if self.row.principal_type != "cohort":
            return None
        row = info.context.loaders.cohorts.get(self.row.principal_uid)
        return Cohort.of(row, info.context) if row else None

    @staticmethod
    def of(row: GrantRow, ctx: Context) -> LocalRoleGrant:
        ctx.loaders.collections.want([row.collection_uid])
        if row.principal_type == "user":
            ctx.loaders.users.want([row.principal_uid])
        else:
            ctx.loaders.cohorts.want([row.principal_uid])
        return LocalRoleGrant(row=row, id=strawberry.ID(to_global_id("LocalRoleGrant", row.uid)), role=row.role)


@strawberry.type(
    description="An API token: what it is called and may do. The token itself is shown once, "
    "when it is made; only its hash is kept, and never shown."
)
class ApiToken(Node):
    row: strawberry.Private[ApiTokenRow]
    name: str = strawberry.field(description="What the token is for, e.g. the system using it.")
    prefix: str = strawberry.field(description="Its first characters, to tell tokens apart.")
    scope: str = strawberry.field(description="read or write.")
    created_at: datetime = strawberry.field(description="When it was made.")
    last_used: datetime | None = strawberry.field(description="When it was last used, if ever.")
    revoked: bool = strawberry.field(description="Whether it was revoked: a revoked token is refused.")

    @strawberry.field(description="The collection it is confined to, if any (null: the account's whole reach).")
    def collection_path(self, info: Info[Context, None]) -> str | None:
        if self.row.collection_uid is None:
            return None
        row = info.context.loaders.collections.get(self.row.collection_uid)
        return row.path if row else None

    @strawberry.field(description="The partner school it reads for, if it is a partner's token.")
    def partner(self, info: Info[Context, None]) -> Partner | None:
        row = info.context.loaders.partners.get(self.row.partner_uid)
        return Partner.of(row, info.context) if row else None

    @staticmethod
    def of(row: ApiTokenRow, ctx: Context) -> ApiToken:
        ctx.loaders.collections.want([row.collection_uid])
        ctx.loaders.partners.want([row.partner_uid])
        return ApiToken(
            row=row,
            id=strawberry.ID(to_global_id("ApiToken", row.uid)),
            name=row.name,
            prefix=row.prefix,
            scope=row.scope,
            created_at=row.created,
            last_used=row.last_used,
            revoked=row.revoked,
        )


@strawberry.type(description="Result of createUser or updateUser.")
class UserPayload:
    user: User | None = strawberry.field(description="The person after the change.")
    password: str | None = strawberry.field(
        description="The generated password, returned this once when createUser was given none; else null."
    )
    errors: list[Error] = strawberry.field(description="Why it failed.")


@strawberry.type(description="Result of createCohort, addToCohort or removeFromCohort.")
class CohortPayload:
    cohort: Cohort | None = strawberry.field(description="The cohort after the change.")
    errors: list[Error] = strawberry.field(description="Why it failed.")


@strawberry.type(description="Result of grantLocalRole or revokeLocalRole.")
class LocalRolePayload:
    grant: LocalRoleGrant | None = strawberry.field(description="The grant made, or the one taken back.")
    errors: list[Error] = strawberry.field(description="Why it failed.")


@strawberry.type(description="Result of createApiToken or revokeApiToken.")
class ApiTokenPayload:
    token: str | None = strawberry.field(
        description="The bearer token, shown this once by createApiToken (only its hash is kept); else null."
    )
    api_token: ApiToken | None = strawberry.field(description="The token's record after the change.")
    errors: list[Error] = strawberry.field(description="Why it failed.")


@strawberry.type(description="A VLE registered to launch Lightbox over LTI 1.3 (administrators).")
class LtiPlatform:
    id: strawberry.ID = strawberry.field(description="Opaque global id.")
    issuer: str = strawberry.field(description="The platform's issuer (the iss of its id_tokens).")
    client_id: str = strawberry.field(
        description="The client id the platform gave Lightbox (the aud of its id_tokens)."
    )
    name: str = strawberry.field(description="A name for administrators.")
    auth_url: str = strawberry.field(description="The platform's OIDC authorisation endpoint.")
    token_url: str = strawberry.field(description="The platform's OAuth2 token endpoint (for sending grades).")
    jwks_url: str = strawberry.field(description="Where the platform publishes its public keys.")
    deployment_ids: list[str] = strawberry.field(description="The deployments a launch may name.")
    created_at: datetime = strawberry.field(description="When it was first registered.")

    @staticmethod
    def of(row: LtiPlatformRow, deployment_ids: list[str]) -> LtiPlatform:
        return LtiPlatform(
            id=strawberry.ID(to_global_id("LtiPlatform", row.uid)),
            issuer=row.issuer,
            client_id=row.client_id,
            name=row.name,
            auth_url=row.auth_url,
            token_url=row.token_url,
            jwks_url=row.jwks_url,
            deployment_ids=deployment_ids,
            created_at=row.created,
        )


@strawberry.type(description="Result of registerLtiPlatform.")
class LtiPlatformPayload:
    platform: LtiPlatform | None = strawberry.field(description="The platform after the change.")
    errors: list[Error] = strawberry.field(description="Why it failed.")
