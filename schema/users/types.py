"""People and cohorts as others see them, and the login payload."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from content.users.cohorts import may_see_members, visible_cohorts_of
from content.users.models import Cohort as CohortRow
from content.users.models import User as UserRow
from schema.core.context import Context
from schema.core.errors import Error
from schema.core.ids import to_global_id
from schema.core.node import Node


@strawberry.type(description="A person.")
class User(Node):
    uid: strawberry.Private[str]
    username: str = strawberry.field(description="Login name.")
    display_name: str = strawberry.field(description="Name shown to others.")
    roles: list[str] = strawberry.field(description="Global roles.")
    active: bool = strawberry.field(description="Whether the account may sign in and its API tokens work.")

    @strawberry.field(
        description="Cohorts the person belongs to, as far as the caller may see them: all of them "
        "for administrators and the person themselves, otherwise the caller's own cohorts."
    )
    def cohorts(self, info: Info[Context, None]) -> list[Cohort]:
        ctx = info.context
        rows = visible_cohorts_of(ctx.principal, self.uid, ctx.loaders.user_cohorts.get(self.uid) or [])
        return [Cohort.of(c) for c in rows]

    @staticmethod
    def of(row: UserRow, ctx: Context | None = None) -> User:
        if ctx is not None:
            ctx.loaders.user_cohorts.want([row.uid])
        return User(
            id=strawberry.ID(to_global_id("User", row.uid)),
            uid=row.uid,
            username=row.username,
            display_name=row.display_name,
            roles=list(row.roles),
            active=row.active,
        )


@strawberry.type(description="A cohort of trainees.")
class Cohort(Node):
    uid: strawberry.Private[str]
    title: str = strawberry.field(description="Cohort name.")

    @strawberry.field(
        description="Its members by username: shown to administrators and the cohort's trainers, empty for anyone else."
    )
    def members(self, info: Info[Context, None]) -> list[User]:
        ctx = info.context
        members = ctx.loaders.cohort_members.get(self.uid) or []
        if not may_see_members(ctx.principal, self.uid, members):
            return []
        return [User.of(u, ctx) for u in members]

    @staticmethod
    def of(row: CohortRow, ctx: Context | None = None) -> Cohort:
        if ctx is not None:
            ctx.loaders.cohort_members.want([row.uid])
        return Cohort(id=strawberry.ID(to_global_id("Cohort", row.uid)), uid=row.uid, title=row.title)


@strawberry.type(description="A person as others see them.")
class Person:
    display_name: str = strawberry.field(description="Name shown to others.")


@strawberry.type(description="The person behind the token.")
class Me(User):
    pass


@strawberry.type(description="Result of login.")
class LoginPayload:
    token: str | None = strawberry.field(
        description="Bearer token, when the credentials are right. With the error "
        "PASSWORD_CHANGE_REQUIRED it serves only changePassword."
    )
    user: User | None = strawberry.field(description="The person signed in.")
    errors: list[Error] = strawberry.field(description="Why it failed.")
