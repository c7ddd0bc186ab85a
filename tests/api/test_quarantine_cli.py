"""`lightbox quarantine list | release | redact | reject` through the real command line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pydicom
import pytest
from sqlmodel import select

from api.db import SessionFactory, make_engine
from api.settings import Settings
from content import events
from content.audit import AuditEvent
from content.imaging.models import Instance
from media.store import ContentStore
from tests.api.test_cli import run
from tests.content import factories as f
from tests.importers.conftest import _find


@pytest.fixture
def cli_settings(app_settings: Settings, tmp_path: Path) -> Settings:
    """A migrated database with a trainer, a trainee and three held images the trainer imported."""
    settings = (
        app_settings.model_copy(update={"data_dir": tmp_path})
        if app_settings.database_url
        else Settings(data_dir=tmp_path, secret_key="s" * 40)
    )
    assert run(settings, "migrate").returncode == 0
    engine = make_engine(settings)
    with SessionFactory(engine, events.EventBus()).scope() as session:
        f.person(session, "author", "trainer")
        f.person(session, "learner", "trainee")
        f.collection(session, "Leeds")
    engine.dispose()
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("ExplVR_BigEnd.dcm", "SC_rgb.dcm", "color-pl.dcm"):
        shutil.copy(_find(name), folder / name)
    done = run(settings, "import", "files", str(folder), "--collection", "/leeds", "--as-user", "author")
    assert done.returncode == 0, done.stderr
    return settings


def _instances(settings: Settings) -> dict[str, Instance]:
    engine = make_engine(settings)
    with SessionFactory(engine, events.EventBus()).scope() as session:
        rows = {i.uid: i for i in session.exec(select(Instance))}
        for row in rows.values():
            session.expunge(row)
        actions = [e.action for e in session.exec(select(AuditEvent)) if e.action.startswith("instance.")]
    engine.dispose()
    rows["audit"] = actions  # type: ignore[assignment]
    return rows


def test_list_release_redact_reject_and_bad_input(cli_settings: Settings) -> None:
    listed = run(cli_settings, "quarantine", "list", "--as-user", "author")
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert len(lines) == 3 and listed.stderr.strip() == "3 images held"
    ids = [line.split("\t")[0] for line in lines]
    sizes = {line.split("\t")[0]: tuple(int(v) for v in line.split("\t")[1].split("x")) for line in lines}
    assert run(cli_settings, "quarantine", "list", "--as-user", "learner").stderr.strip() == "0 images held"

    before = _instances(cli_settings)
    width, _ = sizes[ids[1]]
    refusals = [
        (("release", ids[0], "--as-user", "learner"), "NOT_FOUND"),  # a trainee cannot even see the draft
        (("redact", ids[1], "--region", f"0,0,{width + 1},5", "--as-user", "author"), "INVALID_INPUT"),
        (("redact", ids[1], "--region", "0,0,five,5"), "INVALID_INPUT"),
        (("reject", "nonsense"), "NOT_FOUND"),
    ]
    for args, code in refusals:
        out = run(cli_settings, "quarantine", *args)
        assert out.returncode == 1 and out.stderr.startswith("error:") and code in out.stderr, (args, out.stderr)
        assert "Traceback" not in out.stderr
    assert _instances(cli_settings) == before

    released = run(cli_settings, "quarantine", "release", ids[0], "--comment", "checked", "--as-user", "author")
    assert released.returncode == 0 and released.stdout.startswith("released"), released.stderr
    stale = run(cli_settings, "quarantine", "reject", ids[0])
    assert stale.returncode == 1 and "VERSION_CONFLICT" in stale.stderr

    redacted = run(cli_settings, "quarantine", "redact", ids[1], "--region", f"0,0,{width},10", "--proposed")
    assert redacted.returncode == 0 and "new SOP Instance UID" in redacted.stdout, redacted.stderr
    rejected = run(cli_settings, "quarantine", "reject", ids[2])
    assert rejected.returncode == 0 and rejected.stdout.startswith("rejected"), rejected.stderr

    after = _instances(cli_settings)
    actions = after.pop("audit")
    assert sorted(actions) == ["instance.redact", "instance.reject", "instance.release"]  # type: ignore[arg-type]
    assert len(after) == 2 and not any(i.quarantined for i in after.values())
    store = ContentStore(cli_settings.media_dir)
    redacted_row = next(i for i in after.values() if i.file_key != before[i.uid].file_key)  # type: ignore[union-attr]
    assert not store.has(before[redacted_row.uid].file_key)  # type: ignore[union-attr]
    ds = pydicom.dcmread(store.path_for(redacted_row.file_key))
    assert ds.BurnedInAnnotation == "NO" and (ds.pixel_array[:10] == 0).all()
    assert run(cli_settings, "quarantine", "list").stderr.strip() == "0 images held"
