"""Real-browser fixtures: Debian's Chromium via Playwright, a live app with the UI, seeded people and cases.

Every test runs on SQLite and PostgreSQL (the `settings` fixture). Screenshots land in
$LIGHTBOX_UI_ARTIFACTS or <pytest basetemp>/ui-screenshots; the path is printed at the end.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from api.settings import Settings
from content.cases.service import create_case
from content.cases.transitions import transition
from content.principal import SYSTEM
from content.users.service import add_to_cohort, get_or_create_cohort
from tests.content import factories as f
from tests.helpers import graphql, serving

PASSWORD = "correct horse battery"
CHROMIUM = "/usr/bin/chromium"
PEOPLE = (("admin", "administrator"), ("trainer", "trainer"), ("validator", "validator"), ("trainee", "trainee"))
# (title, curriculum code, state, diagnosis); created by the trainer, validated by the validator.
CASES = (
    (
        "Left MCA infarct with a hyperdense artery",
        "NEURO.STROKE.ISCHAEMIC",
        "VALIDATED",
        "Acute left MCA territory infarct",
    ),
    ("Lobar intracerebral haemorrhage", "NEURO.STROKE.HAEMORRHAGIC", "VALIDATED", "Lobar haemorrhage"),
    ("Right apical pneumothorax", "CHEST.PLEURA.PNEUMOTHORAX", "VALIDATED", "Right pneumothorax"),
    ("Subtle left pneumothorax", "CHEST.PLEURA.PNEUMOTHORAX", "SUBMITTED", "Left pneumothorax"),
    ("Draft chest film", "CHEST.PLEURA", "DRAFT", "Normal chest"),
)
IMAGED = CASES[0][0]  # the case given a synthetic CT series, imported through the real pipeline
SLICES = 12
STEPS = {
    "DRAFT": (),
    "SUBMITTED": (("SUBMIT", "trainer"),),
    "VALIDATED": (("SUBMIT", "trainer"), ("VALIDATE", "validator")),
}


def ui_app(settings: Settings) -> FastAPI:
    """The app exactly as `lightbox serve` builds it: GraphQL, the UI, media and uploads."""
    from api.app import create_app

    return create_app(settings)


def add_images(app: FastAPI, case_uid: str, collection_uid: str, *, session: Any, principal: Any) -> None:
    from importers.pipeline import ImportTarget, deid_secret, import_paths
    from importers.synth import synth_ct_series, write_series
    from media.store import ContentStore

    settings: Settings = app.state.settings
    folder = settings.data_dir / "synth"
    files = write_series(synth_ct_series(SLICES, 64), folder)
    summary = import_paths(
        files,
        target=ImportTarget(collection_uid, case_uid=case_uid),
        session=session,
        principal=principal,
        store=ContentStore(settings.media_dir),
        secret=deid_secret(app.state.secret),
        workers=1,
    )
    assert summary.imported == SLICES, summary.text()


@dataclass
class Seeded:
    cases: dict[str, str] = field(default_factory=dict)  # title -> case uid
    users: dict[str, str] = field(default_factory=dict)  # username -> user uid
    cohort: str = ""


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "images: seed the imaged case with a synthetic CT series (slower)")


def seed(app: FastAPI, *, images: bool = False) -> Seeded:
    """People, a cohort, a collection and cases in their workflow states, through the public services."""
    from search.consistency import rebuild

    out = Seeded()
    with app.state.sessions.scope() as session:
        f.curriculum(session)
        people = {}
        for username, role in PEOPLE:
            user, principal = f.person(session, username, role)
            people[username] = principal
            out.users[username] = user.uid
        cohort = get_or_create_cohort("ST3 2026", session=session, principal=SYSTEM)
        out.cohort = cohort.uid
        for username in ("trainer", "trainee"):
            add_to_cohort(cohort.uid, out.users[username], session=session, principal=SYSTEM)
        collection = f.collection(session, "Leeds Teaching")
        for title, code, state, diagnosis in CASES:
            neuro = code.startswith("NEURO")
            fields = {
                "title": title,
                "diagnosis": diagnosis,
                "curriculum_codes": [code],
                "difficulty": "FOUNDATION",
                "clinical_history": f"History for {title.lower()}.",
                "findings": f"Findings of {title.lower()}.",
                "teaching_points": f"Teaching point of {title.lower()}.",
                "modalities": ["CT" if neuro else "XR"],
                "body_regions": ["HEAD" if neuro else "CHEST"],
            }
            case = create_case(
                collection_uid=collection, fields=fields, comment="seeded", session=session, principal=people["trainer"]
            )
            if images and title == IMAGED:
                add_images(app, case.uid, collection, session=session, principal=people["trainer"])
            for name, actor in STEPS[state]:
                transition(case.uid, name, comment="seeded", session=session, principal=people[actor])
            out.cases[title] = case.uid
        rebuild(app.state.catalog, session)
    return out


@dataclass
class LiveUI:
    url: str
    app: FastAPI
    backend: str
    data: Seeded

    def gql(self, query: str, variables: dict[str, Any] | None = None, token: str | None = None) -> dict[str, Any]:
        return graphql(self.url, query, variables, token)

    def token(self, username: str) -> str:
        data = self.gql(
            "mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) { token } }",
            {"u": username, "p": PASSWORD},
        )
        token: str = data["data"]["login"]["token"]
        return token


@pytest.fixture
def ui_settings(app_settings: Settings, tmp_path: Path) -> Settings:
    """The migrated, emptied database, with a fresh data dir (catalog index, media) for this test."""
    return app_settings.model_copy(update={"database_url": app_settings.db_url, "data_dir": tmp_path / "data"})


@pytest.fixture
def live_ui(ui_settings: Settings, request: pytest.FixtureRequest) -> Iterator[LiveUI]:
    app = ui_app(ui_settings)
    data = seed(app, images=request.node.get_closest_marker("images") is not None)
    backend = "postgresql" if ui_settings.is_postgres else "sqlite"
    with serving(app) as url:
        yield LiveUI(url, app, backend, data)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield chromium
        chromium.close()


def _artifact_folder(factory: pytest.TempPathFactory) -> Path:
    configured = os.environ.get("LIGHTBOX_UI_ARTIFACTS")
    if configured:
        return Path(configured)
    base = factory.getbasetemp()
    # Under xdist each worker's basetemp is <run basetemp>/popen-gwN: one folder for the whole run.
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    return base / "ui-screenshots"


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = _artifact_folder(tmp_path_factory)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    if hasattr(config, "workerinput"):  # the controller reports for the run
        return
    folder = _artifact_folder(config._tmp_path_factory)  # type: ignore[attr-defined]
    shots = sorted(folder.glob("*.png"))
    if shots:
        terminalreporter.write_line(f"UI screenshots ({len(shots)}): {folder}")


class UI:
    """One signed-in browser context of the live app, with screenshot and login helpers."""

    def __init__(self, context: BrowserContext, live: LiveUI, folder: Path) -> None:
        self.context, self.live, self.folder = context, live, folder
        self.page: Page = context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        # Console errors include CSP violations and failed loads (an image refused, a missing module).
        self.page.on("console", lambda msg: self.errors.append(msg.text) if msg.type == "error" else None)

    def go(self, path: str) -> Page:
        self.page.goto(f"{self.live.url}{path}")
        return self.page

    def login(self, username: str) -> Page:
        page = self.go("/ui/login")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
        return page

    def shot(self, name: str) -> Path:
        path = self.folder / f"{name}-{self.live.backend}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def open_ui(browser: Browser, live_ui: LiveUI, artifacts: Path) -> Iterator[Any]:
    """open_ui() -> a fresh browser context (its own session) on a 1366x768 laptop screen."""
    opened: list[UI] = []

    def make() -> UI:
        context = browser.new_context(viewport={"width": 1366, "height": 768})
        context.set_default_timeout(10_000)  # a missing element fails in 10 s, not 30
        ui = UI(context, live_ui, artifacts)
        opened.append(ui)
        return ui

    yield make
    for ui in opened:
        ui.context.close()
