"""Partners over GraphQL: the app's schema run in-process on the partner archive (tests/content/partners)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import strawberry
from sqlmodel import Session

from content.principal import Principal
from schema.build import build_schema
from schema.core.context import Context
from search import SearchBackend
from tests.content.partners.conftest import SECRET, world  # noqa: F401  (world: the archive, seeded per test)

RunGql = Callable[..., dict[str, Any]]


@pytest.fixture(scope="session")
def gql_schema() -> strawberry.Schema:
    return build_schema()


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
