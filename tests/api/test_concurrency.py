"""Twenty concurrent editors on a few cases, through `lightbox serve --workers 2` on PostgreSQL.

Each editor reads a case's version and saves an edit against it. No update may be lost: every
save either lands (and becomes exactly one version) or is refused with VERSION_CONFLICT, and
each case's final version is 1 + the number of saves that landed on it.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from sqlmodel import Session, col, select

from api.db import SessionFactory, make_engine
from api.settings import Settings
from content import events
from content.cases.models import Case, CaseVersion
from content.cases.service import create_case, update_case
from content.cases.transitions import transition
from content.workflow import Transition
from schema.core.ids import to_global_id
from tests.content import factories as f
from tests.helpers import free_port, graphql_data

PG_SERVER = os.environ.get("LIGHTBOX_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")
ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery"
EDITORS, ROUNDS, CASES = 20, 6, 3

READ = "query($id: ID!) { node(id: $id) { ... on Case { version } } }"
UPDATE = """mutation($input: UpdateCaseInput!) {
  updateCase(input: $input) { case { id version } errors { field message code } }
}"""
LOGIN = """mutation($u: String!, $p: String!) {
  login(input: {username: $u, password: $p}) { token errors { code message } }
}"""


@pytest.fixture
def pg_settings(tmp_path: Path) -> Iterator[Settings]:
    name = f"lightbox_conc_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield Settings(data_dir=tmp_path / "data", database_url=f"{PG_SERVER}/{name}", secret_key="c" * 40)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _env(settings: Settings) -> dict[str, str]:
    return {
        **os.environ,
        "LIGHTBOX_DATA_DIR": str(settings.data_dir),
        "LIGHTBOX_DATABASE_URL": settings.db_url,
        "LIGHTBOX_SECRET_KEY": settings.secret_key or "",
    }


def _seed(settings: Settings) -> list[str]:
    """Four trainers and three cases: a draft, a submitted one and a validated one (edits make a working copy)."""
    engine = make_engine(settings)
    sessions = SessionFactory(engine, events.EventBus())
    with sessions.scope() as session:
        f.curriculum(session)
        coll = f.collection(session)
        trainers = [f.person(session, f"editor{n}", "trainer")[1] for n in range(4)]
        _, checker = f.person(session, "checker", "validator")
        uids = []
        for n in range(CASES):
            case = create_case(
                collection_uid=coll, fields={"title": f"Case {n}"}, session=session, principal=trainers[0]
            )
            case = update_case(
                case.uid, expected_version=1, changes={"findings": "seed"}, session=session, principal=trainers[0]
            )
            steps = [[], [Transition.SUBMIT], [Transition.SUBMIT, Transition.VALIDATE]][n]
            for step in steps:
                transition(
                    case.uid, step, session=session, principal=checker if step is Transition.VALIDATE else trainers[0]
                )
            uids.append(case.uid)
    engine.dispose()
    return uids


@pytest.fixture
def server(pg_settings: Settings, tmp_path: Path) -> Iterator[tuple[str, list[str]]]:
    env = _env(pg_settings)
    subprocess.run([sys.executable, "-m", "api.cli", "migrate"], env=env, cwd=ROOT, check=True, capture_output=True)
    uids = _seed(pg_settings)
    port = free_port()
    log = (tmp_path / "server.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--workers", "2", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert proc.poll() is None, (tmp_path / "server.log").read_text()[-3000:]
            try:
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.3)
        yield url, uids
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # the group this test started: uvicorn's supervisor and workers
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


def _editor(
    url: str,
    token: str,
    n: int,
    case_ids: list[str],
    outcomes: list[tuple[str, str, str, int | None]],
    lock: threading.Lock,
) -> None:
    rng = random.Random(n)
    with httpx.Client(base_url=url, timeout=60) as client:
        for k in range(ROUNDS):
            case_id = rng.choice(case_ids)
            version = graphql_data(client, READ, {"id": case_id}, token)["node"]["version"]
            tag = f"editor{n}-round{k}"
            payload = graphql_data(
                client,
                UPDATE,
                {"input": {"id": case_id, "expectedVersion": version, "findings": tag, "comment": tag}},
                token,
            )["updateCase"]
            errors = [e["code"] for e in payload["errors"]]
            if payload["case"] is not None and not errors:
                outcome: tuple[str, str, str, int | None] = (case_id, tag, "saved", payload["case"]["version"])
            else:
                outcome = (case_id, tag, ",".join(errors) or "no case, no error", None)
            with lock:
                outcomes.append(outcome)


def test_concurrent_editors_lose_no_update(server: tuple[str, list[str]], pg_settings: Settings) -> None:
    url, uids = server
    with httpx.Client(base_url=url, timeout=60) as client:
        tokens = [graphql_data(client, LOGIN, {"u": f"editor{n}", "p": PASSWORD})["login"]["token"] for n in range(4)]
    assert all(tokens)
    case_ids = [to_global_id("Case", uid) for uid in uids]
    outcomes: list[tuple[str, str, str, int | None]] = []
    lock = threading.Lock()
    threads = [
        threading.Thread(target=_editor, args=(url, tokens[n % 4], n, case_ids, outcomes, lock)) for n in range(EDITORS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(outcomes) == EDITORS * ROUNDS  # no editor died on an unexpected response
    assert {kind for _, _, kind, _ in outcomes} <= {"saved", "VERSION_CONFLICT"}, outcomes
    saved = [o for o in outcomes if o[2] == "saved"]
    assert saved and len(saved) < len(outcomes)  # the race really happened, both ways

    engine = make_engine(pg_settings)
    with Session(engine) as session:
        for uid, case_id in zip(uids, case_ids, strict=True):
            mine = {tag: version for cid, tag, kind, version in saved if cid == case_id}
            case = session.exec(select(Case).where(col(Case.uid) == uid)).one()
            rows = list(
                session.exec(
                    select(CaseVersion).where(col(CaseVersion.case_uid) == uid).order_by(col(CaseVersion.version))
                )
            )
            seeded = 2 + [0, 1, 2][uids.index(uid)]  # create, one edit, then the transitions
            assert case.version == seeded + len(mine)
            assert [r.version for r in rows] == list(range(1, case.version + 1))  # no gap, no duplicate
            # Every save the server acknowledged is exactly the version it reported, with its own edit.
            landed = {r.comment: r.version for r in rows[seeded:]}
            assert landed == mine
            assert all(r.data["findings"] == r.comment for r in rows[seeded:])
            assert case.findings == rows[-1].data["findings"]
    engine.dispose()
    # The catalog was updated after each commit by whichever worker saved: it must hold the last versions.
    check = subprocess.run(
        [sys.executable, "-m", "api.cli", "check"], env=_env(pg_settings), cwd=ROOT, capture_output=True, text=True
    )
    print(f"saved {len(saved)} of {len(outcomes)}; check: {check.stdout}{check.stderr}")
    assert check.returncode == 0, check.stdout + check.stderr
