"""Limits on what a GraphQL request may be before any work is done for it: body size and nesting,
GET for queries only, and introspection and field suggestions for signed-in callers only."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from api.app import create_app
from api.db import SessionFactory
from api.settings import Settings
from content.principal import SYSTEM
from content.security.api_tokens import create_api_token
from content.users.models import Cohort
from content.users.service import add_user
from tests.content import factories as f

NESTED = "[" * 330 + "]" * 330


def _with_variable(value: str) -> str:
    return '{"query": "{__typename}", "variables": {"a": ' + value + "}}"


INTROSPECTION = "{ __schema { types { name } } }"
TYPE_QUERY = '{ __type(name: "Case") { fields { name } } }'
MISSPELT = "{ cases { totalCont } }"


@pytest.fixture
def bearers(sessions: SessionFactory, settings: Settings) -> dict[str, dict[str, str]]:
    with sessions.scope() as session:
        admin = add_user("admin", roles=["administrator"], password=None, session=session, principal=SYSTEM)
        partner = add_user("partner", roles=["partner"], password=None, session=session, principal=SYSTEM)
        f.collection(session, "Leeds")
        api_token, _ = create_api_token(
            "school", scope="read", acting_user=partner, collection_path="/leeds", session=session, principal=SYSTEM
        )
        admin_token = f.bearer(session, admin, secret=settings.secret(), ttl_seconds=600)
    return {
        "anonymous": {},
        "administrator": {"Authorization": f"Bearer {admin_token}"},
        "partner": {"Authorization": f"Bearer {api_token}"},
    }


def _app(settings: Settings, **overrides: Any) -> Iterator[TestClient]:
    with TestClient(create_app(settings.model_copy(update=overrides)), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def api(sessions: SessionFactory, settings: Settings) -> Iterator[TestClient]:
    yield from _app(settings)


def _code(response: Any) -> str:
    return str(response.json()["errors"][0]["extensions"]["code"])


def test_deeply_nested_variables_are_a_coded_400_not_a_500(api: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    body = _with_variable(NESTED)
    with caplog.at_level(logging.ERROR):
        response = api.post("/graphql", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 400 and _code(response) == "INVALID_INPUT"
    assert "nests deeper" in response.json()["errors"][0]["message"]
    assert "Traceback" not in caplog.text and "RecursionError" not in caplog.text
    # Far deeper than the decoder's own recursion limit: still refused before decoding.
    deeper = _with_variable("[" * 200_000 + "]" * 200_000)
    assert _code(api.post("/graphql", content=deeper)) == "INVALID_INPUT"
    # Nesting that inputs really use is let through.
    shallow = api.post("/graphql", json={"query": "{__typename}", "variables": {"a": [[[{"b": [1]}]]]}})
    assert shallow.status_code == 200 and shallow.json()["data"] == {"__typename": "Query"}


def test_nested_variables_over_get_are_refused_too(api: TestClient) -> None:
    response = api.get("/graphql", params={"query": "{__typename}", "variables": f'{{"a": {NESTED}}}'})
    assert response.status_code == 400 and _code(response) == "INVALID_INPUT"


def test_a_body_over_the_size_cap_is_413(sessions: SessionFactory, settings: Settings) -> None:
    for api in _app(settings, max_graphql_bytes=2000):
        padding = "x" * 5000
        response = api.post("/graphql", json={"query": "{__typename}", "variables": {"p": padding}})
        assert response.status_code == 413 and _code(response) == "TOO_LARGE"

        def chunks() -> Iterator[bytes]:  # no Content-Length: refused while streaming
            yield b'{"query": "{__typename}", "variables": {"p": "'
            for _ in range(10):
                yield b"x" * 1000
            yield b'"}}'

        streamed = api.post("/graphql", content=chunks(), headers={"content-type": "application/json"})
        assert streamed.status_code == 413 and _code(streamed) == "TOO_LARGE"
        assert api.post("/graphql", json={"query": "{__typename}"}).status_code == 200


def test_bodies_that_are_not_a_json_object_are_coded(api: TestClient) -> None:
    for body in ("[1, 2]", "not json", '"a string"', '{"query": "{__typename}"'):
        response = api.post("/graphql", content=body, headers={"content-type": "application/json"})
        assert response.status_code == 400 and _code(response) == "INVALID_QUERY", body


def _count_cohorts(sessions: SessionFactory) -> int:
    with sessions.scope() as session:
        return len(session.exec(select(Cohort)).all())


@pytest.mark.parametrize(
    "query, operation",
    [
        ('#x\nmutation { createCohort(input: {title: "ST9"}) { errors { code } } }', None),
        ('  # a comment\n\n  mutation M { createCohort(input: {title: "ST9"}) { errors { code } } }', None),
        ('query Q { __typename } mutation M { createCohort(input: {title: "ST9"}) { errors { code } } }', "M"),
        ('{ __typename } mutation { createCohort(input: {title: "ST9"}) { errors { code } } }', None),
    ],
)
def test_graphql_over_get_runs_queries_only(
    api: TestClient, sessions: SessionFactory, bearers: dict[str, dict[str, str]], query: str, operation: str | None
) -> None:
    params = {"query": query, **({"operationName": operation} if operation else {})}
    response = api.get("/graphql", params=params, headers=bearers["administrator"])
    assert response.status_code in (400, 405), response.text
    assert _code(response) in ("INVALID_INPUT", "INVALID_QUERY")
    assert _count_cohorts(sessions) == 0
    # The same mutation over POST runs: the refusal was the method, not the caller.
    if response.status_code == 405:
        posted = api.post("/graphql", json=params, headers=bearers["administrator"])
        assert posted.status_code == 200 and _count_cohorts(sessions) == 1, posted.text


def test_a_query_named_in_a_multi_operation_document_runs_over_get(
    api: TestClient, bearers: dict[str, dict[str, str]]
) -> None:
    document = 'query Q { __typename } mutation M { createCohort(input: {title: "ST9"}) { errors { code } } }'
    response = api.get("/graphql", params={"query": document, "operationName": "Q"}, headers=bearers["administrator"])
    assert response.status_code == 200 and response.json()["data"] == {"__typename": "Query"}


def test_introspection_and_suggestions_are_for_signed_in_callers(
    api: TestClient, bearers: dict[str, dict[str, str]]
) -> None:
    for query in (INTROSPECTION, TYPE_QUERY, "query { ...F } fragment F on Query { __schema { queryType { name } } }"):
        refused = api.post("/graphql", json={"query": query})
        assert refused.status_code == 400 and _code(refused) == "INVALID_QUERY", refused.text
        assert "sign in" in refused.text and "Case" not in refused.text
        over_get = api.get("/graphql", params={"query": query})
        assert over_get.status_code == 400 and _code(over_get) == "INVALID_QUERY"
    assert api.post("/graphql", json={"query": "{ __typename }"}).json()["data"] == {"__typename": "Query"}
    anonymous = api.post("/graphql", json={"query": MISSPELT})
    assert anonymous.status_code == 400 and "Did you mean" not in anonymous.text
    assert "Cannot query field 'totalCont'" in anonymous.text
    for caller in ("administrator", "partner"):
        schema = api.post("/graphql", json={"query": INTROSPECTION}, headers=bearers[caller])
        assert schema.status_code == 200, schema.text
        assert "Case" in {t["name"] for t in schema.json()["data"]["__schema"]["types"]}
        hinted = api.post("/graphql", json={"query": MISSPELT}, headers=bearers[caller])
        assert "Did you mean 'totalCount'?" in hinted.text


def test_a_setting_turns_introspection_off_for_everyone(
    sessions: SessionFactory, settings: Settings, bearers: dict[str, dict[str, str]]
) -> None:
    for api in _app(settings, graphql_introspection=False):
        for caller in ("administrator", "partner", "anonymous"):
            refused = api.post("/graphql", json={"query": TYPE_QUERY}, headers=bearers[caller])
            assert refused.status_code == 400 and "turned off" in refused.text, caller
        assert (
            api.post("/graphql", json={"query": "{ me { username } }"}, headers=bearers["administrator"]).json()[
                "data"
            ]["me"]["username"]
            == "admin"
        )


def test_odd_bodies_and_deeply_nested_documents_are_coded_not_500(api: TestClient) -> None:
    raw = {
        "a 5000-digit number": b'{"query": "{__typename}", "variables": {"a": ' + b"1" * 5000 + b"}}",
        "bytes that are not UTF-8": b'{"query": "\xff\xfe"}',
        "an empty body": b"",
    }
    for name, body in raw.items():
        response = api.post("/graphql", content=body, headers={"content-type": "application/json"})
        assert response.status_code == 400 and _code(response) == "INVALID_QUERY", name
    documents = {
        "a nested list literal": "{ __typename(a: " + "[" * 1400 + "]" * 1400 + ") }",
        "a nested object literal": "{ __typename(a: " + "{a: " * 900 + "1" + "}" * 900 + ") }",
        "nested selections": "{" + "a{" * 1400 + "b" + "}" * 1401,
    }
    for name, document in documents.items():
        posted, got = api.post("/graphql", json={"query": document}), api.get("/graphql", params={"query": document})
        for response in (posted, got):
            assert response.status_code == 400 and _code(response) == "INVALID_QUERY", (name, response.text[:200])
