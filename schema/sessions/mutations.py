"""Sessions over GraphQL: logout, changePassword and an administrator's resetPassword.

Each mutation parses its input, calls one service (content.security.sessions,
content.users.passwords) and maps the result or a coded error (docs/contract/sessions.graphql)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from content.security.sessions import logout
from content.users.passwords import change_password, reset_password
from schema.core.context import Context
from schema.core.errors import refusable
from schema.core.ids import from_global_id
from schema.sessions.inputs import ChangePasswordInput, ResetPasswordInput
from schema.sessions.types import ChangePasswordPayload, LogoutPayload, ResetPasswordPayload


@strawberry.type
class SessionMutation:
    @strawberry.mutation(
        description="End this session: the token of this request stops working at once (an API token is revoked)."
    )
    @refusable(lambda errs: LogoutPayload(ok=False, errors=errs))
    def logout(self, info: Info[Context, None]) -> LogoutPayload:
        ctx = info.context
        logout(session=ctx.session, principal=ctx.principal)
        return LogoutPayload(ok=True, errors=[])

    @strawberry.mutation(
        description="Change your own password (from a signed-in session); your other sessions end "
        "and the answer carries a token for a new one."
    )
    @refusable(lambda errs: ChangePasswordPayload(token=None, errors=errs))
    def change_password(
        self,
        info: Info[Context, None],
        input: Annotated[
            ChangePasswordInput, strawberry.argument(description="Your current password and the new one.")
        ],
    ) -> ChangePasswordPayload:
        ctx = info.context
        token = change_password(
            input.current_password,
            input.new_password,
            session=ctx.session,
            principal=ctx.principal,
            secret=ctx.secret,
            ttl_seconds=ctx.token_ttl_seconds,
            policy=ctx.password_policy,
        )
        return ChangePasswordPayload(token=token, errors=[])

    @strawberry.mutation(
        description="Give someone a one-time password (administrators): their sessions and API "
        "tokens end, and they must choose a new password at their next sign-in."
    )
    @refusable(lambda errs: ResetPasswordPayload(temporary_password=None, errors=errs))
    def reset_password(
        self,
        info: Info[Context, None],
        input: Annotated[ResetPasswordInput, strawberry.argument(description="Whose password to reset.")],
    ) -> ResetPasswordPayload:
        ctx = info.context
        temporary = reset_password(
            from_global_id(input.user, "User", field="user")[1], session=ctx.session, principal=ctx.principal
        )
        return ResetPasswordPayload(temporary_password=temporary, errors=[])
