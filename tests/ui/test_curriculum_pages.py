"""Retired curriculum codes in a real browser: the picker no longer offers them, and the report retags the
cases that still carry one (a working copy, validated as usual)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from content.curriculum.service import load_tree
from content.principal import SYSTEM
from schema.core.ids import to_global_id

CASE = "query($id: ID!) { node(id: $id) { ... on Case { state version publishedVersion curriculum { code } } } }"
RETIRED_CASE = "Left MCA infarct with a hyperdense artery"  # seeded, validated, tagged NEURO.STROKE.ISCHAEMIC


def test_the_picker_hides_retired_codes_and_the_report_retags_them(open_ui, live_ui) -> None:
    with live_ui.app.state.sessions.scope() as session:
        load_tree([{"code": "NEURO.STROKE.INFARCT", "title": "Cerebral infarction"}], session=session, principal=SYSTEM)
        load_tree(
            [
                {
                    "code": "NEURO.STROKE.ISCHAEMIC",
                    "title": "Acute ischaemic stroke",
                    "deprecated": True,
                    "replaced_by": "NEURO.STROKE.INFARCT",
                }
            ],
            session=session,
            principal=SYSTEM,
        )
    ui = open_ui()
    page = ui.login("trainer")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="New case").click()
    picker = page.get_by_role("combobox", name="Find a curriculum code")
    picker.fill("ischaemic")
    expect(page.get_by_role("listbox")).to_be_hidden()  # the retired code is not offered
    picker.fill("infarction")
    expect(page.get_by_role("option", name=re.compile("Cerebral infarction"))).to_be_visible()
    page.get_by_text("Browse the curriculum tree").click()
    tree = page.get_by_role("list", name="Curriculum tree")
    tree.get_by_role("button", name="Show topics under Neuroradiology").click()
    tree.get_by_role("button", name="Show topics under Stroke").click()
    expect(tree.locator('button.node[data-code="NEURO.STROKE.INFARCT"]')).to_be_visible()
    expect(tree.locator('button.node[data-code="NEURO.STROKE.ISCHAEMIC"]')).to_have_count(0)
    ui.shot("30-picker-without-retired-codes")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Retired codes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Retired curriculum codes")
    expect(page.get_by_text("1 case still tagged with retired codes.")).to_be_visible()
    item = page.locator(".retired-item", has_text=RETIRED_CASE)
    expect(item).to_contain_text("NEURO.STROKE.ISCHAEMIC")
    expect(item).to_contain_text("→ NEURO.STROKE.INFARCT Cerebral infarction")
    ui.shot("31-retired-codes-report")
    item.get_by_role("button", name="Retag to the replacements").click()
    expect(item).to_contain_text("the validated version keeps the old codes until a validator approves")
    ui.shot("32-retagged-awaiting-validation")

    case_id = to_global_id("Case", live_ui.data.cases[RETIRED_CASE])
    seen_by_trainer = live_ui.gql(CASE, {"id": case_id}, token=live_ui.token("trainer"))["data"]["node"]
    assert seen_by_trainer["state"] == "DRAFT" and seen_by_trainer["curriculum"] == [{"code": "NEURO.STROKE.INFARCT"}]
    seen_by_trainee = live_ui.gql(CASE, {"id": case_id}, token=live_ui.token("trainee"))["data"]["node"]
    assert seen_by_trainee["curriculum"] == [{"code": "NEURO.STROKE.ISCHAEMIC"}]
    assert seen_by_trainee["version"] == seen_by_trainer["publishedVersion"]
    assert not ui.errors, ui.errors
