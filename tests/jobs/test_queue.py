"""The job queue (procrastinate on PostgreSQL): an import defers its previews and returns with its case
searchable; a worker renders them; `lightbox jobs` counts them; a failed catalog update is a retried job.

The queue lives in PostgreSQL (workers on other machines share it), so these run on PostgreSQL only;
on SQLite the embedded default renders previews inside the import (tests/importers, unchanged), and a
queue asked for is refused with a clear message (tested here).
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from procrastinate import App, PsycopgConnector
from sqlmodel import select
from typer.testing import CliRunner

from api.cli import app as cli
from api.db import make_engine
from api.runtime import Runtime
from api.settings import Settings
from content.imaging.models import Series
from importers.synth import synth_ct_series, write_series
from jobs.queue import PREVIEWS, QUEUE, conninfo, queue_report
from media.store import ContentStore
from tests.conftest import _truncate
from tests.importers.importing import make_collection, run_import


def empty_queue(settings: Settings) -> None:
    engine = make_engine(settings)
    _truncate(engine)
    with engine.begin() as conn:
        conn.execute(sa.text("TRUNCATE procrastinate_jobs RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def queued(migrated: dict[str, Settings], tmp_path: Path) -> Iterator[Runtime]:
    base = migrated["postgresql"]
    settings = base.model_copy(update={"data_dir": tmp_path / "data", "database_url": base.db_url, "job_queue": True})
    empty_queue(settings)
    runtime = Runtime.open(settings)
    yield runtime
    runtime.close()


def _series(runtime: Runtime) -> list[Series]:
    with runtime.sessions.scope() as session:
        return list(session.exec(select(Series)))


def test_an_import_returns_searchable_and_a_worker_renders_its_previews(queued: Runtime, tmp_path: Path) -> None:
    settings = queued.settings
    collection = make_collection(queued.sessions)
    paths = write_series(synth_ct_series(8, 64), tmp_path / "in")
    summary = run_import(queued.sessions, ContentStore(settings.media_dir), paths, collection, workers=1)
    assert summary.imported == 8
    case_uid = summary.studies[0].case_uid
    assert case_uid and any(doc.startswith(case_uid) for doc in queued.catalog.versions())  # searchable now
    assert [(s.thumbnail_key, s.montage_key, s.cine_key) for s in _series(queued)] == [(None, None, None)]
    with queued.sessions.scope() as session:
        report = queue_report(session)
    assert report.queue and report.counts["todo"] == 1 and report.counts["succeeded"] == 0

    assert queued.queue is not None
    queued.queue.run_worker(wait=False)  # what `lightbox worker --once` runs

    (series,) = _series(queued)
    store = ContentStore(settings.media_dir)
    assert series.thumbnail_key and series.montage_key and series.cine_key
    assert all(store.path_for(k).is_file() for k in (series.thumbnail_key, series.montage_key, series.cine_key))
    with queued.sessions.scope() as session:
        report = queue_report(session)
    assert report.counts["todo"] == 0 and report.counts["succeeded"] == 1 and report.failures == []


def test_a_waiting_job_is_not_queued_twice(queued: Runtime) -> None:
    assert queued.queue is not None
    queued.queue.defer_previews("1.2.3")
    queued.queue.defer_previews("1.2.3")  # same key while one waits: a no-op
    queued.queue.defer_previews("1.2.4")
    with queued.sessions.scope() as session:
        assert queue_report(session).counts["todo"] == 2
    queued.queue.run_worker(wait=False)  # a study that is gone has nothing to render: done, not failed
    with queued.sessions.scope() as session:
        assert queue_report(session).counts["succeeded"] == 2


def test_a_failed_catalog_update_becomes_a_retried_job(queued: Runtime) -> None:
    def down(uids: object) -> None:
        raise ConnectionError("catalog down")

    apply = queued.indexer.apply
    queued.indexer.apply = down  # type: ignore[method-assign,assignment]
    try:
        queued.indexer.refresh(["case-a"])
    finally:
        queued.indexer.apply = apply  # type: ignore[method-assign]
    assert queued.indexer.pending == frozenset()  # not this process's retry thread: a durable job
    with queued.sessions.scope() as session:
        assert queue_report(session).counts["todo"] == 1
    queued.queue.run_worker(wait=False)  # type: ignore[union-attr]
    with queued.sessions.scope() as session:
        assert queue_report(session).counts["succeeded"] == 1


def test_lightbox_jobs_lists_counts_and_failures(queued: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = queued.settings
    assert queued.queue is not None
    queued.queue.defer_previews("1.2.3")
    # A worker whose renderer always fails and never retries: the job ends failed, as ours does
    # once its retries are spent (hours of backoff, too long to wait for here).
    broken = App(connector=PsycopgConnector(conninfo=conninfo(settings.db_url)))

    @broken.task(name=PREVIEWS, queue=QUEUE)
    def study_previews(study_instance_uid: str) -> None:
        raise OSError("media store unreachable")

    # In a thread of its own, as JobQueue.run_worker does when the test process already runs an
    # event loop (a browser driver of another test file): procrastinate's asyncio.run cannot nest.
    worker = threading.Thread(
        target=lambda: broken.run_worker(queues=[QUEUE], wait=False, install_signal_handlers=False)
    )
    worker.start()
    worker.join()
    monkeypatch.setenv("LIGHTBOX_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("LIGHTBOX_DATABASE_URL", settings.db_url)
    monkeypatch.setenv("LIGHTBOX_SECRET_KEY", "t" * 40)
    result = CliRunner().invoke(cli, ["jobs"])
    assert result.exit_code == 0, result.output
    assert "todo: 0" in result.output and "failed: 1" in result.output
    assert f"failed #1 {PREVIEWS} previews:1.2.3 attempts=1" in result.output


def test_a_queue_on_sqlite_is_refused_and_jobs_says_there_is_none(
    migrated: dict[str, Settings], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = migrated["sqlite"]
    with pytest.raises(ValueError, match="needs PostgreSQL"):
        Runtime.open(base.model_copy(update={"job_queue": True}))
    monkeypatch.setenv("LIGHTBOX_DATA_DIR", str(base.data_dir))
    monkeypatch.delenv("LIGHTBOX_DATABASE_URL", raising=False)
    monkeypatch.setenv("LIGHTBOX_SECRET_KEY", "t" * 40)
    result = CliRunner().invoke(cli, ["jobs"])
    assert result.exit_code == 0, result.output
    assert "no job queue" in result.output
    monkeypatch.setenv("LIGHTBOX_JOB_QUEUE", "1")
    result = CliRunner().invoke(cli, ["worker", "--once"])
    assert result.exit_code == 1 and "LIGHTBOX_JOB_QUEUE needs PostgreSQL" in result.output


def test_migration_0013_goes_down_to_nothing_and_up_again(tmp_path: Path) -> None:
    from alembic import command

    from api import migrate
    from tests.conftest import PG_SERVER

    # Unique per run: a run killed midway leaves its database behind (tmp_path's name repeats).
    name = f"lightbox_test_mig_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(Settings(database_url=f"{PG_SERVER}/{name}", data_dir=tmp_path, secret_key="t" * 40))
    objects = (
        "SELECT (SELECT count(*) FROM pg_class WHERE relname LIKE 'procrastinate%')"
        " + (SELECT count(*) FROM pg_proc WHERE proname LIKE 'procrastinate%')"
        " + (SELECT count(*) FROM pg_type WHERE typname LIKE 'procrastinate%')"
    )
    try:
        migrate.upgrade(engine)
        with engine.connect() as conn:
            made = conn.execute(sa.text(objects)).scalar()
        assert made and made > 20
        config = migrate._config()
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0012")
        with engine.connect() as conn:
            assert conn.execute(sa.text(objects)).scalar() == 0
        migrate.upgrade(engine)
        with engine.connect() as conn:
            assert conn.execute(sa.text(objects)).scalar() == made
        assert migrate.is_current(engine)
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
