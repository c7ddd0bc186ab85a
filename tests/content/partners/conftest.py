"""The partner archive (tests/content/partners/world.py), seeded once per test on each database."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import strawberry
from sqlmodel import Session

from api.settings import Settings
from content.principal import Principal
from content.security.authentication import authenticate
from media.store import ContentStore
from schema.core.context import Context
from search import SearchBackend
from tests.content.partners.world import World, seed

SECRET = b"k" * 32
RunGql = Callable[..., dict[str, Any]]


@pytest.fixture
def world(session: Session, settings: Settings) -> World:
    return seed(session, ContentStore(settings.media_dir))


def as_token(session: Session, token: str) -> Principal:
    """The principal a request with this bearer token gets, built as every route builds it."""
    return authenticate(token, session=session, secret=SECRET)


def partner_schema() -> strawberry.Schema:
    """The app's schema with the partner queries and mutations merged in.

    schema/build.py gains PartnerQuery/PartnerMutation in the same way; until it does, the
    merge happens here, from the same classes.
    """
    from strawberry.schema.config import StrawberryConfig

    from schema import build
    from schema.cases.types import Case
    from schema.collections.types import Collection
    from schema.partners.mutations import PartnerMutation
    from schema.partners.queries import PartnerQuery

    if issubclass(build.Query, PartnerQuery) and issubclass(build.Mutation, PartnerMutation):
        return build.build_schema()

    @strawberry.type(name="Query", description="Read the repository.")
    class Query(build.Query, PartnerQuery):
        pass

    @strawberry.type(name="Mutation", description="Change the repository.")
    class Mutation(build.Mutation, PartnerMutation):
        pass

    return strawberry.Schema(
        query=Query, mutation=Mutation, types=[Case, Collection], config=StrawberryConfig(auto_camel_case=True)
    )


@pytest.fixture(scope="session")
def gql_schema() -> strawberry.Schema:
    return partner_schema()


@pytest.fixture
def run_gql(session: Session, gql_schema: strawberry.Schema, catalog: SearchBackend) -> RunGql:
    def run(query: str, principal: Principal, **variables: Any) -> dict[str, Any]:
        ctx = Context(principal=principal, session=session, secret=SECRET, token_ttl_seconds=3600, catalog=catalog)
        result = gql_schema.execute_sync(query, variable_values=variables, context_value=ctx)
        out: dict[str, Any] = {"data": result.data}
        if result.errors:
            out["errors"] = [
                {"message": e.message, "code": getattr(e.original_error, "code", None)} for e in result.errors
            ]
        return out

    return run
