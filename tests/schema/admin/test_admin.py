"""The administration API end to end over HTTP: people, cohorts, local roles and API tokens.

Each test signs people in with session tokens (no password hashing), calls the GraphQL operations
the web UI's Administration page uses, and checks what the change does to later requests.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlmodel import Session

from api.settings import Settings
from content.cases.service import create_case
from content.principal import SYSTEM
from content.security import tokens
from content.users.models import User
from content.users.service import add_user, principal_for
from schema.core.ids import to_global_id
from tests.content import factories as f
from tests.helpers import graphql


class Api:
    def __init__(self, client: TestClient, settings: Settings, session: Session) -> None:
        self.client, self.settings, self.session = client, settings, session
        self.bearers: dict[str, str] = {}
        self.ids: dict[str, str] = {}

    def person(self, username: str, role: str) -> str:
        user = add_user(username, roles=[role], password=None, session=self.session, principal=SYSTEM)
        self.bearers[username] = f.bearer(self.session, user, secret=self.settings.secret(), ttl_seconds=600)
        self.ids[username] = to_global_id("User", user.uid)
        return user.uid

    def raw(self, bearer: str | None, query: str, **variables: Any) -> dict[str, Any]:
        return graphql(self.client, query, variables, bearer)

    def gql(self, who: str, query: str, **variables: Any) -> dict[str, Any]:
        body = self.raw(self.bearers[who], query, **variables)
        assert "errors" not in body, body
        data: dict[str, Any] = body["data"]
        return data

    def mutate(self, who: str, field: str, query: str, **variables: Any) -> dict[str, Any]:
        out: dict[str, Any] = self.gql(who, query, **variables)[field]
        return out


def _api(client: TestClient, app_settings: Settings, session: Session) -> Api:
    api = Api(client, app_settings, session)
    for name, role in (("adam", "administrator"), ("tess", "trainer"), ("ann", "trainee"), ("val", "validator")):
        api.person(name, role)
    return api


CREATE_USER = """mutation($i: CreateUserInput!) { createUser(input: $i) {
  user { id username displayName roles active } password errors { field message code } } }"""
UPDATE_USER = """mutation($i: UpdateUserInput!) { updateUser(input: $i) {
  user { id roles active displayName } errors { field code } } }"""
LOGIN = """mutation($u: String!, $p: String!) {
  login(input: {username: $u, password: $p}) { token errors { code } } }"""


def test_create_a_person_sign_in_with_the_generated_password_then_deactivate(
    client: TestClient, app_settings: Settings, session: Session
) -> None:
    api = _api(client, app_settings, session)
    made = api.mutate(
        "adam", "createUser", CREATE_USER, i={"username": "nina", "roles": ["trainee"], "displayName": "Dr Nina"}
    )
    assert made["errors"] == [] and made["user"]["username"] == "nina" and made["user"]["active"]
    password = made["password"]
    assert password and len(password) >= 16
    signed_in = api.raw(None, LOGIN, u="nina", p=password)["data"]["login"]
    assert signed_in["errors"] == [] and signed_in["token"]
    assert api.raw(signed_in["token"], "{ me { username } }")["data"]["me"]["username"] == "nina"
    chosen = api.mutate(
        "adam", "createUser", CREATE_USER, i={"username": "omar", "roles": ["trainer"], "password": "long enough pass"}
    )
    assert chosen["errors"] == [] and chosen["password"] is None
    duplicate = api.mutate("adam", "createUser", CREATE_USER, i={"username": "Nina", "roles": ["trainee"]})
    assert duplicate["user"] is None and [(e["field"], e["code"]) for e in duplicate["errors"]] == [
        ("username", "DUPLICATE")
    ]
    weak = api.mutate(
        "adam", "createUser", CREATE_USER, i={"username": "pia", "roles": ["trainee"], "password": "short"}
    )
    assert [(e["field"], e["code"]) for e in weak["errors"]] == [("password", "PASSWORD_TOO_SHORT")]
    many = api.mutate("adam", "createUser", CREATE_USER, i={"username": "pia", "roles": ["trainee"] * 11})
    assert [e["code"] for e in many["errors"]] == ["INVALID_INPUT"]
    refused = api.mutate("tess", "createUser", CREATE_USER, i={"username": "pia", "roles": ["trainee"]})
    assert [e["code"] for e in refused["errors"]] == ["FORBIDDEN"]

    gone = api.mutate("adam", "updateUser", UPDATE_USER, i={"id": made["user"]["id"], "active": False})
    assert gone["errors"] == [] and gone["user"]["active"] is False
    after = api.raw(signed_in["token"], "{ me { username } }")
    assert after["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert api.raw(None, LOGIN, u="nina", p=password)["data"]["login"]["errors"] == [{"code": "INVALID_CREDENTIALS"}]


def test_the_lockout_guard_and_role_changes(client: TestClient, app_settings: Settings, session: Session) -> None:
    api = _api(client, app_settings, session)
    for change, field in (({"roles": ["trainer"]}, "roles"), ({"active": False}, "active")):
        out = api.mutate("adam", "updateUser", UPDATE_USER, i={"id": api.ids["adam"], **change})
        assert out["user"] is None and out["errors"] == [{"field": field, "code": "FORBIDDEN"}]
    assert api.gql("adam", "{ me { roles active } }")["me"] == {"roles": ["administrator"], "active": True}
    promoted = api.mutate(
        "adam",
        "updateUser",
        UPDATE_USER,
        i={"id": api.ids["val"], "roles": ["validator", "trainer"], "displayName": "Val"},
    )
    assert promoted["user"] == {
        "id": api.ids["val"],
        "roles": ["validator", "trainer"],
        "active": True,
        "displayName": "Val",
    }
    assert api.gql("val", "{ me { roles } }")["me"]["roles"] == ["validator", "trainer"]
    unknown = api.mutate("adam", "updateUser", UPDATE_USER, i={"id": api.ids["val"], "roles": ["wizard"]})
    assert unknown["errors"] == [{"field": "roles", "code": "INVALID_INPUT"}]


USERS = (
    "query($f: Int, $r: String, $s: String, $i: Boolean) { users(first: $f, role: $r, search: $s, "
    "includeInactive: $i) { username active cohorts { title } } }"
)


def test_listing_people_administrators_everyone_trainers_trainees(
    client: TestClient, app_settings: Settings, session: Session
) -> None:
    api = _api(client, app_settings, session)
    assert [u["username"] for u in api.gql("adam", USERS)["users"]] == ["adam", "ann", "tess", "val"]
    assert [u["username"] for u in api.gql("tess", USERS)["users"]] == ["ann"]
    assert api.gql("adam", USERS, r="validator")["users"] == [{"username": "val", "active": True, "cohorts": []}]
    for first in (0, 201):
        body = api.raw(api.bearers["adam"], USERS, f=first)
        assert body["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
    assert api.raw(api.bearers["ann"], USERS)["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert api.raw(None, USERS)["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


COHORT_FIELDS = "cohort { id title members { username } } errors { field code }"
CREATE_COHORT = "mutation($t: String!) { createCohort(input: {title: $t}) { " + COHORT_FIELDS + " } }"
ADD = "mutation($c: ID!, $u: ID!) { addToCohort(input: {cohort: $c, user: $u}) { " + COHORT_FIELDS + " } }"
REMOVE = "mutation($c: ID!, $u: ID!) { removeFromCohort(input: {cohort: $c, user: $u}) { " + COHORT_FIELDS + " } }"


def test_a_trainer_builds_a_cohort_of_trainees(client: TestClient, app_settings: Settings, session: Session) -> None:
    api = _api(client, app_settings, session)
    made = api.mutate("tess", "createCohort", CREATE_COHORT, t="ST1 2026")
    assert made["errors"] == [] and made["cohort"]["members"] == [{"username": "tess"}]
    cohort = made["cohort"]["id"]
    added = api.mutate("tess", "addToCohort", ADD, c=cohort, u=api.ids["ann"])
    assert added["cohort"]["members"] == [{"username": "ann"}, {"username": "tess"}]
    assert api.mutate("tess", "addToCohort", ADD, c=cohort, u=api.ids["val"])["errors"] == [
        {"field": "user", "code": "FORBIDDEN"}
    ]
    other = api.mutate("adam", "createCohort", CREATE_COHORT, t="ST2")["cohort"]
    assert other["members"] == []
    assert api.mutate("tess", "addToCohort", ADD, c=other["id"], u=api.ids["ann"])["errors"] == [
        {"field": "cohort", "code": "FORBIDDEN"}
    ]
    assert api.mutate("adam", "createCohort", CREATE_COHORT, t="ST2")["errors"] == [
        {"field": "title", "code": "DUPLICATE"}
    ]
    assert [c["title"] for c in api.gql("tess", "{ cohorts { title } }")["cohorts"]] == ["ST1 2026"]
    assert [c["title"] for c in api.gql("adam", "{ cohorts { title } }")["cohorts"]] == ["ST1 2026", "ST2"]
    # The trainee sees their cohort, not who else is in it; the administrator sees both.
    mine = api.gql("ann", "{ me { cohorts { title members { username } } } }")["me"]["cohorts"]
    assert mine == [{"title": "ST1 2026", "members": []}]
    seen = api.gql("adam", 'query { users(search: "ann") { cohorts { title members { username } } } }')["users"]
    assert seen == [{"cohorts": [{"title": "ST1 2026", "members": [{"username": "ann"}, {"username": "tess"}]}]}]
    removed = api.mutate("tess", "removeFromCohort", REMOVE, c=cohort, u=api.ids["ann"])
    assert removed["cohort"]["members"] == [{"username": "tess"}]
    assert api.mutate("tess", "removeFromCohort", REMOVE, c=cohort, u=api.ids["ann"])["errors"] == [
        {"field": "user", "code": "NOT_FOUND"}
    ]
    assert api.mutate("ann", "createCohort", CREATE_COHORT, t="Mine")["errors"] == [
        {"field": None, "code": "FORBIDDEN"}
    ]


GRANT = """mutation($i: GrantLocalRoleInput!) { grantLocalRole(input: $i) {
  grant { id role collection { path } user { username } cohort { title } } errors { field code } } }"""
REVOKE = """mutation($g: ID!) { revokeLocalRole(input: {grant: $g}) { grant { id role } errors { field code } } }"""
LOCAL_ROLES = "query($c: ID!) { localRoles(collection: $c) { id role user { username } cohort { title } } }"
SEARCH = "query($t: String!) { cases(search: {text: $t}) { totalCount edges { node { title } } } }"


def test_local_roles_granted_and_revoked_change_what_search_finds(
    client: TestClient, app_settings: Settings, session: Session
) -> None:
    api = _api(client, app_settings, session)
    api.person("carl", "contributor")
    north = f.collection(session, "North")
    tess = session.get(User, tokens.verify(api.bearers["tess"], secret=app_settings.secret()).subject)
    assert tess is not None
    author = principal_for(tess, session=session)
    create_case(collection_uid=north, fields={"title": "Aortic dissection"}, session=session, principal=author)
    coll = to_global_id("Collection", north)
    assert api.gql("carl", SEARCH, t="aortic")["cases"]["totalCount"] == 0
    made = api.mutate(
        "tess", "grantLocalRole", GRANT, i={"collection": coll, "role": "trainer", "user": api.ids["carl"]}
    )
    assert made["errors"] == [] and made["grant"]["collection"] == {"path": "/north"}
    assert made["grant"]["user"] == {"username": "carl"} and made["grant"]["cohort"] is None
    assert api.gql("carl", SEARCH, t="aortic")["cases"]["totalCount"] == 1
    listed = api.gql("adam", LOCAL_ROLES, c=coll)["localRoles"]
    assert listed == [{"id": made["grant"]["id"], "role": "trainer", "user": {"username": "carl"}, "cohort": None}]
    gone = api.mutate("tess", "revokeLocalRole", REVOKE, g=made["grant"]["id"])
    assert gone == {"grant": {"id": made["grant"]["id"], "role": "trainer"}, "errors": []}
    assert api.gql("carl", SEARCH, t="aortic")["cases"]["totalCount"] == 0
    assert api.gql("adam", LOCAL_ROLES, c=coll)["localRoles"] == []
    # Refusals, each coded.
    for variables, error in (
        ({"role": "validator", "user": api.ids["carl"]}, {"field": "role", "code": "FORBIDDEN"}),
        ({"role": "wizard", "user": api.ids["carl"]}, {"field": "role", "code": "INVALID_INPUT"}),
        ({"role": "trainee"}, {"field": "user", "code": "INVALID_INPUT"}),
        (
            {"role": "trainee", "user": api.ids["carl"], "cohort": to_global_id("Cohort", "x")},
            {"field": "user", "code": "INVALID_INPUT"},
        ),
    ):
        out = api.mutate("tess", "grantLocalRole", GRANT, i={"collection": coll, **variables})
        assert out == {"grant": None, "errors": [error]}, variables
    assert api.mutate("tess", "revokeLocalRole", REVOKE, g=made["grant"]["id"])["errors"] == [
        {"field": "grant", "code": "NOT_FOUND"}
    ]
    assert api.raw(api.bearers["ann"], LOCAL_ROLES, c=coll)["errors"][0]["extensions"]["code"] == "FORBIDDEN"


CREATE_TOKEN = """mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) {
  token apiToken { id name prefix scope collectionPath partner { name } revoked } errors { field code } } }"""
REVOKE_TOKEN = """mutation($id: ID!) {
  revokeApiToken(input: {id: $id}) { token apiToken { id revoked } errors { code } } }"""
TOKENS = """query($r: Boolean) { apiTokens(includeRevoked: $r) { id name prefix scope collectionPath partner { name }
  createdAt lastUsed revoked } }"""


def test_api_tokens_are_shown_once_listed_without_secrets_and_refused_once_revoked(
    client: TestClient, app_settings: Settings, session: Session
) -> None:
    api = _api(client, app_settings, session)
    north = to_global_id("Collection", f.collection(session, "North"))
    made = api.mutate("adam", "createApiToken", CREATE_TOKEN, i={"name": "ci", "scope": "write", "collection": north})
    token, record = made["token"], made["apiToken"]
    assert made["errors"] == [] and token.startswith(record["prefix"])
    assert (record["scope"], record["collectionPath"], record["partner"], record["revoked"]) == (
        "write",
        "/north",
        None,
        False,
    )
    assert api.raw(token, "{ me { username } }")["data"]["me"]["username"] == "adam"
    listing = client.post(
        "/graphql", json={"query": TOKENS}, headers={"Authorization": f"Bearer {api.bearers['adam']}"}
    )
    assert token not in listing.text and "hash" not in listing.text.lower()
    listed = listing.json()["data"]["apiTokens"]
    assert [t["id"] for t in listed] == [record["id"]] and listed[0]["lastUsed"] is not None
    assert api.mutate("adam", "createApiToken", CREATE_TOKEN, i={"name": "x", "scope": "all"})["errors"] == [
        {"field": "scope", "code": "INVALID_INPUT"}
    ]
    # The confined token may not administer, so it cannot mint its way out of North.
    wider = api.raw(token, CREATE_TOKEN, i={"name": "wider", "scope": "write"})["data"]["createApiToken"]
    assert wider["errors"] == [{"field": None, "code": "FORBIDDEN"}]

    revoked = api.mutate("adam", "revokeApiToken", REVOKE_TOKEN, id=record["id"])
    assert revoked == {"token": None, "apiToken": {"id": record["id"], "revoked": True}, "errors": []}
    assert api.raw(token, "{ me { username } }")["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert api.gql("adam", TOKENS)["apiTokens"] == []
    assert [t["revoked"] for t in api.gql("adam", TOKENS, r=True)["apiTokens"]] == [True]
    for who in ("tess", "val", "ann"):
        assert api.raw(api.bearers[who], TOKENS)["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        assert api.mutate(who, "revokeApiToken", REVOKE_TOKEN, id=record["id"])["errors"] == [{"code": "FORBIDDEN"}]


def _statements(client: TestClient, bearer: str, query: str) -> int:
    seen: list[str] = []

    def count(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        if "revocation_clock" not in statement:  # read once a second, whenever a request falls due
            seen.append(statement)

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", count)
    try:
        body = client.post("/graphql", json={"query": query}, headers={"Authorization": f"Bearer {bearer}"}).json()
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", count)
    assert "errors" not in body, body
    return len(seen)


def test_people_and_cohorts_load_their_relations_in_batches(
    client: TestClient, app_settings: Settings, session: Session
) -> None:
    from content.users.cohorts import add_member, create_cohort

    api = _api(client, app_settings, session)
    people = "{ users(first: 200) { username cohorts { title members { username } } } }"
    cohorts = "{ cohorts { title members { username cohorts { title } } } }"
    counts: list[tuple[int, int]] = []
    api.raw(api.bearers["adam"], "{ me { id } }")  # the session's row is read once, then cached
    for n in (2, 12):
        for i in range(n - (0 if not counts else 2)):
            uid = add_user(f"p{n}x{i}", roles=["trainee"], password=None, session=session, principal=SYSTEM).uid
            cohort = create_cohort(f"C{n}x{i}", session=session, principal=SYSTEM)
            add_member(cohort.uid, uid, session=session, principal=SYSTEM)
        counts.append(
            (_statements(client, api.bearers["adam"], people), _statements(client, api.bearers["adam"], cohorts))
        )
    assert counts[0] == counts[1], counts
