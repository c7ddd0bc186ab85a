"""Sign in: exchange a username and password for a bearer token."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from content.errors import DomainError, ErrorCode
from content.security.login import login as login_service
from schema.core.context import Context
from schema.core.errors import Error, refusable
from schema.users.inputs import LoginInput
from schema.users.types import LoginPayload, User


@strawberry.type
class UserMutation:
    @strawberry.mutation(description="Exchange a username and password for a bearer token.")
    @refusable(lambda errs: LoginPayload(token=None, user=None, errors=errs))
    def login(
        self,
        info: Info[Context, None],
        input: Annotated[LoginInput, strawberry.argument(description="Username and password.")],
    ) -> LoginPayload:
        ctx = info.context
        gate = ctx.login_gate
        wait = gate() if gate is not None else 0
        if wait:  # per client address, before any password work: blunts spraying many usernames
            raise DomainError(ErrorCode.TOO_MANY_ATTEMPTS, f"too many sign-in attempts; retry in {int(wait) + 1} s")
        token, user = login_service(
            input.username, input.password, session=ctx.session, secret=ctx.secret, ttl_seconds=ctx.token_ttl_seconds
        )
        # After a reset the token may only change the password: the code tells the client to ask for one.
        errors = (
            [
                Error(
                    field="password",
                    code=ErrorCode.PASSWORD_CHANGE_REQUIRED,
                    message="choose a new password to finish signing in",
                )
            ]
            if user.must_change_password
            else []
        )
        return LoginPayload(token=token, user=User.of(user), errors=errors)
