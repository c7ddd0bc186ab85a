"""kill -9 during a version save, a reindex and an import: the repository stays consistent.

Each fault runs the real work in a child process (through the same services and catalog the
commands use), SIGKILLs its whole process group at a seeded point of its progress, then proves
the database, the catalog and the media store agree (`content.integrity`, `lightbox check
--repair`, `lightbox check`) and that running the work again completes it.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, func, select
from typer.testing import CliRunner

from api.cli import app as lightbox
from api.db import SessionFactory, make_engine
from api.settings import Settings
from content.cases.models import Case, CaseVersion
from content.cases.service import create_case
from content.imaging.models import Instance, Series, Study
from content.integrity import check_repository
from content.principal import SYSTEM
from importers.synth import SynthStudy, synth_ct_series, write_series
from media.store import ContentStore
from tests.content import factories as f

ROOT = Path(__file__).resolve().parents[2]
SECRET = "k" * 40

# The child: does `mode` through the services, printing "tick N" after each unit of work.
WORKER = r"""
import sys
from api.runtime import Runtime
from api.settings import Settings
from content.principal import SYSTEM

mode, count = sys.argv[1], int(sys.argv[2])
runtime = Runtime.open(Settings())

def tick(n):
    print(f"tick {n}", flush=True)

if mode == "edits":
    from sqlmodel import select
    from content.cases.models import Case
    from content.cases.service import update_case
    with runtime.sessions.scope() as session:
        uids = sorted(session.exec(select(Case.uid)))
    for n in range(count):
        with runtime.sessions.scope() as session:
            case = session.get(Case, uids[n % len(uids)])
            update_case(case.uid, expected_version=case.version, changes={"findings": f"save {n}"},
                        comment=f"save {n}", session=session, principal=SYSTEM)
        tick(n)
elif mode == "reindex":  # what `lightbox reindex` does, with a tick per catalog document
    from search.projection import all_documents
    def documents(session):
        for n, doc in enumerate(all_documents(session)):
            tick(n)
            yield doc
    with runtime.sessions.scope() as session:
        runtime.catalog.rebuild(documents(session))
elif mode == "import":
    from importers.pipeline import ImportTarget, import_paths
    from media.store import ContentStore
    with runtime.sessions.scope() as session:
        summary = import_paths([sys.argv[3]], target=ImportTarget(sys.argv[4]), session=session, principal=SYSTEM,
                               store=ContentStore(runtime.settings.media_dir), secret=runtime.settings.secret(),
                               progress=lambda p: tick(p.done) if p.phase == "import" else None)
    print(summary.text(), flush=True)
runtime.indexer.wait_idle(30)
runtime.close()
print("done", flush=True)
"""


def _env(settings: Settings) -> dict[str, str]:
    return {
        **os.environ,
        "LIGHTBOX_DATA_DIR": str(settings.data_dir),
        "LIGHTBOX_DATABASE_URL": settings.db_url,
        "LIGHTBOX_SECRET_KEY": SECRET,
    }


def _start(settings: Settings, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WORKER, *args],
        env=_env(settings),
        cwd=ROOT,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def kill_at(settings: Settings, seed: int, low: int, high: int, *args: str) -> int:
    """Run the child until its seeded tick, then kill -9 it and every process it started; the ticks seen."""
    rng = random.Random(seed)
    at = rng.randint(low, high)
    proc = _start(settings, *args)
    assert proc.stdout is not None
    seen, output = 0, []
    for line in proc.stdout:
        output.append(line)
        if line.startswith("tick "):
            seen += 1
            if seen >= at:
                break
    os.killpg(proc.pid, signal.SIGKILL)  # the group this test started: the child and any pool workers
    proc.wait()
    proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL, "".join(output)[-3000:]  # killed mid-work, not finished
    return seen


def run_to_end(settings: Settings, *args: str) -> str:
    proc = subprocess.run(
        [sys.executable, "-c", WORKER, *args], env=_env(settings), cwd=ROOT, text=True, capture_output=True, timeout=120
    )
    assert proc.returncode == 0 and "done" in proc.stdout, proc.stdout + proc.stderr
    return proc.stdout


def command(settings: Settings, *args: str) -> Any:
    return CliRunner().invoke(lightbox, list(args), env=_env(settings))


def assert_consistent(settings: Settings) -> None:
    """Database and media agree with themselves; the catalog is repaired and then agrees too."""
    engine = make_engine(settings)
    with Session(engine) as session:
        assert check_repository(session, has_blob=ContentStore(settings.media_dir).has) == []
    engine.dispose()
    repaired = command(settings, "check", "--repair")
    assert repaired.exit_code == 0, repaired.output
    checked = command(settings, "check")
    assert checked.exit_code == 0 and "agree" in checked.output, checked.output


def _total_versions(settings: Settings) -> tuple[int, int]:
    engine = make_engine(settings)
    with Session(engine) as session:
        cases = session.exec(select(func.sum(Case.version))).one()
        rows = session.exec(select(func.count()).select_from(CaseVersion)).one()
    engine.dispose()
    return int(cases or 0), int(rows)


def _seed_cases(sessions: SessionFactory, n: int) -> str:
    with sessions.scope() as session:
        f.curriculum(session)
        coll = f.collection(session)
        for k in range(n):
            create_case(
                collection_uid=coll,
                fields={"title": f"Stroke case {k}", "findings": "seed"},
                session=session,
                principal=SYSTEM,
                commit=False,
            )
        session.commit()
    return coll


def test_kill_during_version_saves(sessions: SessionFactory, settings: Settings) -> None:
    _seed_cases(sessions, 4)
    seen = kill_at(settings, 7, 5, 25, "edits", "1000")
    versions, rows = _total_versions(settings)
    # Each acknowledged save landed whole; at most the one in flight committed before its tick.
    assert versions == rows and versions - 4 in (seen, seen + 1)
    assert_consistent(settings)
    run_to_end(settings, "edits", "10")
    assert _total_versions(settings)[0] == versions + 10
    assert_consistent(settings)


def test_kill_during_reindex(sessions: SessionFactory, settings: Settings) -> None:
    _seed_cases(sessions, 60)
    kill_at(settings, 11, 5, 40, "reindex", "0")
    assert_consistent(settings)
    result = command(settings, "reindex")
    assert result.exit_code == 0 and "60 cases" in result.output, result.output
    assert_consistent(settings)


def _studies(settings: Settings) -> int:
    engine = make_engine(settings)
    with Session(engine) as session:
        count = session.exec(select(func.count()).select_from(Study)).one()
    engine.dispose()
    return int(count)


def test_kill_during_import(sessions: SessionFactory, settings: Settings, tmp_path: Path) -> None:
    coll = _seed_cases(sessions, 1)
    folder = tmp_path / "incoming"
    for seed in range(4):
        write_series(synth_ct_series(6, 32, study=SynthStudy(seed=seed)), folder / f"study-{seed}")
    # Four studies of six files; a study commits once the next one is read, so by tick 13 the
    # first has committed and the kill lands in the middle of the import.
    kill_at(settings, 3, 13, 20, "import", "0", str(folder), coll)
    before = _studies(settings)
    assert 1 <= before <= 4
    assert_consistent(settings)
    out = run_to_end(settings, "import", "0", str(folder), coll)
    assert f"{4 - before} studies imported" in out and "0 failed" in out, out
    assert _studies(settings) == 4
    engine = make_engine(settings)
    with Session(engine) as session:
        per_series = session.exec(
            select(Series.instance_count, func.count(col(Instance.uid)))
            .join(Instance, col(Instance.series_uid) == Series.uid)
            .group_by(col(Series.uid))
        ).all()
        assert sorted(tuple(r) for r in per_series) == [(6, 6)] * 4
    engine.dispose()
    assert_consistent(settings)
