"""GraphiQL in real Chromium: it runs from our own files under the strict CSP (no violation, nothing
from another origin), and a signed-in caller runs a query with their token."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.ui.conftest import LiveUI


def _csp_violations(errors: list[str]) -> list[str]:
    return [e for e in errors if "Content Security Policy" in e or "Refused to" in e]


def test_graphiql_runs_under_the_strict_policy(open_ui: Any, live_ui: LiveUI) -> None:
    ui = open_ui()
    requested: list[str] = []
    ui.page.on("request", lambda request: requested.append(request.url))
    page = ui.go("/graphql")
    expect(page.locator(".graphiql-container")).to_be_visible()
    assert _csp_violations(ui.errors) == []
    assert requested and all(url.startswith(live_ui.url) or url.startswith("data:") for url in requested), requested


def test_a_signed_in_caller_runs_a_query(open_ui: Any, live_ui: LiveUI) -> None:
    ui = open_ui()
    ui.context.set_extra_http_headers({"Authorization": f"Bearer {live_ui.token('trainer')}"})
    page = ui.go("/graphql")
    expect(page.locator(".graphiql-container")).to_be_visible()
    page.locator(".graphiql-execute-button").click()
    expect(page.locator(".graphiql-response")).to_contain_text('"username": "trainer"')
    assert _csp_violations(ui.errors) == []
    ui.shot("graphiql")
