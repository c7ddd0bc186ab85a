"""Root mutations: each parses its input, calls one service and maps the result or a coded error."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from content.cases.service import create_case, update_case
from content.collections.service import create_collection
from content.errors import DomainError, ErrorCode
from content.security.login import login as login_service
from schema.context import Context
from schema.errors import Error, payload
from schema.inputs import CreateCaseInput, CreateCollectionInput, LoginInput, UpdateCaseInput
from schema.node import from_global_id
from schema.types import Case, Collection, User


@strawberry.type(description="Result of login.")
class LoginPayload:
    token: str | None = strawberry.field(description="Bearer token, when the credentials are right. With the error "
                                                     "PASSWORD_CHANGE_REQUIRED it serves only changePassword.")
    user: User | None = strawberry.field(description="The person signed in.")
    errors: list[Error] = strawberry.field(description="Why it failed.")


@strawberry.type(description="Result of createCollection.")
class CollectionPayload:
    collection: Collection | None = strawberry.field(description="The new collection.")
    errors: list[Error] = strawberry.field(description="Why it failed.")


@strawberry.type(description="Result of a case mutation.")
class CasePayload:
    case: Case | None = strawberry.field(description="The case after the change.")
    errors: list[Error] = strawberry.field(description="Why it failed.")


_CASE_FIELDS = ("title", "clinical_history", "findings", "diagnosis", "differential_diagnoses", "discussion",
                "teaching_points", "difficulty", "curriculum_codes", "tags", "modalities", "body_regions")


def _fields(data: Any, *, only_set: bool) -> dict[str, Any]:
    out = {}
    for name in _CASE_FIELDS:
        value = getattr(data, name)
        if only_set and value is strawberry.UNSET:
            continue
        if not only_set and value is None:
            continue
        out[name] = value.value if hasattr(value, "value") else value
    return out


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Exchange a username and password for a bearer token.")
    def login(self, info: Info[Context, None], input: LoginInput) -> LoginPayload:
        ctx = info.context

        def run() -> LoginPayload:
            gate = ctx.extra.get("login_gate")
            wait = gate() if gate is not None else 0
            if wait:  # per client address, before any password work: blunts spraying many usernames
                raise DomainError(ErrorCode.TOO_MANY_ATTEMPTS, f"too many sign-in attempts; retry in {int(wait) + 1} s")
            token, user = login_service(input.username, input.password, session=ctx.session, secret=ctx.secret,
                                        ttl_seconds=ctx.token_ttl_seconds)
            # After a reset the token may only change the password: the code tells the client to ask for one.
            errors = [Error(field="password", code=ErrorCode.PASSWORD_CHANGE_REQUIRED,  # type: ignore[arg-type]
                            message="choose a new password to finish signing in")] if user.must_change_password else []
            return LoginPayload(token=token, user=User.of(user), errors=errors)

        return payload(run, lambda errs: LoginPayload(token=None, user=None, errors=errs), ctx.session)

    @strawberry.mutation(description="Create a collection.")
    def create_collection(self, info: Info[Context, None], input: CreateCollectionInput) -> CollectionPayload:
        ctx = info.context

        def run() -> CollectionPayload:
            parent = from_global_id(input.parent, "Collection", field="parent")[1] if input.parent else None
            row = create_collection(title=input.title, parent_uid=parent, slug=input.slug, session=ctx.session,
                                    principal=ctx.principal)
            return CollectionPayload(collection=Collection.of(row), errors=[])

        return payload(run, lambda errs: CollectionPayload(collection=None, errors=errs), ctx.session)

    @strawberry.mutation(description="Create a draft case in a collection.")
    def create_case(self, info: Info[Context, None], input: CreateCaseInput) -> CasePayload:
        ctx = info.context

        def run() -> CasePayload:
            coll = from_global_id(input.collection, "Collection", field="collection")[1]
            row = create_case(collection_uid=coll, fields=_fields(input, only_set=False),
                              comment=input.comment or "", session=ctx.session, principal=ctx.principal)
            return CasePayload(case=Case.of(row, ctx), errors=[])

        return payload(run, lambda errs: CasePayload(case=None, errors=errs), ctx.session)

    @strawberry.mutation(description="Edit a case; a stale expectedVersion is VERSION_CONFLICT.")
    def update_case(self, info: Info[Context, None], input: UpdateCaseInput) -> CasePayload:
        ctx = info.context

        def run() -> CasePayload:
            uid = from_global_id(input.id, "Case")[1]
            row = update_case(uid, expected_version=input.expected_version,
                              changes=_fields(input, only_set=True), comment=input.comment or "",
                              session=ctx.session, principal=ctx.principal)
            return CasePayload(case=Case.of(row, ctx), errors=[])

        return payload(run, lambda errs: CasePayload(case=None, errors=errs), ctx.session)
