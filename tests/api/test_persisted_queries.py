"""Automatic persisted queries (Apollo's APQ): a hash stands for a query text the server has seen, and every
rule that applies to a text sent in full applies to the text a hash names."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from api.app import create_app
from api.db import SessionFactory
from api.persisted import PersistedQueries, sha256_hex
from api.settings import Settings
from content.principal import SYSTEM
from content.users.models import Cohort
from content.users.service import add_user
from tests.content import factories as f

ME = "query Me { me { username } }"
CREATE = 'mutation { createCohort(input: {title: "ST9"}) { errors { code } } }'
INTROSPECTION = "{ __schema { types { name } } }"
TOO_DEEP = "{ me { " + "a { " * 14 + "b" + " }" * 14 + " } }"
TOO_MANY_TOKENS = "{ " + "__typename " * 3100 + "}"


def _ext(query: str, *, digest: str | None = None) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": digest or sha256_hex(query)}}


def _code(response: Any) -> str:
    return str(response.json()["errors"][0]["extensions"]["code"])


@pytest.fixture
def admin(sessions: SessionFactory, settings: Settings) -> dict[str, str]:
    with sessions.scope() as session:
        user = add_user("admin", roles=["administrator"], password=None, session=session, principal=SYSTEM)
        token = f.bearer(session, user, secret=settings.secret(), ttl_seconds=600)
    return {"Authorization": f"Bearer {token}"}


def _client(settings: Settings, **overrides: Any) -> Iterator[TestClient]:
    with TestClient(create_app(settings.model_copy(update=overrides)), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def api(sessions: SessionFactory, settings: Settings) -> Iterator[TestClient]:
    yield from _client(settings)


def _get(api: TestClient, query: str | None, ext: dict[str, Any], headers: dict[str, str] | None = None) -> Any:
    params = {"extensions": json.dumps(ext), **({"query": query} if query is not None else {})}
    return api.get("/graphql", params=params, headers=headers or {})


def _cohorts(sessions: SessionFactory) -> int:
    with sessions.scope() as session:
        return len(session.exec(select(Cohort)).all())


def test_an_unknown_hash_is_persisted_query_not_found_as_apollo_clients_expect(
    api: TestClient, admin: dict[str, str]
) -> None:
    for response in (
        api.post("/graphql", json={"extensions": _ext(ME)}, headers=admin),
        _get(api, None, _ext(ME), admin),
    ):
        # 200, so that clients which read a 4xx as "not supported" still retry with the text.
        assert response.status_code == 200, response.text
        error = response.json()["errors"][0]
        assert error["message"] == "PersistedQueryNotFound"
        assert error["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
        assert response.headers["cache-control"] == "no-store"


def test_a_registered_query_runs_by_hash_over_post_and_get(api: TestClient, admin: dict[str, str]) -> None:
    registered = api.post("/graphql", json={"query": ME, "extensions": _ext(ME)}, headers=admin)
    assert registered.status_code == 200 and registered.json()["data"] == {"me": {"username": "admin"}}
    by_hash = api.post("/graphql", json={"extensions": _ext(ME), "operationName": "Me"}, headers=admin)
    assert by_hash.status_code == 200 and by_hash.json() == registered.json()
    got = _get(api, None, _ext(ME), admin)
    assert got.status_code == 200 and got.json() == registered.json()
    # GET answers can be revalidated, privately: the answer depends on the caller.
    assert got.headers["cache-control"] == "private, no-cache" and got.headers["vary"] == "authorization"
    again = api.get(str(got.request.url), headers={**admin, "if-none-match": got.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    # An uppercase hash names the same query; a query string over GET registers as POST does.
    upper = api.post("/graphql", json={"extensions": _ext(ME, digest=sha256_hex(ME).upper())}, headers=admin)
    assert upper.json()["data"] == {"me": {"username": "admin"}}
    other = "{ me { roles } }"
    assert _get(api, other, _ext(other), admin).status_code == 200
    assert api.post("/graphql", json={"extensions": _ext(other)}, headers=admin).json()["data"]["me"]["roles"]


def test_a_wrong_or_malformed_hash_is_refused_and_not_stored(api: TestClient, admin: dict[str, str]) -> None:
    wrong = sha256_hex("{ __typename }")
    refused = api.post("/graphql", json={"query": ME, "extensions": _ext(ME, digest=wrong)}, headers=admin)
    assert refused.status_code == 400 and _code(refused) == "INVALID_INPUT"
    assert "not the SHA-256" in refused.text and "data" not in refused.json()
    # The hash still names nothing (and certainly not ME).
    assert _code(api.post("/graphql", json={"extensions": _ext(ME, digest=wrong)})) == "PERSISTED_QUERY_NOT_FOUND"
    for persisted in (
        {"version": 2, "sha256Hash": sha256_hex(ME)},
        {"version": 1, "sha256Hash": "not hex"},
        {"version": 1},
        "a string",
    ):
        response = api.post("/graphql", json={"query": ME, "extensions": {"persistedQuery": persisted}})
        assert response.status_code == 400 and _code(response) == "INVALID_INPUT", persisted
    for extensions in ("a string", [1]):
        response = api.post("/graphql", json={"query": ME, "extensions": extensions})
        assert response.status_code == 400 and _code(response) == "INVALID_INPUT"
    malformed_get = api.get("/graphql", params={"extensions": "{not json"})
    assert malformed_get.status_code == 400 and _code(malformed_get) == "INVALID_QUERY"


def test_a_mutation_by_hash_runs_over_post_and_is_refused_over_get(
    api: TestClient, sessions: SessionFactory, admin: dict[str, str]
) -> None:
    over_get = _get(api, CREATE, _ext(CREATE), admin)
    assert over_get.status_code == 405 and _code(over_get) == "INVALID_INPUT"
    assert _cohorts(sessions) == 0
    # Registered by the refused GET, still refused over GET by hash alone.
    assert _get(api, None, _ext(CREATE), admin).status_code == 405
    assert _cohorts(sessions) == 0
    posted = api.post("/graphql", json={"extensions": _ext(CREATE)}, headers=admin)
    assert posted.status_code == 200 and posted.json()["data"]["createCohort"]["errors"] == []
    assert _cohorts(sessions) == 1
    assert _get(api, None, _ext(CREATE), admin).status_code == 405
    assert _cohorts(sessions) == 1


@pytest.mark.parametrize(
    "query, why",
    [(TOO_DEEP, "exceeds maximum operation depth of 12"), (TOO_MANY_TOKENS, "more than 3000 tokens")],
    ids=["depth", "tokens"],
)
def test_limits_apply_to_a_hashed_query_exactly_as_to_its_text(
    api: TestClient, admin: dict[str, str], query: str, why: str
) -> None:
    plain = api.post("/graphql", json={"query": query}, headers=admin)
    assert plain.status_code == 400 and _code(plain) == "INVALID_QUERY" and why in plain.text
    registered = api.post("/graphql", json={"query": query, "extensions": _ext(query)}, headers=admin)
    by_hash = api.post("/graphql", json={"extensions": _ext(query)}, headers=admin)
    got = _get(api, None, _ext(query), admin)
    for response in (registered, by_hash, got):
        assert (response.status_code, response.json()) == (plain.status_code, plain.json())


def test_introspection_by_hash_is_still_for_signed_in_callers(api: TestClient, admin: dict[str, str]) -> None:
    signed_in = api.post("/graphql", json={"query": INTROSPECTION, "extensions": _ext(INTROSPECTION)}, headers=admin)
    assert signed_in.status_code == 200 and signed_in.json()["data"]["__schema"]["types"]
    assert api.post("/graphql", json={"extensions": _ext(INTROSPECTION)}, headers=admin).status_code == 200
    for anonymous in (
        api.post("/graphql", json={"extensions": _ext(INTROSPECTION)}),
        _get(api, None, _ext(INTROSPECTION)),
    ):
        assert anonymous.status_code == 400 and _code(anonymous) == "INVALID_QUERY"
        assert "sign in" in anonymous.text and "Case" not in anonymous.text


def test_a_nul_in_a_hashed_query_is_refused_as_in_its_text(api: TestClient) -> None:
    query = '{ cases(search: {text: "stroke\\u0000"}) { totalCount } }'
    api.post("/graphql", json={"query": query, "extensions": _ext(query)})
    by_hash = api.post("/graphql", json={"extensions": _ext(query)})
    assert by_hash.status_code == 400 and _code(by_hash) == "INVALID_INPUT" and "NUL" in by_hash.text


def test_a_setting_of_zero_remembers_nothing(sessions: SessionFactory, settings: Settings) -> None:
    for api in _client(settings, persisted_query_entries=0):
        body = {"query": "{ __typename }", "extensions": _ext("{ __typename }")}
        assert api.post("/graphql", json=body).json()["data"] == {"__typename": "Query"}
        assert _code(api.post("/graphql", json={"extensions": body["extensions"]})) == "PERSISTED_QUERY_NOT_FOUND"


def test_the_store_is_a_bounded_lru() -> None:
    store = PersistedQueries(max_entries=2, max_chars=100)
    texts = ["{ a }", "{ b }", "{ c }"]
    for text in texts[:2]:
        store.resolve(text, _ext(text))
    store.resolve(None, _ext(texts[0]))  # used: now the most recent
    store.resolve(texts[2], _ext(texts[2]))
    assert store.get(sha256_hex(texts[0])) == texts[0] and store.get(sha256_hex(texts[1])) is None
    assert len(store) == 2
    big = "{ " + "x " * 48 + "}"
    store.resolve(big, _ext(big))  # 99 characters: both others make room
    assert store.get(sha256_hex(big)) == big and len(store) == 1
    store.resolve("{" + " " * 200 + "}", _ext("{" + " " * 200 + "}"))  # larger than the whole store: not kept
    assert len(store) == 1
