"""Self-study in a real browser (docs/contract/learning.graphql): pick a topic, answer, reveal, rate, move
the server's clock, see the card due again; progress with its retention chart; a trainer's cohort view."""

from __future__ import annotations

import re
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from content.base import utcnow

NOTES = Path("/work/wt/notes")


def _images_shown_for_the_imaged_case(page) -> None:  # type: ignore[no-untyped-def]
    """The seeded CT (IMAGED) opens in the stack viewer on its card; the other stroke case has none."""
    if "left mca" in page.locator(".clinical-history").inner_text().lower():
        expect(page.locator(".series-strip button")).to_have_count(1)
        expect(page.locator(".stage img.stack-image")).to_have_attribute("src", re.compile("/media/instances/"))
    else:
        expect(page.get_by_text("No images yet.")).to_be_visible()


@pytest.mark.images
def test_study_a_topic_rate_and_see_the_card_due_again(open_ui, live_ui) -> None:  # type: ignore[no-untyped-def]
    ui = open_ui()
    page = ui.login("trainee")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Self-study").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Self-study")
    page.get_by_label("Topic", exact=True).select_option("NEURO.STROKE")
    page.get_by_role("button", name="Study this topic").click()
    counts = page.locator("#study-counts")
    expect(counts).to_have_text("Stroke (NEURO.STROKE): 0 due, 2 new")
    assert "node=NEURO.STROKE" in page.url
    expect(page.locator(".clinical-history")).to_contain_text("History for")
    main = page.locator("main")
    # Blind until an answer is committed (the seeded history repeats the title, so the title is no needle).
    for answer_text in ("Acute left MCA territory infarct", "Lobar haemorrhage", "Findings of", "Teaching point of"):
        expect(main).not_to_contain_text(answer_text)

    # A blank answer is refused by the server; nothing opens.
    page.get_by_label("Answer", exact=True).fill("   ")
    page.get_by_role("button", name="Reveal the answer").click()
    expect(page.get_by_role("alert")).to_contain_text("commit an answer before the model answer opens")
    expect(page.locator(".model-answer")).to_have_count(0)

    first_history = page.locator(".clinical-history").inner_text()
    _images_shown_for_the_imaged_case(page)
    page.get_by_label("Answer", exact=True).fill("A stroke of some kind")
    page.get_by_role("button", name="Reveal the answer").click()
    expect(page.locator(".model-answer")).to_be_visible()
    expect(page.locator(".model-answer")).to_contain_text(
        re.compile("Acute left MCA territory infarct|Lobar haemorrhage")
    )
    ui.shot("30-study-revealed")
    page.get_by_role("button", name="Good", exact=True).click()
    expect(page.locator(".study-due")).to_contain_text("Due again")
    expect(page.locator(".study-due")).to_contain_text("minutes")  # FSRS's 10-minute learning step

    page.get_by_role("button", name="Next card").click()
    expect(counts).to_have_text("Stroke (NEURO.STROKE): 0 due, 1 new")
    assert page.locator(".clinical-history").inner_text() != first_history
    _images_shown_for_the_imaged_case(page)
    page.get_by_label("Answer", exact=True).fill("Haemorrhage or infarct")
    page.get_by_role("button", name="Reveal the answer").click()
    expect(page.locator(".model-answer")).to_be_visible()
    page.keyboard.press("4")  # the keys rate too: 4 is easy
    expect(page.locator(".study-due")).to_contain_text("Rated easy")
    expect(page.locator(".study-due")).to_contain_text("days")
    page.get_by_role("button", name="Next card").click()
    expect(counts).to_have_text("Stroke (NEURO.STROKE): 0 due, 0 new")
    expect(page.get_by_role("status").filter(has_text="Nothing to study here now")).to_be_visible()

    # Move the server's clock past the first card's interval: it is due again.
    live_ui.app.state.clock = lambda: utcnow() + timedelta(minutes=11)
    page.reload()
    expect(counts).to_have_text("Stroke (NEURO.STROKE): 1 due, 0 new")
    expect(page.locator(".clinical-history")).to_have_text(first_history)
    expect(page.locator(".room-side .meta")).to_contain_text("Review 2")
    page.get_by_label("Answer", exact=True).fill("Left MCA infarct")
    page.get_by_role("button", name="Reveal the answer").click()
    page.get_by_role("button", name="Good", exact=True).click()
    expect(page.locator(".study-due")).to_contain_text("days")  # graduated: the interval grew

    # My gaps: the chest film (a plain film) needs the normal/abnormal call too.
    page.goto(f"{live_ui.url}/ui/study?node=gaps")
    expect(counts).to_contain_text("My gaps")
    page.get_by_label("Answer", exact=True).fill("Pneumothorax")
    page.get_by_role("button", name="Reveal the answer").click()
    expect(page.get_by_role("alert")).to_contain_text("normal or abnormal")
    page.get_by_label("Abnormal", exact=True).check()
    page.get_by_role("button", name="Reveal the answer").click()
    expect(page.locator(".model-answer")).to_contain_text("Right pneumothorax")
    page.get_by_role("button", name="Again").click()
    expect(page.locator(".study-due")).to_contain_text("minute")

    # Progress: due, learnt, retention per system as a chart.
    page.goto(f"{live_ui.url}/ui/study/progress")
    expect(page.locator("#mine-learned")).to_have_text("2 of 3 studied")
    expect(page.locator("#mine-retention")).to_have_text("75%")  # 3 of 4 ratings recalled
    chart = page.locator("svg.bars").first
    expect(chart).to_be_visible()
    expect(chart).to_have_attribute("aria-label", "My retention per curriculum system")
    shot = ui.shot("31-study-retention-chart")
    if NOTES.is_dir():
        shutil.copy(shot, NOTES / f"h18learn-retention-chart-{live_ui.backend}.png")
    assert ui.errors == [], ui.errors

    # A trainer of the cohort sees counts and retention, no answer until the trainee shares.
    trainer = open_ui()
    tpage = trainer.login("trainer")
    tpage.goto(f"{live_ui.url}/ui/study/progress")
    cohort = tpage.locator("section", has=tpage.get_by_role("heading", name=re.compile("Cohort ST3 2026: self-study")))
    expect(cohort).to_contain_text("75%")
    expect(cohort).to_contain_text("No trainee of this cohort shares their answers.")
    expect(cohort).not_to_contain_text("A stroke of some kind")
    page.get_by_label("Share my self-study answers with my cohorts' trainers").check()
    expect(page.locator("#status")).to_contain_text("shared")
    tpage.reload()
    expect(cohort.locator(".shared-answers")).to_contain_text("A stroke of some kind")
    trainer.shot("32-study-cohort-shared")
    assert trainer.errors == [], trainer.errors
