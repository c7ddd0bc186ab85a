"""Sessions in a real browser: changing your own password, an administrator's reset and the forced change
that follows it, and signing out ending the session on the server."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.ui.conftest import PASSWORD

NEW = "a fresher passphrase, longer"
SIGN_IN = "mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) { token errors { code } } }"
ME = "{ me { username roles } }"


def _code(answer: dict) -> str | None:
    errors = answer.get("errors") or []
    return errors[0]["extensions"]["code"] if errors else None


def _bearer(page: Page) -> str:
    token: str = page.evaluate("sessionStorage.getItem('lightbox.token')")
    assert token
    return token


def test_change_your_own_password_then_sign_out(open_ui, live_ui) -> None:
    ui = open_ui()
    page = ui.login("trainee")
    elsewhere = live_ui.token("trainee")  # another session of the same person
    page.get_by_role("link", name="Change password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change your password")
    form = page.locator("form")
    form.get_by_label("Current password").fill("not my password at all")
    form.get_by_label("New password", exact=True).fill(NEW)
    form.get_by_label("New password again").fill(NEW)
    form.get_by_role("button", name="Change password").click()
    expect(form.get_by_role("alert")).to_contain_text("The current password is not right.")
    form.get_by_label("Current password").fill(PASSWORD)
    for weak, said in (("1qaz2wsx3edc", "most common"), ("short one", "at least 12 characters")):
        form.get_by_label("New password", exact=True).fill(weak)
        form.get_by_label("New password again").fill(weak)
        form.get_by_role("button", name="Change password").click()
        expect(form.get_by_role("alert")).to_contain_text(said)
    form.get_by_label("New password", exact=True).fill(NEW)
    form.get_by_label("New password again").fill(NEW)
    form.get_by_role("button", name="Change password").click()
    expect(page.locator(".notice[role=status]")).to_contain_text("Every other session of yours has ended")
    ui.shot("password-changed")
    assert _code(live_ui.gql(ME, token=elsewhere)) == "UNAUTHENTICATED"
    current = _bearer(page)
    assert live_ui.gql(ME, token=current)["data"]["me"]["username"] == "trainee"  # this tab carries on
    page.get_by_role("link", name="Home").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    assert live_ui.gql(SIGN_IN, {"u": "trainee", "p": NEW})["data"]["login"]["errors"] == []

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sign in")
    assert _code(live_ui.gql(ME, token=current)) == "UNAUTHENTICATED"  # the server ended it, not only the tab
    assert ui.errors == []


def test_administrator_resets_a_password_and_the_person_must_choose_a_new_one(open_ui, live_ui) -> None:
    old = live_ui.token("trainer")
    admin = open_ui()
    page = admin.login("admin")
    page.once("dialog", lambda dialog: dialog.accept())  # the reset asks to confirm
    admin.go("/ui/admin")
    people = page.locator("section", has=page.get_by_role("heading", name="People and roles"))
    people.get_by_role("button", name="Edit trainer").click()
    people.get_by_role("button", name="Reset trainer's password").click()
    shown = people.locator("code.secret")
    expect(shown).to_be_visible()
    temporary = shown.inner_text().strip()
    assert len(temporary) >= 16
    admin.shot("password-reset")
    assert _code(live_ui.gql(ME, token=old)) == "UNAUTHENTICATED"

    person = open_ui()
    login = person.go("/ui/login")
    login.get_by_label("Username").fill("trainer")
    login.get_by_label("Password").fill(temporary)
    login.get_by_role("button", name="Sign in").click()
    expect(login.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    expect(login.get_by_role("navigation").get_by_role("link", name="Worklists")).to_have_count(0)  # no role yet
    person.go("/ui/worklists")  # anywhere else: the server answers PASSWORD_CHANGE_REQUIRED, the UI comes back
    expect(login.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    person.errors.clear()  # the refused requests are logged by the browser as failed loads
    form = login.locator("form")
    form.get_by_label("One-time password").fill(temporary)
    form.get_by_label("New password", exact=True).fill(NEW)
    form.get_by_label("New password again").fill(NEW)
    form.get_by_role("button", name="Change password").click()
    expect(login.get_by_role("heading", level=1)).to_contain_text("worklist")  # back where they were going
    person.go("/ui/")
    expect(login.get_by_role("heading", level=1)).to_contain_text("Welcome")
    expect(login.get_by_role("navigation").get_by_role("link", name="Worklists")).to_be_visible()
    assert live_ui.gql(ME, token=_bearer(login))["data"]["me"]["roles"] == ["trainer"]
    again = live_ui.gql(SIGN_IN, {"u": "trainer", "p": temporary})["data"]["login"]
    assert again["token"] is None and again["errors"] == [{"code": "INVALID_CREDENTIALS"}]
    assert admin.errors == [] and person.errors == []
