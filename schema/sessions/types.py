"""Payloads of the session mutations."""

from __future__ import annotations

import strawberry

from schema.core.errors import Error


@strawberry.type(description="Result of logout.")
class LogoutPayload:
    ok: bool = strawberry.field(description="True when the session (or API token) has ended.")
    errors: list[Error] = strawberry.field(description="Why it failed.")


@strawberry.type(description="Result of changePassword.")
class ChangePasswordPayload:
    token: str | None = strawberry.field(description="A bearer token for a new session; every earlier one ended.")
    errors: list[Error] = strawberry.field(description="Why it failed.")


@strawberry.type(description="Result of resetPassword.")
class ResetPasswordPayload:
    temporary_password: str | None = strawberry.field(
        description="A one-time password, shown this once; the person must choose a new one when signing in."
    )
    errors: list[Error] = strawberry.field(description="Why it failed.")
