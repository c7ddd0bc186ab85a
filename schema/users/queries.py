"""Who is asking: the `me` field."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from content.users.models import User as UserRow
from schema.core.context import Context
from schema.users.types import Me, User


@strawberry.type
class UserQuery:
    @strawberry.field(description="The caller, or null when anonymous.")
    def me(self, info: Info[Context, None]) -> Me | None:
        ctx = info.context
        if ctx.principal.is_anonymous or ctx.principal.user_id is None:
            return None
        row = ctx.session.get(UserRow, ctx.principal.user_id)
        if row is None:
            return None
        u = User.of(row, ctx)
        return Me(id=u.id, uid=u.uid, username=u.username, display_name=u.display_name, roles=u.roles, active=u.active)
