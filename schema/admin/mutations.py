"""Administration mutations: each parses its input, calls one service and maps the result or a coded error."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from content.collections.local_roles import grant_local_role, revoke_local_role
from content.errors import DomainError, ErrorCode
from content.lti.platforms import PlatformInput, register_platform
from content.security.api_tokens import issue_api_token, revoke_api_token
from content.users.admin import create_user, update_user
from content.users.cohorts import add_member, create_cohort, remove_member
from content.users.models import UserUpdate
from schema.admin.inputs import (
    MAX_ROLES,
    CohortMemberInput,
    CreateApiTokenInput,
    CreateCohortInput,
    CreateUserInput,
    GrantLocalRoleInput,
    RegisterLtiPlatformInput,
    RevokeApiTokenInput,
    RevokeLocalRoleInput,
    UpdateUserInput,
)
from schema.admin.types import (
    ApiToken,
    ApiTokenPayload,
    CohortPayload,
    LocalRoleGrant,
    LocalRolePayload,
    LtiPlatform,
    LtiPlatformPayload,
    UserPayload,
)
from schema.core.context import Context
from schema.core.errors import refusable
from schema.core.ids import from_global_id
from schema.users.types import Cohort, User


def _roles(roles: list[str]) -> list[str]:
    if len(roles) > MAX_ROLES:
        raise DomainError(ErrorCode.INVALID_INPUT, f"at most {MAX_ROLES} roles", field="roles")
    return roles


def _uid(gid: strawberry.ID | None, type_name: str, field: str) -> str | None:
    return from_global_id(gid, type_name, field=field)[1] if gid is not None else None


def _membership(input: CohortMemberInput) -> tuple[str, str]:
    return (
        from_global_id(input.cohort, "Cohort", field="cohort")[1],
        from_global_id(input.user, "User", field="user")[1],
    )


@strawberry.type
class AdminMutation:
    @strawberry.mutation(
        description="Create a person (administrators); without a password one is generated and returned once."
    )
    @refusable(lambda errs: UserPayload(user=None, password=None, errors=errs))
    def create_user(
        self,
        info: Info[Context, None],
        input: Annotated[CreateUserInput, strawberry.argument(description="A new person.")],
    ) -> UserPayload:
        ctx = info.context
        row, generated = create_user(
            input.username,
            roles=_roles(input.roles),
            display_name=input.display_name,
            password=input.password,
            session=ctx.session,
            principal=ctx.principal,
            policy=ctx.password_policy,
        )
        return UserPayload(user=User.of(row, ctx), password=generated, errors=[])

    @strawberry.mutation(
        description="Change a person's name, roles or activity (administrators); nobody may remove "
        "their own administrator role or deactivate themselves."
    )
    @refusable(lambda errs: UserPayload(user=None, password=None, errors=errs))
    def update_user(
        self,
        info: Info[Context, None],
        input: Annotated[
            UpdateUserInput, strawberry.argument(description="Change a person; only the fields given change.")
        ],
    ) -> UserPayload:
        ctx = info.context
        given = {name: getattr(input, name) for name in ("display_name", "roles", "active")}
        changes = {k: v for k, v in given.items() if v is not strawberry.UNSET and v is not None}
        if "roles" in changes:
            _roles(changes["roles"])
        row = update_user(
            from_global_id(input.id, "User")[1], UserUpdate(**changes), session=ctx.session, principal=ctx.principal
        )
        return UserPayload(user=User.of(row, ctx), password=None, errors=[])

    @strawberry.mutation(description="Create a cohort (administrators and trainers; a trainer joins it).")
    @refusable(lambda errs: CohortPayload(cohort=None, errors=errs))
    def create_cohort(
        self,
        info: Info[Context, None],
        input: Annotated[CreateCohortInput, strawberry.argument(description="A new cohort.")],
    ) -> CohortPayload:
        ctx = info.context
        row = create_cohort(input.title, session=ctx.session, principal=ctx.principal)
        return CohortPayload(cohort=Cohort.of(row, ctx), errors=[])

    @strawberry.mutation(description="Add a person to a cohort (administrators; a cohort's trainers add trainees).")
    @refusable(lambda errs: CohortPayload(cohort=None, errors=errs))
    def add_to_cohort(
        self,
        info: Info[Context, None],
        input: Annotated[CohortMemberInput, strawberry.argument(description="A person and a cohort, to join or part.")],
    ) -> CohortPayload:
        ctx = info.context
        cohort_uid, user_uid = _membership(input)
        row = add_member(cohort_uid, user_uid, session=ctx.session, principal=ctx.principal)
        return CohortPayload(cohort=Cohort.of(row, ctx), errors=[])

    @strawberry.mutation(
        description="Take a person out of a cohort (administrators; a cohort's trainers, trainees only)."
    )
    @refusable(lambda errs: CohortPayload(cohort=None, errors=errs))
    def remove_from_cohort(
        self,
        info: Info[Context, None],
        input: Annotated[CohortMemberInput, strawberry.argument(description="A person and a cohort, to join or part.")],
    ) -> CohortPayload:
        ctx = info.context
        cohort_uid, user_uid = _membership(input)
        row = remove_member(cohort_uid, user_uid, session=ctx.session, principal=ctx.principal)
        return CohortPayload(cohort=Cohort.of(row, ctx), errors=[])

    @strawberry.mutation(
        description="Grant a role on a collection to a person or a cohort (whoever may manage its "
        "local roles, with roles whose permissions they hold there)."
    )
    @refusable(lambda errs: LocalRolePayload(grant=None, errors=errs))
    def grant_local_role(
        self,
        info: Info[Context, None],
        input: Annotated[
            GrantLocalRoleInput,
            strawberry.argument(description="Grant a role on a collection to exactly one of a person or a cohort."),
        ],
    ) -> LocalRolePayload:
        ctx = info.context
        row = grant_local_role(
            from_global_id(input.collection, "Collection", field="collection")[1],
            role=input.role,
            user_uid=_uid(input.user, "User", "user"),
            cohort_uid=_uid(input.cohort, "Cohort", "cohort"),
            session=ctx.session,
            principal=ctx.principal,
        )
        return LocalRolePayload(grant=LocalRoleGrant.of(row, ctx), errors=[])

    @strawberry.mutation(description="Take a local role grant back (under the same rule as granting it).")
    @refusable(lambda errs: LocalRolePayload(grant=None, errors=errs))
    def revoke_local_role(
        self,
        info: Info[Context, None],
        input: Annotated[RevokeLocalRoleInput, strawberry.argument(description="Take a local role grant back.")],
    ) -> LocalRolePayload:
        ctx = info.context
        row = revoke_local_role(
            from_global_id(input.grant, "LocalRoleGrant", field="grant")[1],
            session=ctx.session,
            principal=ctx.principal,
        )
        return LocalRolePayload(grant=LocalRoleGrant.of(row, ctx), errors=[])

    @strawberry.mutation(description="Issue an API token acting as the caller (administrators), returned once.")
    @refusable(lambda errs: ApiTokenPayload(token=None, api_token=None, errors=errs))
    def create_api_token(
        self,
        info: Info[Context, None],
        input: Annotated[
            CreateApiTokenInput, strawberry.argument(description="A new API token acting as the calling administrator.")
        ],
    ) -> ApiTokenPayload:
        ctx = info.context
        token, row = issue_api_token(
            input.name,
            scope=input.scope,
            collection_uid=_uid(input.collection, "Collection", "collection"),
            session=ctx.session,
            principal=ctx.principal,
        )
        return ApiTokenPayload(token=token, api_token=ApiToken.of(row, ctx), errors=[])

    @strawberry.mutation(
        description="Revoke an API token, a person's or a partner's (administrators); it is "
        "refused from the next request on."
    )
    @refusable(lambda errs: ApiTokenPayload(token=None, api_token=None, errors=errs))
    def revoke_api_token(
        self,
        info: Info[Context, None],
        input: Annotated[
            RevokeApiTokenInput, strawberry.argument(description="Revoke an API token (a person's or a partner's).")
        ],
    ) -> ApiTokenPayload:
        ctx = info.context
        row = revoke_api_token(from_global_id(input.id, "ApiToken")[1], session=ctx.session, principal=ctx.principal)
        return ApiTokenPayload(token=None, api_token=ApiToken.of(row, ctx), errors=[])

    @strawberry.mutation(
        description="Register a VLE platform for LTI 1.3 launches, or add a deployment id to one registered "
        "(administrators)."
    )
    @refusable(lambda errs: LtiPlatformPayload(platform=None, errors=errs))
    def register_lti_platform(
        self,
        info: Info[Context, None],
        input: Annotated[RegisterLtiPlatformInput, strawberry.argument(description="The platform's registration.")],
    ) -> LtiPlatformPayload:
        ctx = info.context
        data = PlatformInput(
            input.issuer,
            input.client_id,
            input.deployment_id,
            input.auth_url,
            input.token_url,
            input.jwks_url,
            input.name or "",
        )
        row, deployment_ids = register_platform(data, session=ctx.session, principal=ctx.principal)
        return LtiPlatformPayload(platform=LtiPlatform.of(row, deployment_ids), errors=[])
