"""The `lightbox` command line against a real data dir (SQLite) and PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from api.settings import Settings

LIGHTBOX = [sys.executable, "-m", "api.cli"]


def run(settings: Settings, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LIGHTBOX_DATA_DIR": str(settings.data_dir), "LIGHTBOX_SECRET_KEY": "s" * 40}
    if settings.database_url:
        env["LIGHTBOX_DATABASE_URL"] = settings.database_url
    else:
        env.pop("LIGHTBOX_DATABASE_URL", None)
    return subprocess.run([*LIGHTBOX, *args], env=env, input=stdin, capture_output=True, text=True, timeout=120)


@pytest.fixture
def cli_settings(app_settings: Settings, tmp_path: Path) -> Settings:
    if app_settings.database_url:
        return app_settings.model_copy(update={"data_dir": tmp_path})
    return Settings(data_dir=tmp_path, secret_key="s" * 40)


def test_user_token_curriculum_and_bad_input(cli_settings: Settings, tmp_path: Path) -> None:
    assert run(cli_settings, "migrate").returncode == 0
    ok = run(cli_settings, "user", "add", "dr-who", "--role", "trainer", "--password-stdin", stdin="long enough pw\n")
    assert ok.returncode == 0, ok.stderr
    dup = run(cli_settings, "user", "add", "dr-who", "--role", "trainer")
    assert dup.returncode == 1 and dup.stderr.startswith("error:") and "Traceback" not in dup.stderr
    bad_role = run(cli_settings, "user", "add", "x1", "--role", "wizard")
    assert bad_role.returncode == 1 and "unknown role" in bad_role.stderr
    csv = tmp_path / "tree.csv"
    csv.write_text("code,title,parent\nMSK,Musculoskeletal,\nMSK.FRACTURE,Fractures,MSK\n")
    loaded = run(cli_settings, "curriculum", "load", str(csv))
    assert loaded.returncode == 0 and "2 added" in loaded.stdout
    broken = tmp_path / "broken.csv"
    broken.write_text("code,title,parent\nMSK.X.Y,Orphan,MSK.X\n")
    refused = run(cli_settings, "curriculum", "load", str(broken))
    assert refused.returncode == 1 and "not in the tree" in refused.stderr
    token = run(cli_settings, "token", "create", "york", "--scope", "read")
    assert token.returncode == 0 and token.stdout.startswith("lbx_")
    assert run(cli_settings, "token", "create", "york2", "--scope", "admin").returncode == 1


def test_schema_command_prints_committed_sdl(cli_settings: Settings) -> None:
    out = run(cli_settings, "schema")
    assert out.returncode == 0
    assert out.stdout == (Path(__file__).resolve().parents[2] / "schema.graphql").read_text()


def test_demo_seed_only_seeds_once(cli_settings: Settings) -> None:
    first = run(cli_settings, "demo", "--seed-only")
    assert first.returncode == 0, first.stderr
    assert "curriculum:" in first.stdout and "user trainee" in first.stdout
    codes = int(first.stdout.split("curriculum:")[1].split()[0])
    assert 100 <= codes <= 160
    assert "skipped case" not in first.stdout
    assert int(first.stdout.split("cases:")[1].split()[0].rstrip(",")) >= 12
    from api.db import SessionFactory, make_engine
    from content import events
    from content.cases.models import Case

    env_settings = cli_settings
    with SessionFactory(make_engine(env_settings), events.EventBus()).scope() as s:
        from sqlmodel import select

        states = [c.state for c in s.exec(select(Case))]
    assert states.count("VALIDATED") >= 8 and "SUBMITTED" in states and "DRAFT" in states
    again = run(cli_settings, "demo", "--seed-only")
    assert again.returncode == 0 and "nothing seeded" in again.stdout


def test_render_writes_an_image_and_refuses_bad_options(tmp_path: Path) -> None:
    import pydicom
    from PIL import Image

    ct = Path(pydicom.__file__).parent / "data" / "test_files" / "CT_small.dcm"
    settings = Settings(data_dir=tmp_path, secret_key="s" * 40)
    out = tmp_path / "ct.png"
    done = run(settings, "render", str(ct), "-o", str(out), "--size", "64", "--preset", "brain")
    assert done.returncode == 0, done.stderr
    assert Image.open(out).size == (64, 64)
    for bad in (["--size", "0"], ["--window", "40,0"], ["--window", "abc"], ["--preset", "nope"]):
        refused = run(settings, "render", str(ct), "-o", str(out), *bad)
        assert refused.returncode == 1 and "Traceback" not in refused.stderr, bad
    garbage = tmp_path / "x.dcm"
    garbage.write_bytes(b"not dicom at all")
    assert run(settings, "render", str(garbage), "-o", str(out)).returncode == 1


def test_check_finds_a_catalog_out_of_step_and_repair_and_reindex_fix_it(cli_settings: Settings) -> None:
    from sqlmodel import select

    from api.runtime import Runtime
    from content.cases.models import Case

    assert run(cli_settings, "demo", "--seed-only").returncode == 0
    ok = run(cli_settings, "check")
    assert ok.returncode == 0 and "agree" in ok.stdout
    runtime = Runtime.open(cli_settings)
    with runtime.sessions.scope() as s:
        uids = sorted(c.uid for c in s.exec(select(Case)))
    runtime.catalog.delete_case(uids[0])
    runtime.close()
    broken = run(cli_settings, "check")
    assert broken.returncode == 1 and f"catalog missing: {uids[0]}:current" in broken.stdout
    assert "Traceback" not in broken.stderr
    fixed = run(cli_settings, "check", "--repair")
    assert fixed.returncode == 0 and "repaired 1 case(s)" in fixed.stdout
    rebuilt = run(cli_settings, "reindex")
    assert rebuilt.returncode == 0 and f"for {len(uids)} cases" in rebuilt.stdout, rebuilt.stderr
    assert run(cli_settings, "check").returncode == 0
