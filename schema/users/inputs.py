"""Inputs of sign-in."""

from __future__ import annotations

import strawberry


@strawberry.input(description="Username and password.")
class LoginInput:
    username: str = strawberry.field(description="Login name.")
    password: str = strawberry.field(description="The password.")
