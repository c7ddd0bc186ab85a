"""Administration mutation payloads: the changed object, or coded errors."""

from __future__ import annotations

import strawberry

from schema.admin.types import ApiToken, LocalRoleGrant
from schema.errors import Error
from schema.types import Cohort, User


@strawberry.type(description="Result of createUser or updateUser.")
class UserPayload:
    user: User | None = strawberry.field(description="The person after the change.")
    password: str | None = strawberry.field(
        description="The generated password, returned this once when createUser was given none; else null.")
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
        description="The bearer token, shown this once by createApiToken (only its hash is kept); else null.")
    api_token: ApiToken | None = strawberry.field(description="The token's record after the change.")
    errors: list[Error] = strawberry.field(description="Why it failed.")
