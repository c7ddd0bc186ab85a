"""Operations: request ids, security headers, metrics, rate limits, CORS and JSON logs."""

from __future__ import annotations

import json
import logging
import shutil

import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlmodel import Session

from api.app import create_app
from api.observability import JsonFormatter, request_id
from api.settings import Settings
from search.pg_schema import TABLE as CATALOG_TABLE
from tests.content import factories as f

LOGIN = (
    "mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) "
    "{ token errors { code message } } }"
)


def test_request_id_security_headers_and_metrics(client: TestClient) -> None:
    r = client.get("/healthz", headers={"x-request-id": "abc-123"})
    assert r.headers["x-request-id"] == "abc-123"
    assert r.headers["x-content-type-options"] == "nosniff" and r.headers["x-frame-options"] == "DENY"
    assert "default-src 'none'" in r.headers["content-security-policy"]
    fresh = client.post("/graphql", json={"query": "{ me { username } }"})
    assert len(fresh.headers["x-request-id"]) == 32
    metrics = client.get("/metrics")
    assert metrics.status_code == 200
    assert 'lightbox_http_requests_total{method="POST",route="/graphql",status="200"}' in metrics.text
    assert "lightbox_http_request_seconds_bucket" in metrics.text


def test_rate_limit_per_token_answers_429_with_retry_after(app_settings: Settings) -> None:
    with TestClient(create_app(app_settings.model_copy(update={"rate_limit_per_minute": 3}))) as c:
        codes = [c.post("/graphql", json={"query": "{ me { username } }"}).status_code for _ in range(5)]
        assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]
        refused = c.post("/graphql", json={"query": "{ me { username } }"})
        assert int(refused.headers["retry-after"]) >= 1
        assert refused.json()["errors"][0]["extensions"]["code"] == "TOO_MANY_ATTEMPTS"
        assert c.get("/healthz").status_code == 200  # health checks are never limited


def test_image_reads_draw_on_their_own_larger_bucket(app_settings: Settings) -> None:
    limits = {"rate_limit_per_minute": 2, "image_rate_limit_per_minute": 6}
    with TestClient(create_app(app_settings.model_copy(update=limits))) as c:
        images = [c.get("/dicomweb/studies").status_code for _ in range(7)]
        # A viewer's frame requests are not held to the GraphQL allowance, and do not use it up ...
        assert 429 not in images[:6] and images[6] == 429
        graphql = [c.post("/graphql", json={"query": "{ me { username } }"}).status_code for _ in range(3)]
        assert graphql == [200, 200, 429]


def test_sign_in_attempts_are_limited_per_address(app_settings: Settings, session: Session) -> None:
    f.person(session, "alice", "trainee")
    with TestClient(create_app(app_settings.model_copy(update={"login_attempts_per_minute": 2}))) as c:
        outcomes = [
            c.post("/graphql", json={"query": LOGIN, "variables": {"u": f"user{i}", "p": "x"}}).json() for i in range(3)
        ]
        codes = [o["data"]["login"]["errors"][0]["code"] for o in outcomes]
        assert codes == ["INVALID_CREDENTIALS", "INVALID_CREDENTIALS", "TOO_MANY_ATTEMPTS"]
        # Even the right password waits: the limit is per address, before any password check.
        right = c.post("/graphql", json={"query": LOGIN, "variables": {"u": "alice", "p": "correct horse battery"}})
        assert right.json()["data"]["login"]["token"] is None


def test_cors_only_for_configured_partner_origins(app_settings: Settings) -> None:
    settings = app_settings.model_copy(update={"cors_origins": ["https://school.example"]})
    with TestClient(create_app(settings)) as c:
        ok = c.options(
            "/graphql",
            headers={
                "origin": "https://school.example",
                "access-control-request-method": "POST",
                "access-control-request-headers": "authorization,content-type",
            },
        )
        assert ok.headers["access-control-allow-origin"] == "https://school.example"
        other = c.options(
            "/graphql", headers={"origin": "https://evil.example", "access-control-request-method": "POST"}
        )
        assert "access-control-allow-origin" not in other.headers
    with TestClient(create_app(app_settings)) as c:
        none = c.options(
            "/graphql", headers={"origin": "https://school.example", "access-control-request-method": "POST"}
        )
        assert "access-control-allow-origin" not in none.headers


def test_json_log_lines_carry_the_request_id() -> None:
    token = request_id.set("rid-42")
    try:
        record = logging.LogRecord("lightbox.access", logging.INFO, __file__, 1, "request", None, None)
        record.status = 200
        line = json.loads(JsonFormatter().format(record))
    finally:
        request_id.reset(token)
    assert line["request_id"] == "rid-42" and line["status"] == 200 and line["level"] == "info"


def test_readyz_answers_for_the_database_and_the_catalog(app_settings: Settings) -> None:
    with TestClient(create_app(app_settings)) as c:
        ready = c.get("/readyz")
        assert ready.status_code == 200 and ready.json() == {
            "status": "ready",
            "checks": {"database": True, "catalog": True},
        }
        # The catalog taken away under a running app: not ready, and healthz still says the process is up.
        if app_settings.is_postgres:
            with c.app.state.runtime.engine.begin() as conn:  # type: ignore[attr-defined]
                conn.execute(sa.text(f"ALTER TABLE {CATALOG_TABLE} RENAME TO {CATALOG_TABLE}_away"))
        else:
            c.app.state.catalog.close()  # type: ignore[attr-defined]
            shutil.rmtree(app_settings.index_dir)
        try:
            r = c.get("/readyz")
            assert r.status_code == 503 and r.json()["checks"] == {"database": True, "catalog": False}
            assert c.get("/healthz").status_code == 200
        finally:
            if app_settings.is_postgres:
                with c.app.state.runtime.engine.begin() as conn:  # type: ignore[attr-defined]
                    conn.execute(sa.text(f"ALTER TABLE {CATALOG_TABLE}_away RENAME TO {CATALOG_TABLE}"))
