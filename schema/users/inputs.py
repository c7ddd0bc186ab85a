"""Inputs of sign-in."""

from __future__ import annotations

import strawberry


@strawberry.input(description="Username and password.")
class LoginInput:
    username: str
    password: str
