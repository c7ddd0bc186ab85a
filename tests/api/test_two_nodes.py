"""Two `lightbox serve` processes and one `lightbox worker` sharing one PostgreSQL database, one media
directory and the job queue (docs/deployment.md): an image imported through node A makes a case that
node B finds at once, and the worker (not either node) renders its previews.

PostgreSQL only: nodes share state through the database (catalog, sessions' revocation clock, job
queue); an SQLite file is one machine's embedded store and has no queue (LIGHTBOX_JOB_QUEUE refuses it).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlmodel import select

from api.db import SessionFactory, make_engine
from api.settings import Settings
from content import events
from content.imaging.models import Series
from importers.synth import synth_ct_series, write_series
from tests.content.factories import bearer, collection, person
from tests.helpers import free_port
from tests.jobs.test_queue import empty_queue

ROOT = Path(__file__).resolve().parents[2]
SEARCH = """query($text: String) { cases(search: {text: $text}) {
  totalCount edges { node { id title thumbnailUrl } } } }"""


@pytest.fixture
def shared(migrated: dict[str, Settings], tmp_path: Path) -> Settings:
    base = migrated["postgresql"]
    settings = base.model_copy(update={"data_dir": tmp_path / "shared", "database_url": base.db_url})
    settings.data_dir.mkdir()
    empty_queue(settings)
    return settings


def _env(settings: Settings) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "LIGHTBOX_DATABASE_URL": settings.db_url,
        "LIGHTBOX_DATA_DIR": str(settings.data_dir),
        "LIGHTBOX_SECRET_KEY": "t" * 40,
        "LIGHTBOX_JOB_QUEUE": "1",
        "LIGHTBOX_LOG_JSON": "false",
    }


class Processes:
    def __init__(self, settings: Settings, logs: Path) -> None:
        self.env, self.logs, self.running = _env(settings), logs, list[subprocess.Popen[bytes]]()

    def start(self, name: str, *args: str) -> subprocess.Popen[bytes]:
        log = open(self.logs / f"{name}.log", "wb")  # noqa: SIM115  # closed with the process
        proc = subprocess.Popen([sys.executable, "-m", "api.cli", *args], env=self.env, stdout=log, stderr=log)
        self.running.append(proc)
        return proc

    def serve(self, name: str) -> str:
        port = free_port()
        self.start(name, "serve", "--port", str(port))
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    return url
            except httpx.TransportError:
                time.sleep(0.2)
        raise AssertionError((self.logs / f"{name}.log").read_text()[-3000:])

    def stop(self) -> None:
        for proc in self.running:
            proc.terminate()
        for proc in self.running:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture
def processes(shared: Settings, tmp_path: Path) -> Iterator[Processes]:
    procs = Processes(shared, tmp_path)
    yield procs
    procs.stop()


def _previews(sessions: SessionFactory) -> list[tuple[str | None, str | None, str | None]]:
    with sessions.scope() as session:
        return [(s.thumbnail_key, s.montage_key, s.cine_key) for s in session.exec(select(Series))]


def test_a_case_imported_on_one_node_is_found_on_the_other_and_its_previews_built_by_the_worker(
    shared: Settings, processes: Processes, tmp_path: Path
) -> None:
    engine = make_engine(shared)
    sessions = SessionFactory(engine, events.EventBus())
    try:
        with sessions.scope() as session:
            user, _ = person(session, "ada", "administrator")
            collection(session, "Leeds")
            token = bearer(session, user, secret=shared.secret())
        auth = {"authorization": f"Bearer {token}"}
        node_a, node_b = processes.serve("node-a"), processes.serve("node-b")

        paths = write_series(synth_ct_series(6, 64), tmp_path / "series")
        files = [("files", (p.name, p.read_bytes(), "application/dicom")) for p in paths]
        upload = httpx.post(
            f"{node_a}/api/uploads", data={"collection": "/leeds"}, files=files, headers=auth, timeout=120
        )
        assert upload.status_code == 200, upload.text
        assert _previews(sessions) == [(None, None, None)]  # deferred: no worker runs yet

        found = httpx.post(f"{node_b}/graphql", json={"query": SEARCH, "variables": {"text": "chest"}}, headers=auth)
        cases = found.json()["data"]["cases"]
        assert cases["totalCount"] == 1, found.text
        assert cases["edges"][0]["node"]["thumbnailUrl"] is None

        processes.start("worker", "worker")
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and _previews(sessions) == [(None, None, None)]:
            time.sleep(0.5)
        ((thumbnail, montage, cine),) = _previews(sessions)
        assert thumbnail and montage and cine, (tmp_path / "worker.log").read_text()[-3000:]

        found = httpx.post(f"{node_b}/graphql", json={"query": SEARCH, "variables": {"text": "chest"}}, headers=auth)
        url = found.json()["data"]["cases"]["edges"][0]["node"]["thumbnailUrl"]
        assert url, found.text
        image = httpx.get(url if url.startswith("http") else f"{node_b}{url}", headers=auth)
        assert image.status_code == 200 and image.headers["content-type"].startswith("image/")
        metrics = httpx.get(f"{node_a}/metrics").text
        assert 'lightbox_jobs{status="succeeded"} 1' in metrics and 'lightbox_jobs{status="todo"} 0' in metrics
    finally:
        engine.dispose()
