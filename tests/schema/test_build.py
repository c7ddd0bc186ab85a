"""The committed SDL, query limits, and constant SQL statements per page."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session

from content.cases.service import create_case
from content.principal import SYSTEM
from content.users.service import add_user
from schema.build import sdl
from tests.content import factories as f

ROOT = Path(__file__).resolve().parents[2]


def test_committed_sdl_is_current() -> None:
    assert (ROOT / "schema.graphql").read_text() == sdl(), "run `lightbox schema > schema.graphql`"


def _token(client) -> str:  # type: ignore[no-untyped-def]
    r = client.post(
        "/graphql",
        json={
            "query": 'mutation { login(input: {username: "trainer", password: '
            '"correct horse battery"}) { token errors { code } } }'
        },
    )
    return r.json()["data"]["login"]["token"]


def test_over_deep_query_and_bad_tokens_are_refused(client, session: Session) -> None:
    add_user("trainer", roles=["trainer"], password="correct horse battery", session=session, principal=SYSTEM)
    deep = "{ collections { " + "parent { " * 15 + "id" + " }" * 15 + " } }"
    r = client.post("/graphql", json={"query": deep}, headers={"Authorization": f"Bearer {_token(client)}"})
    assert r.status_code == 400 and "depth" in r.json()["errors"][0]["message"]
    r = client.post("/graphql", json={"query": "{ me { id } }"}, headers={"Authorization": "Bearer lbs1.junk.sig"})
    assert r.status_code == 401 and r.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    r = client.post("/graphql", json={"query": "{ collections { id } }"})
    assert r.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    r = client.post(
        "/graphql",
        json={"query": "{ cases(first: 101) { totalCount } }"},
        headers={"Authorization": f"Bearer {_token(client)}"},
    )
    assert r.json()["errors"][0]["extensions"]["code"] == "INVALID_INPUT"


def test_throttles_repeated_failed_logins(client, session: Session) -> None:
    add_user("trainer", roles=["trainer"], password="correct horse battery", session=session, principal=SYSTEM)
    q = 'mutation { login(input: {username: "trainer", password: "wrong"}) { token errors { code } } }'
    codes = [client.post("/graphql", json={"query": q}).json()["data"]["login"]["errors"][0]["code"] for _ in range(6)]
    assert codes[:5] == ["INVALID_CREDENTIALS"] * 5 and codes[5] == "TOO_MANY_ATTEMPTS"
    r = client.post("/graphql", json={"query": q.replace("wrong", "correct horse battery")})
    assert r.json()["data"]["login"]["errors"][0]["code"] == "TOO_MANY_ATTEMPTS"


PAGE = """query($first: Int) { cases(first: $first) { totalCount edges { node {
  id title state curriculum { code title } collection { path } creator { displayName } thumbnailUrl } } } }"""


def test_statements_do_not_grow_with_page_size(client, session: Session, sessions) -> None:
    f.curriculum(session)
    coll = f.collection(session)
    add_user("trainer", roles=["trainer"], password="correct horse battery", session=session, principal=SYSTEM)
    for n in range(100):
        create_case(
            collection_uid=coll,
            fields={"title": f"Case {n}", "curriculum_codes": ["NEURO.STROKE"]},
            session=session,
            principal=SYSTEM,
        )
    token = _token(client)
    # The first request of a session reads its row; later ones find it in the revocation cache.
    client.post("/graphql", json={"query": "{ me { id } }"}, headers={"Authorization": f"Bearer {token}"})
    counts = []
    for first in (20, 100):
        statements: list[str] = []

        def count(conn, cursor, statement, *args, statements=statements):  # type: ignore[no-untyped-def]
            # Background readers share the engines: the revocation clock (read once a second, whenever a
            # request falls due) and the webhook outbox poll; neither belongs to the page being counted.
            if "revocation_clock" not in statement and "webhook_" not in statement:
                statements.append(statement)

        sa.event.listen(sa.engine.Engine, "before_cursor_execute", count)
        try:
            r = client.post(
                "/graphql",
                json={"query": PAGE, "variables": {"first": first}},
                headers={"Authorization": f"Bearer {token}"},
            )
        finally:
            sa.event.remove(sa.engine.Engine, "before_cursor_execute", count)
        edges = r.json()["data"]["cases"]["edges"]
        assert len(edges) == first and edges[0]["node"]["curriculum"][0]["code"] == "NEURO.STROKE"
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
