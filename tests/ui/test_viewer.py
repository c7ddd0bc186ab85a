"""The DICOM viewer (admin_ui/viewer: Cornerstone3D over Lightbox's /dicomweb) in real Chromium.

Each test runs on SQLite and PostgreSQL (the `settings` fixture) against the live app; the viewer
reads WADO-RS series metadata and frames with the signed-in person's bearer token. Headless
Chromium's WebGL is SwiftShader (software), the case of issue 16's item 6.
"""

from __future__ import annotations

import io
import json
import math
import re
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pydicom
import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from content.cases.service import create_case
from content.cases.transitions import transition
from content.users.models import User
from content.users.service import principal_for
from schema.core.ids import to_global_id
from tests.media.reference import DATA
from tests.ui.conftest import CHROMIUM, IMAGED, SLICES, UI, LiveUI

pytestmark = pytest.mark.images  # the imaged case carries a synthetic CT series

CREATE = """mutation($input: CreateWorklistInput!) { createWorklist(input: $input) {
  worklist { id } errors { code message } } }"""
ASSIGN = """mutation($input: AssignWorklistInput!) { assignWorklist(input: $input) {
  assignments { id } errors { code message } } }"""
# Contract operations (docs/contract/viewer.graphql)
SAVE = """mutation($input: SaveAnnotationsInput!) { saveAnnotations(input: $input) {
  case { id version annotations { id kind frame points text } } errors { field message code } } }"""
CASE_MARKS = "query($id: ID!) { node(id: $id) { ... on Case { id version annotations { id kind text } } } }"


# Helpers ------------------------------------------------------------------------------


def _case_id(live: LiveUI, title: str) -> str:
    return to_global_id("Case", live.data.cases[title])


def _open_case(ui: UI, case_id: str) -> Page:
    page = ui.go(f"/ui/cases/{case_id}")
    expect(page.locator(".dv-status")).to_contain_text("image 1 /", timeout=20_000)
    # The API is there once the whole series' metadata is (the first image shows before).
    page.wait_for_function("() => document.querySelector('.dicom-host')?.lightboxViewer")
    return page


def _canvas(page: Page, index: int = 0) -> np.ndarray:
    """The pixels of viewport `index` as shown (a screenshot of its canvas), RGB."""
    shot = page.locator(".dv-viewport canvas").nth(index).screenshot()
    return np.asarray(Image.open(io.BytesIO(shot)).convert("RGB"))


def _api(page: Page, script: str, arg: Any = None) -> Any:
    """Run `script` (a function of the viewer's API and arg) in the page."""
    return page.locator(".dicom-host").evaluate(f"(host, arg) => ({script})(host.lightboxViewer, arg)", arg)


def _wait_frames(page: Page, seen: list[str], count: int) -> None:
    page.wait_for_function("() => true")  # let queued events land
    for _ in range(100):
        if len({u for u in seen if "/frames/" in u}) >= count:
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"{len(seen)} frames fetched, {count} expected")


def _import(live: LiveUI, title: str, datasets: Iterable[pydicom.Dataset], *, modality: str = "CT") -> str:
    """A validated case holding `datasets`, imported by the real pipeline; its global id."""
    from importers.pipeline import ImportTarget, deid_secret, import_paths
    from media.store import ContentStore

    app = live.app
    settings = app.state.settings
    folder = settings.data_dir / f"phantom-{len(live.data.cases)}"
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for n, ds in enumerate(datasets):
        path = folder / f"{n}.dcm"
        ds.save_as(path, enforce_file_format=True)
        files.append(path)
    with app.state.sessions.scope() as session:
        people = {u: principal_for(session.get(User, uid), session=session) for u, uid in live.data.users.items()}
        from content.cases.models import Case

        collection = session.get(Case, live.data.cases[IMAGED]).collection_uid
        fields = {
            "title": title,
            "diagnosis": f"Diagnosis of {title}",
            "curriculum_codes": ["CHEST.PLEURA"],
            "difficulty": "FOUNDATION",
            "clinical_history": "Phantom.",
            "findings": "Phantom findings.",
            "teaching_points": "Phantom teaching.",
            "modalities": [modality],
            "body_regions": ["CHEST"],
        }
        case = create_case(
            collection_uid=collection, fields=fields, comment="phantom", session=session, principal=people["trainer"]
        )
        summary = import_paths(
            files,
            target=ImportTarget(collection, case_uid=case.uid),
            session=session,
            principal=people["trainer"],
            store=ContentStore(settings.media_dir),
            secret=deid_secret(app.state.secret),
            workers=1,
        )
        assert summary.imported == len(files), summary.text()
        transition(case.uid, "SUBMIT", comment="phantom", session=session, principal=people["trainer"])
        transition(case.uid, "VALIDATE", comment="phantom", session=session, principal=people["validator"])
        live.data.cases[title] = case.uid
    return to_global_id("Case", case.uid)


def _ruler(rows: int, columns: int, spacing: tuple[float, float]) -> pydicom.Dataset:
    """One CT slice of rows x columns with the given PixelSpacing (row, column), a graded ramp."""
    from importers.synth import SynthStudy, synth_ct_series

    ds = next(iter(synth_ct_series(1, 64, study=SynthStudy(seed=1616))))  # its own UIDs: a new study
    ds.Rows, ds.Columns = rows, columns
    ds.PixelSpacing = [f"{spacing[0]:g}", f"{spacing[1]:g}"]
    ramp = (np.add.outer(np.arange(rows) * 3, np.arange(columns) * 2) % 400 + 900).astype("<i2")
    ds.PixelData = ramp.tobytes()
    ds.SeriesDescription = "RULER"
    return ds


def _drag(page: Page, start: tuple[float, float], end: tuple[float, float], index: int = 0) -> None:
    box = page.locator(".dv-viewport canvas").nth(index).bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + start[0], box["y"] + start[1])
    page.mouse.down()
    for k in range(1, 11):
        page.mouse.move(
            box["x"] + start[0] + (end[0] - start[0]) * k / 10, box["y"] + start[1] + (end[1] - start[1]) * k / 10
        )
    page.mouse.up()


def _route_of(url: str) -> str:
    """A /dicomweb URL as the route template it hit (UIDs replaced by their parameter names)."""
    path = url.split("://", 1)[1].split("/", 1)[1].split("?")[0]
    parts = ["", *path.split("/")]
    names = {"studies": "{study}", "series": "{series}", "instances": "{sop}", "frames": "{frames}"}
    return "/".join(names[parts[i - 1]] if i > 0 and parts[i - 1] in names else p for i, p in enumerate(parts))


# Tests ---------------------------------------------------------------------------------


def test_window_level_drag_changes_pixels_and_sends_no_request(open_ui, live_ui) -> None:
    ui = open_ui()
    ui.login("trainer")
    seen: list[str] = []
    ui.page.on("request", lambda r: seen.append(r.url))
    page = _open_case(ui, _case_id(live_ui, IMAGED))
    _wait_frames(page, seen, SLICES)  # the stack prefetch has fetched every slice
    page.wait_for_load_state("networkidle")
    # Chrome's own view of the network (CDP), besides Playwright's request events.
    cdp = ui.context.new_cdp_session(page)
    cdp.send("Network.enable")
    sent: list[str] = []
    cdp.on("Network.requestWillBeSent", lambda e: sent.append(e["request"]["url"]))
    before_status = page.locator(".dv-status").inner_text()
    assert "W 400 L 40" in before_status  # the file's window
    before = _canvas(page)
    seen.clear()
    _drag(page, (150, 150), (260, 210))
    page.wait_for_timeout(300)
    after = _canvas(page)
    assert np.abs(after.astype(int) - before.astype(int)).mean() > 2, "the drag did not change the picture"
    assert page.locator(".dv-status").inner_text() != before_status
    assert seen == [] and sent == [], (seen, sent)
    # Presets and invert from the keyboard, still without a request.
    page.locator(".dv-viewport").first.focus()
    page.keyboard.press("2")
    expect(page.locator(".dv-status")).to_contain_text("W 1500 L -600")
    page.keyboard.press("i")
    expect(page.locator(".dv-status")).to_contain_text("inverted")
    page.keyboard.press("ArrowDown")
    expect(page.locator(".dv-status")).to_contain_text(f"image 2 / {SLICES}")
    page.keyboard.press("End")
    expect(page.locator(".dv-status")).to_contain_text(f"image {SLICES} / {SLICES}")
    page.wait_for_timeout(200)
    assert seen == [] and sent == [], (seen, sent)
    assert ui.errors == []


def test_a_length_on_a_phantom_of_known_spacing_is_within_one_percent(open_ui, live_ui) -> None:
    spacing = (0.7, 0.4)  # (row, column) mm: anisotropic, so both axes must be honoured
    case = _import(live_ui, "Ruler phantom", [_ruler(200, 300, spacing)])
    ui = open_ui()
    ui.login("trainer")
    page = _open_case(ui, case)
    page.get_by_role("button", name="Length").click()
    start, end = (20.0, 30.0), (260.0, 170.0)  # image pixels (column, row)
    a = _api(page, "(api, p) => api.imageToCanvas(0, p)", list(start))
    b = _api(page, "(api, p) => api.imageToCanvas(0, p)", list(end))
    _drag(page, (a[0], a[1]), (b[0], b[1]))
    marks = _api(page, "(api) => api.annotations()")
    assert [m["kind"] for m in marks] == ["LENGTH"]
    (c0, r0), (c1, r1) = marks[0]["points"]
    truth = math.hypot((c1 - c0) * spacing[1], (r1 - r0) * spacing[0])  # what was drawn, in mm
    intended = math.hypot((end[0] - start[0]) * spacing[1], (end[1] - start[1]) * spacing[0])
    assert abs(truth - intended) / intended < 0.01  # the drag landed where asked
    # The label is redrawn on the next animation frame after the last move: read it once it settles.
    shown = 0.0
    for _ in range(30):
        label = page.locator(".dv-viewport svg text").filter(has_text=re.compile(r"mm")).first.text_content() or ""
        shown = float(re.search(r"([\d.]+)\s*mm", label).group(1))  # type: ignore[union-attr]
        if abs(shown - truth) / truth < 0.01:
            break
        page.wait_for_timeout(100)
    assert abs(shown - truth) / truth < 0.01, (shown, truth)
    ui.shot("40-viewer-length")


def _dcmtk(path: Path, out: Path) -> np.ndarray:
    subprocess.run(["dcmj2pnm", "-O", "+Wi", "1", "--write-png", str(path), str(out)], check=True, capture_output=True)
    with Image.open(out) as image:
        return np.asarray(image.convert("L"), dtype=np.float64)


@pytest.mark.parametrize("name", ["RG1_UNCR.dcm", "RG3_UNCR.dcm"])
def test_monochrome1_plain_films_match_dcmtk(open_ui, live_ui, tmp_path, name) -> None:
    """16-bit MONOCHROME1 CR shown by the browser as dcmtk renders it (r >= 0.99 on the canvas), on the
    path the viewer picks under software WebGL (CPU) and on each path forced."""
    ds = pydicom.dcmread(DATA / name)
    case = _import(live_ui, f"Plain film {name}", [ds], modality="CR")
    theirs = _dcmtk(DATA / name, tmp_path / "dcmtk.png")
    for forced, expected in (("", "cpu"), ("gpu", "gpu"), ("cpu", "cpu")):
        ui = open_ui()
        ui.login("trainer")
        if forced:
            ui.page.evaluate(f"() => localStorage.setItem('lightbox.viewer.rendering', '{forced}')")
        page = _open_case(ui, case)
        expect(page.locator(".dicom-viewer")).to_have_attribute("data-rendering", expected)
        page.wait_for_timeout(300)
        shown = _canvas(page).mean(axis=2)
        x0, y0 = _api(page, "(api) => api.imageToCanvas(0, [0, 0])")
        x1, y1 = _api(page, "(api, p) => api.imageToCanvas(0, p)", [ds.Columns, ds.Rows])
        crop = shown[math.ceil(y0) + 1 : math.floor(y1) - 1, math.ceil(x0) + 1 : math.floor(x1) - 1]
        assert crop.mean() > 20, f"the film is black on the {expected} path"
        # dcmtk's full-size picture brought to the canvas' size and crop.
        size = (math.floor(x1) - math.ceil(x0), math.floor(y1) - math.ceil(y0))
        scaled = np.asarray(
            Image.fromarray(theirs.astype(np.uint8)).resize(size, Image.Resampling.BILINEAR), dtype=np.float64
        )
        scaled = scaled[1:-1, 1:-1]
        h, w = min(crop.shape[0], scaled.shape[0]), min(crop.shape[1], scaled.shape[1])
        r = float(np.corrcoef(crop[:h, :w].ravel(), scaled[:h, :w].ravel())[0, 1])
        assert r >= 0.99, (expected, r)
        if not forced:
            ui.shot(f"41-viewer-{name.removesuffix('.dcm')}")
        ui.context.close()


def test_without_webgl_the_server_rendered_viewer_remains(browser, live_ui) -> None:
    no_gl = browser.browser_type.launch(executable_path=CHROMIUM, headless=True, args=["--disable-3d-apis"])
    try:
        context = no_gl.new_context(viewport={"width": 1366, "height": 768})
        context.set_default_timeout(10_000)
        ui = UI(context, live_ui, Path(live_ui.app.state.settings.data_dir))
        ui.login("trainer")
        seen: list[str] = []
        ui.page.on("request", lambda r: seen.append(r.url))
        page = ui.go(f"/ui/cases/{_case_id(live_ui, IMAGED)}")
        expect(page.locator(".stack-status")).to_have_text(f"Image 1 / {SLICES}")
        expect(page.locator(".dicom-viewer")).to_have_count(0)
        assert not [u for u in seen if "/ui/viewer/" in u or "/dicomweb/" in u], "the viewer bundle was loaded anyway"
    finally:
        no_gl.close()


def test_a_trainee_reporting_blind_learns_nothing_from_the_viewer(open_ui, live_ui) -> None:
    from tests.api.test_blind_leaks import ROUTE_PROBES

    trainer = live_ui.token("trainer")
    case = _case_id(live_ui, IMAGED)
    made = live_ui.gql(CREATE, {"input": {"title": "Blind neuro", "mode": "LONG_CASE", "cases": [case]}}, token=trainer)
    worklist = made["data"]["createWorklist"]["worklist"]["id"]
    out = live_ui.gql(
        ASSIGN, {"input": {"worklist": worklist, "cohort": to_global_id("Cohort", live_ui.data.cohort)}}, token=trainer
    )
    assignment = out["data"]["assignWorklist"]["assignments"][0]["id"]
    ui = open_ui()
    ui.login("trainee")
    bodies: list[tuple[str, bytes]] = []

    def keep(response: Any) -> None:
        if "/dicomweb/" in response.url:
            bodies.append((response.url, response.body()))

    ui.page.on("response", keep)
    seen: list[str] = []
    ui.page.on("request", lambda r: seen.append(r.url))
    page = ui.go(f"/ui/reporting/{assignment}")
    expect(page.locator(".dv-status")).to_contain_text(f"image 1 / {SLICES}", timeout=20_000)
    _wait_frames(page, seen, SLICES)
    page.wait_for_load_state("networkidle")
    ui.shot("42-viewer-reporting-blind")
    answer = ("Acute left MCA territory infarct", "Findings of left mca", "Teaching point of left mca", IMAGED)
    assert bodies, "the viewer fetched nothing from /dicomweb"
    for url, body in bodies:
        text = body.decode("latin-1")
        for secret in answer:
            assert secret.lower() not in text.lower(), (secret, url)
    # Every /dicomweb route the viewer used is one tests/api/test_blind_leaks.py probes as a blind trainee.
    probed = {path for (method, path) in ROUTE_PROBES if method == "GET"}
    used = {"/" + _route_of(u).lstrip("/") for u, _ in bodies}
    assert used <= probed, used - probed
    assert json.loads(next(b for u, b in bodies if u.endswith("/metadata")))  # the series' metadata, as a list
    assert ui.errors == []


TRANSITION = """mutation($id: ID!, $t: CaseTransition!) { transitionCase(input: {id: $id, transition: $t}) {
  case { id state version } errors { code message } } }"""
MY_MARKS = "{ myAssignments { items { report { id status annotations { kind } } } } }"


def test_an_authors_arrow_is_a_new_version_and_a_trainee_sees_it_only_after_submitting(
    open_ui, live_ui, artifacts
) -> None:
    case = _case_id(live_ui, IMAGED)
    author = open_ui()
    author.login("trainer")
    page = _open_case(author, case)
    expect(page.get_by_text("0 saved mark(s)", exact=False)).to_be_visible()
    page.get_by_role("button", name="Arrow").click()
    page.get_by_label("Text of the next arrow").fill("Hyperdense MCA")
    tip = _api(page, "(api) => api.imageToCanvas(0, [40, 24])")
    tail = _api(page, "(api) => api.imageToCanvas(0, [56, 12])")
    _drag(page, (tail[0], tail[1]), (tip[0], tip[1]))
    assert [m["kind"] for m in _api(page, "(api) => api.annotations()")] == ["ARROW"]
    page.get_by_role("button", name="Save marks").click()
    expect(page.get_by_text("1 saved mark(s)", exact=False)).to_be_visible(timeout=15_000)
    expect(page.locator(".case-head .meta").first).to_contain_text("Version 5")  # a working copy
    trainer, validator = live_ui.token("trainer"), live_ui.token("validator")
    saved = live_ui.gql(CASE_MARKS, {"id": case}, token=trainer)["data"]["node"]
    assert saved["version"] == 5 and [(a["kind"], a["text"]) for a in saved["annotations"]] == [
        ("ARROW", "Hyperdense MCA")
    ]
    for t, token in (("SUBMIT", trainer), ("VALIDATE", validator)):
        done = live_ui.gql(TRANSITION, {"id": case, "t": t}, token=token)["data"]["transitionCase"]
        assert done["errors"] == [], done

    made = live_ui.gql(CREATE, {"input": {"title": "Arrow", "mode": "LONG_CASE", "cases": [case]}}, token=trainer)
    worklist = made["data"]["createWorklist"]["worklist"]["id"]
    cohort = to_global_id("Cohort", live_ui.data.cohort)
    out = live_ui.gql(ASSIGN, {"input": {"worklist": worklist, "cohort": cohort}}, token=trainer)
    assignment = out["data"]["assignWorklist"]["assignments"][0]["id"]

    ui = open_ui()
    ui.login("trainee")
    drafts: list[str] = []
    ui.page.on("request", lambda r: drafts.append(r.post_data or "") if "/graphql" in r.url else None)
    room = ui.go(f"/ui/reporting/{assignment}")
    expect(room.locator(".dv-status")).to_contain_text(f"image 1 / {SLICES}", timeout=20_000)
    room.wait_for_function("() => document.querySelector('.dicom-host')?.lightboxViewer")
    assert room.locator(".dv-viewport svg text").filter(has_text="Hyperdense MCA").count() == 0  # blind
    # The trainee measures; the mark is kept with the draft.
    room.get_by_role("button", name="Length").click()
    a = _api(room, "(api) => api.imageToCanvas(0, [10, 32])")
    b = _api(room, "(api) => api.imageToCanvas(0, [54, 32])")
    _drag(room, (a[0], a[1]), (b[0], b[1]))
    expect(room.locator(".dv-viewport svg text").filter(has_text=re.compile("mm")).first).to_be_attached()
    room.wait_for_timeout(1500)  # the draft is saved a second after the last change
    assert any("saveReportDraft" in d for d in drafts)
    token = live_ui.token("trainee")
    items = live_ui.gql(MY_MARKS, token=token)["data"]["myAssignments"]
    reports = [i["report"] for a in items for i in a["items"] if i["report"]]
    assert [m["kind"] for r in reports for m in r["annotations"]] == ["LENGTH"]
    room.get_by_label("Observations").fill("Hyperdense left MCA; loss of the insular ribbon.")
    room.get_by_label("Principal diagnosis").fill("Left MCA territory infarct")
    room.screenshot(path=str(artifacts / f"43-reporting-room-measurement-{live_ui.backend}.png"), full_page=True)
    room.get_by_role("button", name="Submit report").click()
    expect(room.locator(".model-answer")).to_contain_text("Acute left MCA territory infarct")
    expect(room.locator(".dv-viewport svg text").filter(has_text="Hyperdense MCA")).to_have_count(1)
    room.screenshot(path=str(artifacts / f"44-model-answer-arrow-{live_ui.backend}.png"), full_page=True)
    items = live_ui.gql(MY_MARKS, token=token)["data"]["myAssignments"]
    submitted = [i["report"] for a in items for i in a["items"] if i["report"]]
    assert [(r["status"], [m["kind"] for m in r["annotations"]]) for r in submitted] == [("SUBMITTED", ["LENGTH"])]
    # Marking, the trainer sees the trainee's marks beside the model answer's.
    marking = author.go(f"/ui/worklists/{worklist}")
    marking.get_by_role("button", name="Images and marks").click()
    expect(marking.locator(".marks-stage")).to_contain_text(
        "The trainee's marks (1) in cyan; the model answer's (1) in amber."
    )
    expect(marking.locator(".dv-status")).to_contain_text("image 1 /", timeout=20_000)
    expect(marking.locator(".dv-viewport svg text").filter(has_text="Hyperdense MCA")).to_have_count(1)
    expect(marking.locator(".dv-viewport svg text").filter(has_text=re.compile("mm"))).to_have_count(1)
    marking.screenshot(path=str(artifacts / f"45-marking-both-marks-{live_ui.backend}.png"), full_page=True)
    assert ui.errors == [] and author.errors == [], (ui.errors, author.errors)
