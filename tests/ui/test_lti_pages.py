"""LTI in a real browser, on both databases: an administrator registers a VLE platform on the
administration page, and a launch from the test platform lands in the UI signed in."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.lti_platform import LTI, Pending, running_platform


def test_administrator_registers_a_vle_platform(open_ui) -> None:  # type: ignore[no-untyped-def]
    ui = open_ui()
    page = ui.login("admin")
    ui.go("/ui/admin")
    section = page.locator("section", has=page.get_by_role("heading", name="VLE platforms (LTI 1.3)"))
    expect(section).to_contain_text("/lti/jwks")
    expect(section).to_contain_text("No platform is registered.")
    values = {
        "Name": "School Moodle",
        "Issuer": "https://moodle.school.example",
        "Client id": "lightbox-1",
        "Deployment id": "3",
        "OIDC authorisation URL": "https://moodle.school.example/mod/lti/auth.php",
        "Token URL": "https://moodle.school.example/mod/lti/token.php",
        "Public keys (JWKS) URL": "https://moodle.school.example/mod/lti/certs.php",
    }
    for label, value in values.items():
        section.get_by_label(label, exact=True).fill(value)
    section.get_by_role("button", name="Register platform").click()
    row = section.locator("tr", has=page.get_by_role("cell", name="School Moodle"))
    expect(row).to_contain_text("https://moodle.school.example")
    expect(row).to_contain_text("lightbox-1")
    for label, value in {**values, "Issuer": "https://moodle.school.example/../x y", "Name": "Broken"}.items():
        section.get_by_label(label, exact=True).fill(value)
    section.get_by_label("Issuer", exact=True).fill("mailto:someone@school.example")
    section.get_by_role("button", name="Register platform").click()
    expect(section.locator(".error-box")).to_contain_text("issuer: an http(s) URL")
    expect(section.get_by_role("cell", name="Broken")).to_have_count(0)
    ui.shot("lti-admin")
    assert ui.errors == []


def test_a_launch_lands_in_the_ui_signed_in(open_ui, live_ui) -> None:  # type: ignore[no-untyped-def]
    ui = open_ui()
    with running_platform(live_ui.url) as platform:
        platform.register(live_ui.app.state.sessions.scope)
        platform.pending["hint-1"] = Pending({f"{LTI}target_link_uri": f"{live_ui.url}/ui/search?q=stroke"})
        page = ui.page
        missing: list[str] = []
        page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
        page.goto(
            f"{live_ui.url}/lti/login?iss={platform.issuer}&login_hint=hint-1&client_id={platform.client_id}"
            f"&target_link_uri={live_ui.url}/lti/launch"
        )
        # The platform's page holds the id_token form; a real VLE submits it by script.
        page.locator("form").evaluate("form => form.submit()")
        page.wait_for_url(f"{live_ui.url}/ui/search?q=stroke")
        assert page.evaluate("JSON.parse(sessionStorage.getItem('lightbox.user')).username") == "ann.lee"
        assert any(c["name"] == "lightbox_session" for c in ui.context.cookies())
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        ui.shot("lti-launched")
    # Chromium asks the test platform (which has no icon) for /favicon.ico: that 404 is not ours.
    assert [u for u in missing if not u.startswith(platform.url)] == []
    assert len([e for e in ui.errors if "404" not in e]) == 0, ui.errors
