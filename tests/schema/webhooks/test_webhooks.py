"""Webhooks through GraphQL, on the real app: subscribe (secret once), the delivery log, redeliver, delete.

The app's own Runtime dispatches to a real HTTP receiver on 127.0.0.1; retries are fast here.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.app import create_app
from api.runtime import Runtime
from api.settings import Settings
from content.cases.service import create_case
from content.cases.transitions import transition
from content.principal import SYSTEM
from content.security.api_tokens import create_api_token
from content.users.models import User
from content.users.service import principal_for
from content.webhooks import signing
from tests.content import factories as f
from tests.content.webhooks.conftest import FAST
from tests.content.webhooks.receiver import Receiver
from tests.helpers import graphql, graphql_data

CREATE = """mutation($url: String!, $events: [WebhookEventType!]!) {
  createWebhookSubscription(input: {url: $url, events: $events, description: "teaching file mirror"}) {
    secret subscription { id url events description secretHint owner { username } } errors { field code } } }"""
SUBSCRIPTIONS = "{ webhookSubscriptions { id url events secretHint } }"
DELIVERIES = """query($sub: ID, $state: WebhookDeliveryState, $first: Int!, $after: String) {
  webhookDeliveries(subscription: $sub, state: $state, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id subscriptionId eventId eventType state attemptCount maxAttempts payload
      lastStatusCode lastError deliveredAt attempts { number statusCode error durationMs at } } } } }"""
REDELIVER = """mutation($id: ID!) { redeliverWebhook(input: {delivery: $id}) {
  delivery { id state attemptCount } errors { field code } } }"""
DELETE = """mutation($id: ID!) { deleteWebhookSubscription(input: {id: $id}) { deletedId errors { field code } } }"""
PASSWORD = "correct horse battery"


@dataclass
class App:
    client: TestClient
    runtime: Runtime
    tokens: dict[str, str]
    leeds: str

    def gql(self, who: str, query: str, **variables: Any) -> dict[str, Any]:
        return graphql(self.client, query, variables, self.tokens[who])

    def validate_case(self, title: str) -> str:
        """Through the app's own sessions, whose bus carries the outbox (as a GraphQL transition would)."""
        with self.runtime.sessions.scope() as s:
            trainer = principal_for(s.exec(select(User).where(User.username == "trainer")).one(), session=s)
            validator = principal_for(s.exec(select(User).where(User.username == "validator")).one(), session=s)
            case = create_case(
                collection_uid=self.leeds,
                fields={"title": title, "diagnosis": "Secret answer"},
                session=s,
                principal=trainer,
            )
            transition(case.uid, "SUBMIT", session=s, principal=trainer)
            transition(case.uid, "VALIDATE", session=s, principal=validator)
            return case.uid


def _login(client: TestClient, username: str) -> str:
    login = "mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) { token } }"
    return str(graphql_data(client, login, {"u": username, "p": PASSWORD})["login"]["token"])


@pytest.fixture
def app(app_settings: Settings, session: Session) -> Iterator[App]:
    settings = app_settings.model_copy(update={**FAST, "webhook_dispatch": True, "webhook_retry_base_seconds": 0.01})
    leeds = f.collection(session)
    people = {
        name: f.person(session, name, role)[0]
        for name, role in (
            ("admin", "administrator"),
            ("acme", "partner"),
            ("globex", "partner"),
            ("ann", "trainee"),
            ("trainer", "trainer"),
            ("validator", "validator"),
        )
    }
    system_token, _ = create_api_token(
        "globex system",
        scope="read",
        acting_user=people["globex"],
        collection_path=None,
        session=session,
        principal=SYSTEM,
    )
    fast_app = create_app(settings)
    with TestClient(fast_app) as client:
        tokens = {name: _login(client, name) for name in ("admin", "acme", "ann")}
        tokens["globex"] = system_token
        yield App(client, fast_app.state.runtime, tokens, leeds)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


def _deliveries(app: App, who: str, *, until_settled: bool = False, **variables: Any) -> dict[str, Any]:
    """The log as `who` reads it; with until_settled, read again (briefly) until nothing is pending."""
    deadline, first = time.monotonic() + 30, variables.pop("first", 10)
    while True:
        out = app.gql(who, DELIVERIES, first=first, **variables)
        page = out["data"]["webhookDeliveries"] if out.get("data") else None
        if (
            not until_settled
            or page is None
            or time.monotonic() > deadline
            or all(e["node"]["state"] != "PENDING" for e in page["edges"])
        ):
            return out
        time.sleep(0.05)


def test_partners_subscribe_and_read_their_own_delivery_log(app: App, receiver: Receiver) -> None:
    receiver.script = [500]
    made = app.gql("acme", CREATE, url=receiver.url, events=["CASE_VALIDATED"])["data"]["createWebhookSubscription"]
    assert made["errors"] == [] and made["secret"].startswith("whsec_")
    acme_sub = made["subscription"]
    assert acme_sub["events"] == ["CASE_VALIDATED"] and acme_sub["owner"] == {"username": "acme"}
    assert acme_sub["secretHint"] == made["secret"][-4:]
    theirs = app.gql("globex", CREATE, url=receiver.url, events=["CASE_VALIDATED", "CASE_RETIRED"])
    globex_sub = theirs["data"]["createWebhookSubscription"]["subscription"]
    refused = app.gql("ann", CREATE, url=receiver.url, events=["CASE_VALIDATED"])["data"]["createWebhookSubscription"]
    assert refused == {"secret": None, "subscription": None, "errors": [{"field": None, "code": "FORBIDDEN"}]}

    assert [s["id"] for s in app.gql("acme", SUBSCRIPTIONS)["data"]["webhookSubscriptions"]] == [acme_sub["id"]]
    assert [s["id"] for s in app.gql("globex", SUBSCRIPTIONS)["data"]["webhookSubscriptions"]] == [globex_sub["id"]]
    assert len(app.gql("admin", SUBSCRIPTIONS)["data"]["webhookSubscriptions"]) == 2
    assert "secret" not in json.dumps(app.gql("admin", SUBSCRIPTIONS)["data"]).replace("secretHint", "")

    case_uid = app.validate_case("Left pneumothorax")
    hits = receiver.wait_for(3)
    assert sorted(h.status for h in hits) == [200, 200, 500]
    acme_hits = [h for h in hits if signing.verify(made["secret"], h.headers["lightbox-signature"], h.body)]
    assert [h.status for h in acme_hits] == [500, 200], "only acme's deliveries verify with acme's secret"

    page = _deliveries(app, "acme", until_settled=True)["data"]["webhookDeliveries"]
    assert page["totalCount"] == 1 and page["pageInfo"]["hasNextPage"] is False
    (edge,) = page["edges"]
    node = edge["node"]
    assert node["subscriptionId"] == acme_sub["id"] and node["eventType"] == "CASE_VALIDATED"
    assert node["state"] == "DELIVERED" and node["attemptCount"] == 2 and node["maxAttempts"] == 3
    assert [(a["number"], a["statusCode"]) for a in node["attempts"]] == [(1, 500), (2, 200)]
    assert node["attempts"][0]["error"].startswith("HTTP 500") and all(a["durationMs"] >= 0 for a in node["attempts"])
    body = json.loads(node["payload"])
    assert body["type"] == "case.validated" and body["id"] == node["eventId"]
    assert case_uid not in node["payload"] and "Secret answer" not in node["payload"]
    assert acme_hits[1].body == node["payload"].encode(), "the log shows the exact body that was signed"
    assert acme_hits[1].headers["lightbox-delivery"] == node["id"]

    other = _deliveries(app, "acme", sub=globex_sub["id"])
    assert other["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert _deliveries(app, "admin", state="DELIVERED")["data"]["webhookDeliveries"]["totalCount"] == 2
    assert _deliveries(app, "acme", state="FAILED")["data"]["webhookDeliveries"]["totalCount"] == 0

    again = app.gql("acme", REDELIVER, id=node["id"])["data"]["redeliverWebhook"]
    assert again["errors"] == [] and again["delivery"]["state"] == "PENDING"
    assert [h.status for h in receiver.wait_for(4)][3] == 200
    nope = app.gql("globex", REDELIVER, id=node["id"])["data"]["redeliverWebhook"]
    assert nope == {"delivery": None, "errors": [{"field": "id", "code": "NOT_FOUND"}]}


def test_deleting_a_subscription_is_for_its_owner_or_an_administrator(app: App) -> None:
    mine = app.gql("acme", CREATE, url="https://acme.example/hook", events=["CASE_RETIRED"])
    acme_id = mine["data"]["createWebhookSubscription"]["subscription"]["id"]
    theirs = app.gql("globex", CREATE, url="https://globex.example/hook", events=["CASE_RETIRED"])
    globex_id = theirs["data"]["createWebhookSubscription"]["subscription"]["id"]
    refused = app.gql("acme", DELETE, id=globex_id)["data"]["deleteWebhookSubscription"]
    assert refused == {"deletedId": None, "errors": [{"field": "id", "code": "NOT_FOUND"}]}
    assert app.gql("acme", DELETE, id=acme_id)["data"]["deleteWebhookSubscription"] == {
        "deletedId": acme_id,
        "errors": [],
    }
    assert app.gql("admin", DELETE, id=globex_id)["data"]["deleteWebhookSubscription"]["deletedId"] == globex_id
    assert app.gql("admin", SUBSCRIPTIONS)["data"]["webhookSubscriptions"] == []


def test_invalid_input_is_a_payload_error(app: App) -> None:
    bad = app.gql("acme", CREATE, url="ftp://acme.example/hook", events=["CASE_VALIDATED"])
    assert bad["data"]["createWebhookSubscription"]["errors"] == [{"field": "url", "code": "INVALID_INPUT"}]
    many = app.gql("acme", CREATE, url="https://acme.example/hook", events=["CASE_VALIDATED"] * 11)
    assert many["data"]["createWebhookSubscription"]["errors"] == [{"field": "events", "code": "INVALID_INPUT"}]
    assert _deliveries(app, "acme", first=101)["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
    assert _deliveries(app, "ann")["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def test_the_app_refuses_internal_and_plain_http_targets_at_subscription(
    app_settings: Settings, session: Session
) -> None:
    """As configured in production: internal targets off (the default) and `webhook_https_only`."""
    from content.users.service import add_user
    from tests.content.factories import bearer as signed_in

    partner = add_user("acme", roles=["partner"], password=None, session=session, principal=SYSTEM)
    bearer = signed_in(session, partner, secret=app_settings.secret(), ttl_seconds=600)
    strict = app_settings.model_copy(update={"webhook_dispatch": False, "webhook_https_only": True})
    with TestClient(create_app(strict)) as client:

        def subscribe(url: str) -> dict[str, Any]:
            variables = {"url": url, "events": ["CASE_VALIDATED"]}
            made: dict[str, Any] = graphql_data(client, CREATE, variables, bearer)["createWebhookSubscription"]
            return made

        for url in (
            "https://[::127.0.0.1]/h",
            "https://[64:ff9b::7f00:1]/h",
            "https://[2002:7f00:1::]/h",
            "https://127.0.0.1/h",
            "http://93.184.216.34/h",
        ):
            refused = subscribe(url)
            assert refused["subscription"] is None and refused["secret"] is None, url
            assert [(e["code"], e["field"]) for e in refused["errors"]] == [("INVALID_INPUT", "url")], url
        made = subscribe("https://93.184.216.34/h")
        assert made["errors"] == [] and made["secret"]
