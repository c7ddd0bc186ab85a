"""The edges: POST /api/uploads with a zip, and `lightbox import` on the command line."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import typer
from fastapi import FastAPI
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.db import SessionFactory
from api.imports import import_app, uploads_router
from api.settings import Settings
from content.security.login import login
from importers.synth import synth_ct_series, write_series
from tests.content.factories import person
from tests.importers.importing import copy_real, counts, make_collection, settings_with_media, store_bytes


def _app(sessions: SessionFactory, settings: Settings) -> FastAPI:
    app = FastAPI()
    app.state.sessions, app.state.settings, app.state.secret = sessions, settings, settings.secret()
    app.include_router(uploads_router)
    return app


def test_upload_a_zip_answers_the_summary(sessions: SessionFactory, settings: Settings, tmp_path: Path) -> None:
    local = settings_with_media(settings, tmp_path / "data")
    sources = copy_real(tmp_path / "in", "CT_small.dcm", "MR_small.dcm")
    (tmp_path / "in" / "readme.txt").write_text("hello")
    archive = tmp_path / "study.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in [*sources, tmp_path / "in" / "readme.txt"]:
            zf.write(path, f"exam/{path.name}")
    make_collection(sessions, "Leeds")
    with sessions.scope() as session:
        person(session, "trainer", "trainer")
        person(session, "registrar", "trainee")
        token, _ = login("trainer", "correct horse battery", session=session, secret=local.secret(), ttl_seconds=60)
        trainee, _ = login("registrar", "correct horse battery", session=session, secret=local.secret(), ttl_seconds=60)
    client = TestClient(_app(sessions, local))
    files = {"files": ("study.zip", archive.read_bytes(), "application/zip")}
    assert client.post("/api/uploads", data={"collection": "/leeds"}, files=files).status_code == 401
    refused = client.post(
        "/api/uploads", data={"collection": "/leeds"}, files=files, headers={"Authorization": f"Bearer {trainee}"}
    )
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "FORBIDDEN"
    response = client.post(
        "/api/uploads", data={"collection": "/leeds"}, files=files, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["imported"] == 2 and body["studies_created"] == 2
    assert [f["label"] for f in body["failed"]] == ["00000-study.zip!exam/readme.txt"]
    assert "not DICOM" in body["failed"][0]["reason"]
    assert "CompressedSamples" not in response.text and str(tmp_path) not in response.text
    assert counts(sessions) == (2, 2, 2)
    assert all(b"CompressedSamples" not in data for _, data in store_bytes(local.media_dir))


@pytest.fixture
def cli(settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """The import commands mounted as the lead mounts them, run against this test's database."""
    local = settings_with_media(settings, tmp_path / "data")
    monkeypatch.setenv("LIGHTBOX_DATA_DIR", str(local.data_dir))
    monkeypatch.setenv("LIGHTBOX_DATABASE_URL", local.db_url)
    monkeypatch.setenv("LIGHTBOX_SECRET_KEY", "c" * 40)
    return CliRunner()


def _lightbox() -> typer.Typer:
    app = typer.Typer()
    app.add_typer(import_app, name="import")

    @app.command()
    def version() -> None:  # a second command, so `import` stays a sub-group as in api/cli.py
        typer.echo("test")

    return app


def test_cli_imports_a_folder_and_refuses_bad_input(cli: CliRunner, sessions: SessionFactory, tmp_path: Path) -> None:
    write_series(synth_ct_series(20, 16), tmp_path / "ct")
    make_collection(sessions, "Leeds")
    with sessions.scope() as session:
        person(session, "registrar", "trainee")
    app = _lightbox()
    result = cli.invoke(app, ["import", str(tmp_path / "ct"), "--collection", "/leeds"])
    assert result.exit_code == 0, result.output
    assert "created" in result.output and "1 studies imported, 20 files imported" in result.output
    assert "CARTWRIGHT" not in result.output
    again = cli.invoke(app, ["import", "--collection", "/leeds", str(tmp_path / "ct")])
    assert again.exit_code == 0 and "20 skipped (already there)" in again.output
    refused = cli.invoke(app, ["import", str(tmp_path / "ct"), "--collection", "/leeds", "--as-user", "registrar"])
    assert refused.exit_code == 1 and "may not" in refused.output
    missing = cli.invoke(app, ["import", str(tmp_path / "ct"), "--collection", "/nowhere"])
    assert missing.exit_code == 1 and "no collection at /nowhere" in missing.output
    assert counts(sessions) == (1, 1, 20)
