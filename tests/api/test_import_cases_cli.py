"""`lightbox import cases FILE`: output, exit codes and the catalog, through the real command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from api.db import SessionFactory, make_engine
from api.settings import Settings
from content import events
from content.cases.models import Case
from tests.api.test_cli import run
from tests.content import factories as f

CSV = (
    "title,history,curriculum_codes,tags,state\n"
    "Left pneumothorax,Breathless after a run,CHEST.PLEURA.PNEUMOTHORAX,plain film|chest,validated\n"
    "Acute stroke,Left arm weakness,NEURO.STROKE.ISCHAEMIC,,submitted\n"
)


@pytest.fixture
def cli_settings(app_settings: Settings, tmp_path: Path) -> Settings:
    """A migrated database holding a curriculum, a trainer, a validator and the collection /leeds."""
    settings = (
        app_settings.model_copy(update={"data_dir": tmp_path})
        if app_settings.database_url
        else Settings(data_dir=tmp_path, secret_key="s" * 40)
    )
    assert run(settings, "migrate").returncode == 0
    engine = make_engine(settings)
    with SessionFactory(engine, events.EventBus()).scope() as session:
        f.curriculum(session)
        f.person(session, "author", "trainer")
        f.person(session, "checker", "validator")
        f.collection(session, "Leeds")
    engine.dispose()
    return settings


def titles(settings: Settings) -> list[str]:
    engine = make_engine(settings)
    with SessionFactory(engine, events.EventBus()).scope() as session:
        out = sorted(c.title for c in session.exec(select(Case)))
    engine.dispose()
    return out


def test_import_cases_prints_a_line_per_case_and_reruns_skip(cli_settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_text(CSV)
    args = ("import", "cases", str(path), "--collection", "/leeds", "--as-user", "author")
    checked = run(cli_settings, *args, "--validated-by", "checker", "--dry-run")
    assert checked.returncode == 0 and "2 cases would be created" in checked.stdout, checked.stderr
    assert titles(cli_settings) == []
    done = run(cli_settings, *args, "--validated-by", "checker")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["created", "line", "2", "VALIDATED", "/leeds/left-pneumothorax", "Left", "pneumothorax"]
    assert lines[1].split()[:5] == ["created", "line", "3", "SUBMITTED", "/leeds/acute-stroke"]
    assert lines[2].startswith("2 cases created, 0 skipped (already there) in ")
    assert titles(cli_settings) == ["Acute stroke", "Left pneumothorax"]
    # The catalog caught up before the command exited.
    assert run(cli_settings, "check").returncode == 0
    again = run(cli_settings, *args, "--validated-by", "checker")
    assert again.returncode == 0, again.stderr
    assert [line.split()[0] for line in again.stdout.splitlines()] == ["skipped", "skipped", "0"]
    assert "0 cases created, 2 skipped" in again.stdout
    assert titles(cli_settings) == ["Acute stroke", "Left pneumothorax"]


def test_bad_rows_exit_1_with_each_row_and_nothing_imported(cli_settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "cases.jsonl"
    path.write_text(
        '{"title": "Fine"}\n{"title": "X", "curriculum_codes": ["CHEST.NOPE"]}\n'
        '{"title": "Y", "state": "validated"}\n{"colour": "red"}\n'
    )
    refused = run(cli_settings, "import", "cases", str(path), "--collection", "/leeds")
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    errors = refused.stderr.splitlines()
    assert "error: cases.jsonl: line 2: curriculum_codes: unknown curriculum code CHEST.NOPE" in errors[0]
    assert "INVALID_CURRICULUM_CODE" in errors[0]
    assert "line 3: state: a validated case needs a validator" in errors[1]
    assert [e.split(": ")[2] for e in errors[2:4]] == ["line 4", "line 4"]  # unknown field and no title
    assert errors[-1] == "error: cases.jsonl: 3 bad row(s), 4 problem(s); nothing imported"
    assert refused.stdout == "" and titles(cli_settings) == []


@pytest.mark.parametrize(
    ("args", "why"),
    [
        (["--collection", "/nowhere"], "no collection at /nowhere"),
        (["--collection", "/leeds", "--as-user", "nobody"], "no user 'nobody'"),
        (["--collection", "/leeds", "--validated-by", "nobody"], "--validated-by: no user 'nobody'"),
        (["--collection", "/leeds", "--as-user", "author", "--validated-by", "author"], "four eyes"),
    ],
)
def test_bad_options_exit_1_with_one_line(cli_settings: Settings, tmp_path: Path, args: list[str], why: str) -> None:
    path = tmp_path / "cases.csv"
    path.write_text(CSV)
    refused = run(cli_settings, "import", "cases", str(path), *args)
    assert refused.returncode == 1 and why in refused.stderr and "Traceback" not in refused.stderr
    assert titles(cli_settings) == []


def test_a_missing_or_unknown_file_exits_1(cli_settings: Settings, tmp_path: Path) -> None:
    for name in ("absent.csv", "cases.xlsx"):
        refused = run(cli_settings, "import", "cases", str(tmp_path / name), "--collection", "/leeds")
        assert refused.returncode == 1 and refused.stderr.startswith("error:"), refused.stderr
        assert "Traceback" not in refused.stderr
