"""Quarantine review in a real browser: a trainer draws over burned-in text on a held ultrasound,
redacts it, releases a second image, and submits the case that the held images blocked."""

from __future__ import annotations

import shutil

import pydicom
from playwright.sync_api import expect
from sqlmodel import select

from content.audit import AuditEvent
from content.imaging.models import Instance
from content.users.models import User
from content.users.service import principal_for
from importers.pipeline import ImportTarget, deid_secret, import_paths
from media.store import ContentStore
from schema.core.ids import to_global_id
from tests.importers.conftest import _find

DRAFT = "Draft chest film"
TIMES = " \u00d7 "  # the multiplication sign the UI writes sizes with
LOADED = "(img) => img.complete && img.naturalWidth > 0"


def _import_ultrasounds(live_ui) -> None:
    """Two real ultrasound files into the trainer's draft case, through the import pipeline."""
    settings = live_ui.app.state.settings
    folder = settings.data_dir / "us"
    folder.mkdir(parents=True)
    for name in ("OBXXXX1A.dcm", "color-pl.dcm"):
        shutil.copy(_find(name), folder / name)
    with live_ui.app.state.sessions.scope() as session:
        trainer = principal_for(session.exec(select(User).where(User.username == "trainer")).one(), session=session)
        from content.cases.models import Case

        case = session.get(Case, live_ui.data.cases[DRAFT])
        summary = import_paths(
            sorted(folder.iterdir()),
            target=ImportTarget(case.collection_uid, case_uid=case.uid),
            session=session,
            principal=trainer,
            store=ContentStore(settings.media_dir),
            secret=deid_secret(live_ui.app.state.secret),
            workers=1,
        )
        assert summary.imported == 2 and sum(s.quarantined for s in summary.studies) == 2, summary.text()


def test_trainer_redacts_and_releases_held_ultrasound_then_submits(open_ui, live_ui) -> None:
    _import_ultrasounds(live_ui)
    learner = open_ui()
    other = learner.login("trainee")  # two images are held, none of them the trainee's to review
    expect(other.get_by_role("navigation", name="Main").get_by_role("link", name="Quarantine")).to_have_count(0)
    learner.go("/ui/quarantine")
    expect(other.locator(".summary")).to_have_text("No image is held.")
    assert not learner.errors, learner.errors

    ui = open_ui()
    page = ui.login("trainer")
    case_id = to_global_id("Case", live_ui.data.cases[DRAFT])
    # The queue of every held image the trainer may review, each with its case.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Quarantine").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Quarantine")
    expect(page.locator(".summary")).to_have_text("2 images held.")
    expect(page.locator(".q-item h2 a", has_text=DRAFT)).to_have_count(2)
    ui.shot("quarantine-queue")
    page.locator(".q-item h2 a").first.click()
    expect(page).to_have_url(f"{live_ui.url}/ui/cases/{case_id}")
    section = page.locator("section.quarantine")
    expect(section.get_by_role("heading", level=2)).to_have_text("Quarantine review: 2 images held")
    expect(page.locator("[data-transition=SUBMIT]")).to_have_count(0)  # held images block SUBMIT

    item = section.locator(".q-item", has_text=f"800{TIMES}600 pixels")
    image = item.locator(".q-canvas img")
    image.wait_for()
    page.wait_for_function(f"() => ({LOADED})(document.querySelector('.q-item[data-instance] .q-canvas img'))")
    assert image.evaluate("img => img.naturalWidth") == 800  # full size: one stored pixel per screen pixel
    expect(item.locator(".q-layer rect.proposed").first).to_be_visible()  # OCR's proposals, drawn
    proposals = item.locator(".q-layer rect.proposed").count()
    assert proposals >= 3
    expect(item.locator("[data-action=REDACT]")).to_have_text(f"Redact {proposals} regions in every frame")

    # The vendor's header band (date, time, study number): OCR reads it only partly, so draw over it.
    layer = item.locator(".q-layer")
    layer.scroll_into_view_if_needed()
    box = layer.bounding_box()
    assert box is not None and round(box["width"]) == 800
    page.mouse.move(box["x"] + 4, box["y"] + 2)
    page.mouse.down()
    page.mouse.move(box["x"] + 200, box["y"] + 30, steps=5)
    page.mouse.move(box["x"] + 396, box["y"] + 58, steps=5)
    page.mouse.up()
    expect(item.locator(".q-layer rect.drawn")).to_have_count(1)
    expect(item.locator(".q-regions li.drawn")).to_contain_text(f"Drawn: 4, 2 (392{TIMES}56)")
    ui.shot("quarantine-review-drawn")
    item.locator("[data-action=REDACT]").click()

    expect(section.get_by_role("heading", level=2)).to_have_text("Quarantine review: 1 image held")
    remaining = section.locator(".q-item")
    expect(remaining).to_have_count(1)
    expect(remaining).to_contain_text(f"256{TIMES}120 pixels")
    remaining.locator("[data-action=RELEASE]").click()
    expect(page.locator("section.quarantine")).to_have_count(0)

    page.locator("[data-transition=SUBMIT]").click()
    expect(page.locator(".case-head .badge")).to_have_text("Submitted")
    ui.shot("quarantine-reviewed-submitted")
    assert not ui.errors, ui.errors

    with live_ui.app.state.sessions.scope() as session:
        events = {e.action: e for e in session.exec(select(AuditEvent)) if e.action.startswith("instance.")}
        assert set(events) == {"instance.redact", "instance.release"}
        assert {"x": 4, "y": 2, "width": 392, "height": 56} in events["instance.redact"].detail["regions"]
        redacted = session.get(Instance, events["instance.redact"].detail["instance"])
        assert redacted is not None and not redacted.quarantined
        store = ContentStore(live_ui.app.state.settings.media_dir)
        pixels = pydicom.dcmread(store.path_for(redacted.file_key)).pixel_array
    band = pixels[2:58, 4:396]
    assert (band == band.flat[0]).all() and pixels[100:, 400:].std() > 0
