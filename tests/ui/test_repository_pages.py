"""The pages whose API exists today, in a real browser: search by curriculum, review, a version conflict."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from importers.synth import SynthStudy, synth_ct_series, write_series
from schema.core.ids import to_global_id
from tests.ui.conftest import IMAGED, PASSWORD, SLICES

CASE_STATE = "query($id: ID!) { node(id: $id) { ... on Case { state version diagnosis findings } } }"


@pytest.mark.images
def test_trainer_finds_cases_by_curriculum_code(open_ui, live_ui) -> None:
    ui = open_ui()
    page = ui.login("trainer")
    ui.shot("01-home-trainer")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Search", exact=True).click()
    box = page.get_by_role("combobox", name="Search cases")
    box.fill("hyperdense")
    box.press("Enter")
    expect(page.locator("#result-summary")).to_contain_text("1 case")
    expect(page.locator(".highlights mark").first).to_have_text(re.compile("hyperdense", re.I))  # highlights
    box.fill("NEURO.STR")
    expect(page.get_by_role("option", name=re.compile("NEURO.STROKE$"))).to_be_visible()  # suggestions
    box.fill("NEURO.STROKE")
    box.press("Enter")
    expect(page.get_by_role("button", name=re.compile(r"Remove filter NEURO\.STROKE"))).to_be_visible()
    expect(page.locator("#result-summary")).to_contain_text("2 cases")
    expect(page.locator(".result h3 a")).to_have_count(2)
    assert set(page.locator(".result h3 a").all_inner_texts()) == {
        "Left MCA infarct with a hyperdense artery",
        "Lobar intracerebral haemorrhage",
    }
    expect(page.locator(".facet legend").first).to_be_visible()  # facets with counts
    ui.shot("02-search-curriculum-code")

    # The tree browser: Chest > Pleura, then narrow by the state facet.
    page.get_by_role("button", name=re.compile(r"Remove filter NEURO\.STROKE")).click()
    expect(page.locator("#result-summary")).to_contain_text("5 cases")
    page.get_by_role("button", name="Show topics under Chest").click()
    page.locator('.tree button.node[data-code="CHEST.PLEURA"]').click()
    expect(page.locator("#result-summary")).to_contain_text("3 cases")  # a trainer also sees drafts and submitted
    page.get_by_role("checkbox", name=re.compile("^Validated")).check()
    expect(page.locator("#result-summary")).to_contain_text("1 case")
    expect(page).to_have_url(re.compile(r"cur=CHEST\.PLEURA.*state=VALIDATED|state=VALIDATED.*cur=CHEST\.PLEURA"))

    page.get_by_role("link", name="Right apical pneumothorax").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Right apical pneumothorax")
    expect(page.locator(".fields")).to_contain_text("Right pneumothorax")
    expect(page.get_by_role("button", name="Retire")).to_be_visible()  # the trainer's transition
    page.get_by_role("radio", name="Compare from version 1").check()
    page.get_by_role("button", name="Compare selected versions").click()
    expect(page.locator(".diff-out")).to_contain_text(re.compile("same content|Changes from Version 1"))
    ui.shot("03-case-page")

    # The imaged case (validated, so /dicomweb serves it): the DICOM viewer, scrolled by wheel and keys,
    # window presets on the number keys, a cine (the server-rendered viewer: tests/ui/test_viewer.py).
    ui.go(f"/ui/cases/{to_global_id('Case', live_ui.data.cases[IMAGED])}")
    status = page.locator(".dv-status")
    expect(status).to_contain_text(f"image 1 / {SLICES}", timeout=20_000)
    viewport = page.locator(".dv-viewport").first
    viewport.hover()
    page.mouse.wheel(0, 120)
    expect(status).to_contain_text(f"image 2 / {SLICES}")
    viewport.focus()
    page.keyboard.press("End")
    expect(status).to_contain_text(f"image {SLICES} / {SLICES}")
    page.keyboard.press("5")
    expect(status).to_contain_text("W 80 L 40")  # the brain window
    page.get_by_role("button", name="Cine").click()
    expect(page.get_by_role("button", name="Cine")).to_have_attribute("aria-pressed", "true")
    page.get_by_role("button", name="Cine").click()
    expect(page.get_by_role("button", name="Cine")).to_have_attribute("aria-pressed", "false")
    ui.shot("03b-case-viewer")
    ui.go("/ui/progress")
    expect(page.locator("svg.heatmap").first).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Gap list"))).to_be_visible()
    ui.shot("04-progress-archive")
    ui.go("/ui/admin")
    expect(page.get_by_role("cell", name="Leeds Teaching")).to_be_visible()
    ui.shot("05-admin")
    assert not ui.errors, ui.errors


def test_validator_validates_a_submitted_case(open_ui, live_ui) -> None:
    ui = open_ui()
    page = ui.go("/ui/review")  # signed out: sent to sign in, then back here
    expect(page).to_have_url(re.compile(r"/ui/login\?next=%2Fui%2Freview"))
    page.get_by_label("Username").fill("validator")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("The username or password is not right.")
    ui.shot("00-sign-in-error")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review queue")
    ui.go("/ui/")
    ui.shot("06-home-validator")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Review queue").click()
    item = page.locator(".review-item", has_text="Subtle left pneumothorax")
    expect(item).to_be_visible()
    ui.shot("07-review-queue")
    item.get_by_role("button", name="Request changes").click()
    expect(item.get_by_role("alert")).to_contain_text("Say what needs to change")  # the comment is required
    item.get_by_label("Comment").fill("Clear teaching case; validated.")
    item.get_by_role("button", name="Validate").click()
    expect(page.get_by_text("Nothing is waiting for review.")).to_be_visible()
    case_id = to_global_id("Case", live_ui.data.cases["Subtle left pneumothorax"])
    node = live_ui.gql(CASE_STATE, {"id": case_id}, token=live_ui.token("validator"))["data"]["node"]
    assert node["state"] == "VALIDATED"
    ui.go(f"/ui/cases/{case_id}")
    expect(page.locator(".case-head .badge")).to_have_text("Validated")
    expect(page.locator(".comments")).to_contain_text("Clear teaching case; validated.")
    assert not ui.errors, ui.errors


def test_editor_meets_a_version_conflict_and_merges(open_ui, live_ui, tmp_path: Path) -> None:
    case_id = to_global_id("Case", live_ui.data.cases["Draft chest film"])
    first, second = open_ui(), open_ui()
    first.login("trainer")
    new = second.login("admin")

    # A new case: collection, curriculum picked by searching, tags.
    new.get_by_role("navigation", name="Main").get_by_role("link", name="New case").click()
    new.get_by_label("Collection").select_option(label="Leeds Teaching (/leeds-teaching)")
    new.get_by_label("Title", exact=True).fill("Tension pneumothorax")
    picker = new.get_by_role("combobox", name="Find a curriculum code")
    picker.fill("pneumo")
    new.get_by_role("option", name=re.compile("Pneumothorax")).click()
    new.get_by_label("Tags").fill("tension, mediastinal shift")
    new.get_by_label("Tags").press("Enter")
    expect(new.get_by_role("button", name="Remove mediastinal shift")).to_be_visible()
    second.shot("07b-new-case")
    new.get_by_role("button", name="Create draft case").click()
    expect(new.get_by_role("heading", level=1)).to_have_text("Tension pneumothorax")
    expect(new.locator(".fields")).to_contain_text("CHEST.PLEURA.PNEUMOTHORAX")
    expect(new.locator(".fields .tags li")).to_have_count(2)
    a, b = first.go(f"/ui/cases/{case_id}/edit"), second.go(f"/ui/cases/{case_id}/edit")
    for page in (a, b):
        expect(page.get_by_label("Diagnosis", exact=True)).to_have_value("Normal chest")
    first.shot("08-edit-case")

    a.get_by_label("Diagnosis", exact=True).fill("Normal chest radiograph")
    a.get_by_role("button", name="Save changes").click()
    expect(a.get_by_role("heading", level=1)).to_have_text("Draft chest film")

    b.get_by_label("Diagnosis", exact=True).fill("Small left apical pneumothorax")
    b.get_by_label("Findings", exact=True).fill("Visible pleural line at the left apex.")
    b.get_by_role("button", name="Save changes").click()
    expect(b.get_by_text("VERSION_CONFLICT")).to_be_visible()
    merge = b.locator("section.merge")
    expect(merge.locator("tr.conflict")).to_have_count(1)
    expect(merge.locator('tr[data-field="diagnosis"] td.theirs')).to_have_text("Normal chest radiograph")
    expect(merge.locator('tr[data-field="findings"]')).to_contain_text("only you changed it")
    second.shot("09-version-conflict-merge")
    merge.get_by_role("radio", name="Keep yours").check()
    merge.get_by_role("button", name="Save merged version").click()
    expect(b.get_by_role("heading", level=1)).to_have_text("Draft chest film")
    node = live_ui.gql(CASE_STATE, {"id": case_id}, token=live_ui.token("admin"))["data"]["node"]
    assert node["diagnosis"] == "Small left apical pneumothorax"
    assert node["findings"] == "Visible pleural line at the left apex."
    assert node["version"] == 3
    expect(b.locator(".history tbody tr")).to_have_count(3)
    b.get_by_role("radio", name="Compare from version 1").check()
    b.get_by_role("button", name="Compare selected versions").click()
    diff = b.locator("table.diff")
    expect(diff.locator("tr", has_text="diagnosis").locator("td.before")).to_have_text("Normal chest")
    expect(diff.locator("tr", has_text="diagnosis").locator("td.after")).to_have_text("Small left apical pneumothorax")
    second.shot("09a-history-diff")

    # DICOM upload into the case, with progress and the import summary; then the new series shows.
    b.get_by_role("link", name="Add DICOM images").click()
    files = write_series(synth_ct_series(4, 32, study=SynthStudy(seed=7)), tmp_path / "upload")
    b.get_by_label("DICOM files or a zip").set_input_files([str(p) for p in files])
    b.get_by_role("button", name="Upload").click()
    expect(b.get_by_role("heading", name="Import summary")).to_be_visible()
    expect(b.get_by_label("Upload progress")).to_have_attribute("value", "100")
    expect(b.locator("main")).to_contain_text("4 files imported")
    second.shot("09b-upload-summary")
    b.get_by_role("link", name="Back to the case").click()
    expect(b.locator(".stack-status")).to_have_text("Image 1 / 4")
    assert not first.errors and not second.errors, first.errors + second.errors
