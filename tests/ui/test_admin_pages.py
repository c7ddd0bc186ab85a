"""Administration in a real browser: people and roles, cohorts, local roles and API tokens, through the UI."""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import Locator, expect

SIGN_IN = 'mutation($p: String!) { login(input: {username: "newtrainee", password: $p}) { token errors { code } } }'


def choose(select: Locator, text: str) -> None:
    """Select the option whose label starts with `text` (labels carry details after it)."""
    value = select.locator("option", has_text=re.compile("^" + re.escape(text))).first.get_attribute("value")
    assert value, text
    select.select_option(value)


def test_administrator_manages_people_cohorts_local_roles_and_tokens(open_ui, live_ui) -> None:
    ui = open_ui()
    page = ui.login("admin")
    page.once("dialog", lambda dialog: dialog.accept())  # the token revocation asks to confirm
    ui.go("/ui/admin")

    # A new person, with a password generated and shown once.
    people = page.locator("section", has=page.get_by_role("heading", name="People and roles"))
    people.get_by_label("Username").fill("newtrainee")
    people.get_by_label("Display name").fill("Dr N. Trainee")
    people.get_by_role("button", name="Add person").click()
    generated = people.locator("code.secret")
    expect(generated).to_be_visible()
    password = generated.inner_text().strip()
    assert len(password) >= 12
    expect(people.get_by_role("cell", name="newtrainee", exact=True)).to_be_visible()
    signed_in = live_ui.gql(SIGN_IN, {"p": password})
    assert signed_in["data"]["login"]["token"]

    # Roles changed and the person deactivated: they can no longer sign in.
    people.get_by_role("button", name="Edit newtrainee").click()
    editing = people.locator("form.edit-user")
    editing.get_by_role("checkbox", name="validator").check()
    editing.get_by_label("Active (may sign in)").uncheck()
    people.get_by_role("button", name="Save newtrainee").click()
    expect(people.get_by_role("cell", name="newtrainee", exact=True)).to_have_count(0)  # hidden once deactivated
    people.get_by_label("Include deactivated").check()
    people.get_by_role("button", name="Find people").click()
    row = people.locator("tr", has=page.get_by_role("cell", name="newtrainee", exact=True))
    expect(row).to_contain_text(re.compile(r"validator, trainee|trainee, validator"))
    expect(row).to_contain_text("Deactivated")
    refused = live_ui.gql(SIGN_IN, {"p": password})
    assert not (refused.get("data") or {}).get("login", {}).get("token")

    # An administrator cannot lock themselves out.
    people.get_by_role("button", name="Edit admin").click()
    own = people.locator("form.edit-user")
    own.get_by_role("checkbox", name="trainer").check()
    own.get_by_role("checkbox", name="administrator").uncheck()
    people.get_by_role("button", name="Save admin").click()
    expect(own.locator(".error-box")).to_contain_text("your own administrator role")
    own.get_by_role("checkbox", name="administrator").check()
    own.get_by_label("Active (may sign in)").uncheck()
    people.get_by_role("button", name="Save admin").click()
    expect(own.locator(".error-box")).to_contain_text("deactivate yourself")
    me = live_ui.gql("{ me { roles } }", token=live_ui.token("admin"))
    assert me["data"]["me"]["roles"] == ["administrator"], me

    # A cohort, and the seeded trainee added to it.
    cohorts = page.locator("section", has=page.get_by_role("heading", name="Cohorts"))
    cohorts.get_by_label("New cohort").fill("ST4 2027")
    cohorts.get_by_role("button", name="Create cohort").click()
    cohort = cohorts.locator(".cohort", has=page.get_by_role("heading", name=re.compile("ST4 2027")))
    expect(cohort).to_be_visible()
    choose(cohort.get_by_label("Add to ST4 2027"), "trainee (trainee")
    cohort.get_by_role("button", name="Add member").click()
    expect(cohort.get_by_role("button", name="Remove trainee from ST4 2027")).to_be_visible()

    # A local role on a collection, then revoked.
    roles = page.locator("section", has=page.get_by_role("heading", name="Local roles"))
    roles.get_by_label("Collection").select_option(label="/leeds-teaching")
    roles.get_by_label("Role").select_option("validator")
    choose(roles.get_by_label("To"), "trainer (trainer)")
    roles.get_by_role("button", name="Grant role here").click()
    revoke = roles.get_by_role("button", name="Revoke validator from trainer (trainer)")
    expect(revoke).to_be_visible()
    ui.shot("16-admin-people-cohorts-roles")
    revoke.click()
    expect(revoke).to_have_count(0)

    # An API token, shown once, which works until it is revoked.
    tokens = page.locator("section", has=page.get_by_role("heading", name="API tokens"))
    tokens.get_by_label("Name").fill("Hull viewer")
    tokens.get_by_role("button", name="Create token").click()
    secret = tokens.locator("code.secret")
    expect(secret).to_be_visible()
    token = secret.inner_text().strip()
    me = httpx.post(
        f"{live_ui.url}/graphql",
        json={"query": "{ collections { path } }"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    ).json()
    assert me["data"]["collections"], me
    ui.shot("17-admin-api-tokens")
    tokens.get_by_role("button", name="Revoke token Hull viewer").click()
    expect(tokens.get_by_role("button", name="Revoke token Hull viewer")).to_have_count(0)
    after = httpx.post(
        f"{live_ui.url}/graphql",
        json={"query": "{ collections { path } }"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert after.status_code == 401 or after.json().get("errors"), after.text
    assert not ui.errors, ui.errors


def test_trainer_sees_cohorts_but_not_people_or_tokens(open_ui, live_ui) -> None:
    ui = open_ui()
    page = ui.login("trainer")
    ui.go("/ui/admin")
    cohorts = page.locator("section", has=page.get_by_role("heading", name="Cohorts"))
    expect(cohorts.get_by_role("heading", name=re.compile("ST3 2026"))).to_be_visible()
    expect(page.get_by_role("heading", name="People and roles")).to_have_count(0)
    expect(page.get_by_role("heading", name="API tokens")).to_have_count(0)
    assert not ui.errors, ui.errors
