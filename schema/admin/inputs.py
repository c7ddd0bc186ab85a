"""Administration mutation inputs."""

from __future__ import annotations

import strawberry

MAX_ROLES = 10


@strawberry.input(description="A new person.")
class CreateUserInput:
    username: str = strawberry.field(description="Login name: 2-64 of a-z 0-9 . _ - (stored lower-case).")
    display_name: str | None = strawberry.field(
        default=None, description="Name shown to others (the username when not given)."
    )
    roles: list[str] = strawberry.field(description="Global roles, at least one (at most 10 entries).")
    password: str | None = strawberry.field(
        default=None, description="At least 8 characters; when null a random one is generated and returned once."
    )


@strawberry.input(description="Change a person; only the fields given change.")
class UpdateUserInput:
    id: strawberry.ID = strawberry.field(description="The person.")
    display_name: str | None = strawberry.field(default=strawberry.UNSET, description="New name shown to others.")
    roles: list[str] | None = strawberry.field(
        default=strawberry.UNSET, description="The whole new set of global roles (at most 10 entries)."
    )
    active: bool | None = strawberry.field(
        default=strawberry.UNSET, description="false stops the account signing in and its API tokens at once."
    )


@strawberry.input(description="A new cohort.")
class CreateCohortInput:
    title: str = strawberry.field(description="Unique cohort name, e.g. ST1 2026.")


@strawberry.input(description="A person and a cohort, to join or part.")
class CohortMemberInput:
    cohort: strawberry.ID = strawberry.field(description="The cohort.")
    user: strawberry.ID = strawberry.field(description="The person.")


@strawberry.input(description="Grant a role on a collection to exactly one of a person or a cohort.")
class GrantLocalRoleInput:
    collection: strawberry.ID = strawberry.field(description="The collection; the role reaches everything under it.")
    role: str = strawberry.field(description="An assignable role, e.g. contributor.")
    user: strawberry.ID | None = strawberry.field(default=None, description="The person (or give cohort).")
    cohort: strawberry.ID | None = strawberry.field(default=None, description="The cohort (or give user).")


@strawberry.input(description="Take a local role grant back.")
class RevokeLocalRoleInput:
    grant: strawberry.ID = strawberry.field(description="The grant.")


@strawberry.input(description="A new API token acting as the calling administrator.")
class CreateApiTokenInput:
    name: str = strawberry.field(description="What the token is for, 1 to 200 characters.")
    scope: str = strawberry.field(description="read or write.")
    collection: strawberry.ID | None = strawberry.field(
        default=None, description="Confine the token to this collection and everything under it."
    )


@strawberry.input(description="Revoke an API token (a person's or a partner's).")
class RevokeApiTokenInput:
    id: strawberry.ID = strawberry.field(description="The token.")


@strawberry.input(description="A VLE platform to register for LTI 1.3 launches, or a deployment to add to one.")
class RegisterLtiPlatformInput:
    issuer: str = strawberry.field(description="The platform's issuer, an http(s) URL.")
    client_id: str = strawberry.field(description="The client id the platform gave Lightbox.")
    deployment_id: str = strawberry.field(description="A deployment id (register again to add another).")
    auth_url: str = strawberry.field(description="The platform's OIDC authorisation endpoint.")
    token_url: str = strawberry.field(description="The platform's OAuth2 token endpoint.")
    jwks_url: str = strawberry.field(description="The platform's public keys (JWKS) URL.")
    name: str | None = strawberry.field(default=None, description="A name for administrators.")
