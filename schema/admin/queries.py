"""Administration queries: thin resolvers, each calling one service and mapping its result."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from content.collections.local_roles import list_local_roles
from content.lti.platforms import list_platforms
from content.security.api_tokens import list_api_tokens
from content.users.admin import list_users
from content.users.cohorts import list_cohorts
from schema.admin.types import ApiToken, LocalRoleGrant, LtiPlatform
from schema.core.context import Context
from schema.core.ids import from_global_id
from schema.users.types import Cohort, User


@strawberry.type
class AdminQuery:
    @strawberry.field(
        description="People by username (administrators; trainers see active trainees only, to add "
        "them to their cohorts); search matches username or name; first at most 200."
    )
    def users(
        self,
        info: Info[Context, None],
        search: Annotated[str | None, strawberry.argument(description="Part of a username or display name.")] = None,
        role: Annotated[str | None, strawberry.argument(description="Only people with this global role.")] = None,
        include_inactive: Annotated[bool | None, strawberry.argument(description="Also inactive people.")] = False,
        first: Annotated[int | None, strawberry.argument(description="How many people.")] = 50,
    ) -> list[User]:
        ctx = info.context
        rows = list_users(
            search=search,
            role=role,
            include_inactive=bool(include_inactive),
            first=50 if first is None else first,
            session=ctx.session,
            principal=ctx.principal,
        )
        return [User.of(r, ctx) for r in rows]

    @strawberry.field(description="Cohorts by title: every cohort for administrators, their own for trainers.")
    def cohorts(self, info: Info[Context, None]) -> list[Cohort]:
        ctx = info.context
        return [Cohort.of(r, ctx) for r in list_cohorts(session=ctx.session, principal=ctx.principal)]

    @strawberry.field(
        description="Roles granted on a collection itself to people and cohorts, oldest first "
        "(whoever may manage its local roles)."
    )
    def local_roles(
        self,
        info: Info[Context, None],
        collection: Annotated[strawberry.ID, strawberry.argument(description="The collection.")],
    ) -> list[LocalRoleGrant]:
        ctx = info.context
        uid = from_global_id(collection, "Collection", field="collection")[1]
        rows = list_local_roles(uid, session=ctx.session, principal=ctx.principal)
        return [LocalRoleGrant.of(r, ctx) for r in rows]

    @strawberry.field(description="API tokens, people's and partners', newest first (administrators).")
    def api_tokens(
        self,
        info: Info[Context, None],
        include_revoked: Annotated[bool | None, strawberry.argument(description="Also revoked tokens.")] = False,
    ) -> list[ApiToken]:
        ctx = info.context
        rows = list_api_tokens(include_revoked=bool(include_revoked), session=ctx.session, principal=ctx.principal)
        return [ApiToken.of(r, ctx) for r in rows]

    @strawberry.field(description="VLE platforms registered for LTI 1.3 launches, by issuer (administrators).")
    def lti_platforms(self, info: Info[Context, None]) -> list[LtiPlatform]:
        ctx = info.context
        return [LtiPlatform.of(p, d) for p, d in list_platforms(session=ctx.session, principal=ctx.principal)]
