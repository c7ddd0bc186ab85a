"""Inputs of the session mutations."""

from __future__ import annotations

import strawberry


@strawberry.input(description="Your current password and the new one.")
class ChangePasswordInput:
    current_password: str = strawberry.field(description="The password you signed in with.")
    new_password: str = strawberry.field(
        description="At least the configured length (12 by default), and not one of the most common passwords."
    )


@strawberry.input(description="Whose password to reset.")
class ResetPasswordInput:
    user: strawberry.ID = strawberry.field(description="The person (a User id).")
