"""Worklists, the reporting room and progress in a real browser (contract/worklists.graphql).

These pass once the worklist API (createWorklist, assignWorklist, myAssignments, submitReport,
progress) is in the schema; until then the pages say the server does not offer them and these fail.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from schema.core.ids import to_global_id
from tests.ui.conftest import SLICES

CREATE = """mutation($input: CreateWorklistInput!) { createWorklist(input: $input) {
  worklist { id } errors { code message } } }"""
ASSIGN = """mutation($input: AssignWorklistInput!) { assignWorklist(input: $input) {
  assignments { id } errors { code message } } }"""
MINE = "{ myAssignments { worklist { title } dueAt items { position case { id } } } }"


def test_trainer_builds_and_assigns_a_worklist(open_ui, live_ui) -> None:
    ui = open_ui()
    page = ui.login("trainer")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Worklists").click()
    finder = page.get_by_role("combobox", name="Find validated cases")
    finder.fill("NEURO.STROKE")
    finder.press("Enter")
    page.get_by_role("button", name="Add all 2 to the worklist").click()
    items = page.locator(".worklist-items li[data-id]")
    expect(items).to_have_count(2)
    first = items.nth(0).locator(".item-title").inner_text()
    items.nth(0).get_by_role("button", name=f"Move {first} down").click()
    expect(items.nth(1).locator(".item-title")).to_have_text(first)  # reordered
    page.get_by_label("Title", exact=True).fill("Stroke week")
    page.get_by_role("button", name="Create worklist").click()
    expect(page.get_by_text("Created “Stroke week” with 2 cases.")).to_be_visible()
    page.get_by_label("Cohort").select_option(label="ST3 2026")
    page.get_by_label("Due").fill("2030-01-31T17:00")
    page.get_by_role("button", name="Assign", exact=True).click()
    expect(page.get_by_text(re.compile(r"Assigned to 1 trainee: trainee"))).to_be_visible()
    ui.shot("10-worklist-built-and-assigned")

    # The worklist's own page: reorder again and save.
    page.get_by_role("link", name="Open the worklist").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Stroke week")
    order = page.locator(".worklist-items li")
    top = order.nth(0).locator(".item-title").inner_text()
    order.nth(0).get_by_role("button", name=f"Move {top} down").click()
    page.get_by_role("button", name="Save order").click()
    expect(page.locator(".meta").first).to_contain_text("version 2")
    expect(order.nth(1).locator(".item-title")).to_have_text(top)
    ui.shot("10a-worklist-page")
    worklist_id = page.url.rsplit("/", 1)[1]
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Progress").click()
    expect(page.get_by_role("heading", name="Cohort ST3 2026: 0 of 2 reported")).to_be_visible()
    expect(page.locator("svg.bars")).to_be_visible()
    ui.shot("10b-progress-cohort")

    mine = live_ui.gql(MINE, token=live_ui.token("trainee"))["data"]["myAssignments"]
    assert [a["worklist"]["title"] for a in mine] == ["Stroke week"] and mine[0]["dueAt"]
    second = to_global_id("Case", live_ui.data.cases[first])
    assert [i["case"]["id"] for i in sorted(mine[0]["items"], key=lambda i: i["position"])][1] == second
    saved = live_ui.gql(
        "query($id: ID!) { worklist(id: $id) { cases { case { id } } } }",
        {"id": worklist_id},
        token=live_ui.token("trainer"),
    )["data"]["worklist"]
    assert saved["cases"][1]["case"]["id"] == to_global_id("Case", live_ui.data.cases[top])
    assert not ui.errors, ui.errors


@pytest.mark.images
def test_trainee_reports_blind_and_sees_the_model_answer(open_ui, live_ui) -> None:
    trainer = live_ui.token("trainer")
    cohort = to_global_id("Cohort", live_ui.data.cohort)
    worklists = {}
    for title, mode, case in (
        ("Neuro long case", "LONG_CASE", "Left MCA infarct with a hyperdense artery"),
        ("Chest rapid reporting", "RAPID_REPORTING", "Right apical pneumothorax"),
    ):
        cases = [to_global_id("Case", live_ui.data.cases[case])]
        made = live_ui.gql(CREATE, {"input": {"title": title, "mode": mode, "cases": cases}}, token=trainer)
        worklist = worklists[title] = made["data"]["createWorklist"]["worklist"]["id"]
        live_ui.gql(ASSIGN, {"input": {"worklist": worklist, "cohort": cohort}}, token=trainer)

    ui = open_ui()
    page = ui.login("trainee")
    ui.shot("10c-home-trainee")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reporting room").click()
    expect(page.locator(".assignment")).to_have_count(2)
    ui.shot("11-my-assignments")
    page.locator(".assignment", has_text="Neuro long case").get_by_role("link", name="Start reporting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Neuro long case: case 1 of 1")
    expect(page.locator(".clinical-history")).to_have_text("History for left mca infarct with a hyperdense artery.")
    # the images (the DICOM viewer over /dicomweb), without the answer
    expect(page.locator(".dv-status")).to_contain_text(f"image 1 / {SLICES}", timeout=20_000)
    shown = page.locator("main").inner_text()
    assert "Left MCA infarct" not in shown and "Acute left MCA territory infarct" not in shown  # blind
    page.get_by_label("Observations").fill("Hyperdense left MCA; loss of the insular ribbon.")
    page.get_by_label("Principal diagnosis").fill("Left MCA territory infarct")
    ui.shot("12-reporting-room")
    page.get_by_role("button", name="Submit report").click()
    expect(page.locator(".model-answer")).to_contain_text("Acute left MCA territory infarct")
    expect(page.locator(".answer-grid")).to_contain_text("Left MCA territory infarct")  # the report beside it
    ui.shot("13-model-answer")

    # Rapid reporting: a timer and keyboard shortcuts.
    ui.go("/ui/reporting")
    rapid = page.locator(".assignment", has_text="Chest rapid reporting")
    rapid.get_by_role("link", name="Rapid-reporting mode").click()
    expect(page.get_by_role("timer")).to_be_visible()
    page.locator("main h1").focus()
    page.keyboard.press("a")
    expect(page.get_by_role("radio", name="Abnormal (A)")).to_be_checked()
    page.keyboard.type("Pneumothorax")
    ui.shot("14-rapid-reporting")
    page.keyboard.press("Control+Enter")
    expect(page.locator(".model-answer")).to_contain_text("Right pneumothorax")

    # The trainer marks the long-case report; the score reaches the trainee's progress.
    marker = open_ui()
    marker.login("trainer")
    marking = marker.go(f"/ui/worklists/{worklists['Neuro long case']}")
    marking.get_by_label("Score (1 to 8)").select_option("6")
    marking.get_by_label("Feedback").fill("Good search pattern; give the ASPECTS.")
    marking.get_by_role("button", name="Save mark").click()
    expect(marking.get_by_text("Marked 6/8: Good search pattern; give the ASPECTS.")).to_be_visible()
    marker.shot("14b-marking")

    ui.go("/ui/progress")
    expect(page.locator("#reported-count")).to_have_text("2 of 2 assigned")
    expect(page.get_by_text("6.0 / 8")).to_be_visible()
    expect(page.locator("svg.heatmap").first).to_be_visible()
    ui.shot("15-progress-trainee")
    assert not ui.errors, ui.errors


def test_a_timed_session_runs_on_the_server_clock_and_refuses_late_answers(open_ui, live_ui) -> None:
    from datetime import timedelta

    from content.worklists.models import Assignment as AssignmentRow
    from schema.core.ids import from_global_id

    trainer = live_ui.token("trainer")
    case = to_global_id("Case", live_ui.data.cases["Right apical pneumothorax"])
    made = live_ui.gql(
        CREATE,
        {
            "input": {
                "title": "Timed chest",
                "mode": "RAPID_REPORTING",
                "cases": [case],
                "timeLimitMinutes": 10,
                "lateAnswers": "REFUSE",
            }
        },
        token=trainer,
    )
    worklist = made["data"]["createWorklist"]["worklist"]["id"]
    out = live_ui.gql(
        ASSIGN,
        {"input": {"worklist": worklist, "trainees": [to_global_id("User", live_ui.data.users["trainee"])]}},
        token=trainer,
    )
    assignment = out["data"]["assignWorklist"]["assignments"][0]["id"]

    ui = open_ui()
    page = ui.login("trainee")
    ui.go(f"/ui/reporting/{assignment}")
    expect(page.get_by_role("timer")).to_have_text(re.compile(r"^(10:00|09:\d\d) left$"))
    started = live_ui.gql("{ myAssignments { startedAt deadline } }", token=live_ui.token("trainee"))
    assert started["data"]["myAssignments"][0]["deadline"] is not None  # the server's clock runs
    with live_ui.app.state.sessions.scope() as session:  # ten minutes pass, without waiting
        row = session.get(AssignmentRow, from_global_id(assignment, "Assignment")[1])
        row.started_at -= timedelta(minutes=11)
        session.add(row)
        session.commit()
    page.reload()
    expect(page.get_by_role("timer")).to_have_text("Time is up: answers are no longer accepted")
    page.get_by_role("radio", name="Normal (N)").check()
    page.get_by_role("button", name="Submit report").click()
    expect(page.get_by_role("alert")).to_contain_text("TIME_LIMIT_EXCEEDED")
    ui.shot("15-time-is-up")
    mine = live_ui.gql("{ myAssignments { completedCount } }", token=live_ui.token("trainee"))
    assert mine["data"]["myAssignments"][0]["completedCount"] == 0

    builder = open_ui()
    form = builder.login("trainer")
    builder.go("/ui/worklists")
    expect(form.get_by_label("Answers after the time limit")).to_have_value("FLAG")
    assert not ui.errors and not builder.errors, ui.errors + builder.errors
