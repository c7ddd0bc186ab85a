"""Import time against Orthanc's own REST ingest of the same files, measured in the same run.

    .venv/bin/python bench/import.py [--corpus ct|mixed] [--slices 600] [--size 512]
        [--database sqlite|postgres] [--workers 2] [--orthanc-clients 2] [--rounds 2]

Lightbox: what `lightbox import` does, through the same runtime (catalog indexing included, so
each case is searchable when the import returns): scan, de-identify (2 processes), store
content-addressed, one commit per study, into a fresh data dir and database. Previews: on
SQLite the import renders them itself before it returns; on PostgreSQL the job queue is on
(LIGHTBOX_JOB_QUEUE) and they are jobs left for a worker, as in production.
Orthanc: `POST /instances` of every file to a local Orthanc (Debian package) with a fresh
storage folder, from N concurrent clients. Files: a synthesised CT series (`--corpus ct`, the
goal of issue 17), plus the real pydicom and pydicom-data test files (`--corpus mixed`; many
need OCR). The two run alternately, `--rounds` times each into fresh folders, and the best
round of each is compared: on a shared machine, other load slows whichever runs beside it.
The goal is a ratio (Lightbox time / Orthanc time) of at most 1.0.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from api import migrate
from api.db import make_engine
from api.runtime import Runtime
from api.settings import Settings
from content.collections.service import create_collection
from content.principal import SYSTEM
from importers.pipeline import ImportTarget, import_paths
from importers.synth import synth_ct_series, write_series
from media.store import ContentStore
from tests.importers.conftest import DATA_STORE_FILES, PYDICOM_FILES
from tests.importers.orthanc import start_orthanc

PG_SERVER = os.environ.get("LIGHTBOX_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")


def corpus(folder: Path, slices: int, size: int, kind: str) -> list[Path]:
    ct = write_series(synth_ct_series(slices, size), folder / "ct")
    real = sorted([*PYDICOM_FILES.glob("*.dcm"), *DATA_STORE_FILES.glob("*.dcm")]) if kind == "mixed" else []
    return [*ct, *real]


def _proc_cpu(pid: int, *, children: bool = False) -> float:
    """utime + stime (and reaped children's, if asked) of a process, in seconds, from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    ticks = int(fields[11]) + int(fields[12]) + (int(fields[13]) + int(fields[14]) if children else 0)
    return ticks / os.sysconf("SC_CLK_TCK")


def _lightbox_cpu() -> float:
    """This process plus the forkserver, whose reaped children are the import's workers."""
    import multiprocessing.forkserver as forkserver
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    pid = getattr(getattr(forkserver, "_forkserver", None), "_forkserver_pid", None)
    return usage.ru_utime + usage.ru_stime + (_proc_cpu(pid, children=True) if pid else 0.0)


def _settings(root: Path, database: str) -> tuple[Settings, str | None]:
    """A fresh data dir, and on PostgreSQL a fresh database (its name, to drop afterwards)."""
    if database == "sqlite":
        return Settings(data_dir=root, secret_key="b" * 40), None
    name = f"lightbox_bench_import_{os.getpid()}_{root.name}".lower().replace("-", "_")
    admin = sa.create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = f"{PG_SERVER}/{name}"
    return Settings(data_dir=root, secret_key="b" * 40, database_url=url, job_queue=True), name


def _drop(name: str | None) -> None:
    if name is None:
        return
    admin = sa.create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def lightbox(files: list[Path], root: Path, workers: int, database: str) -> tuple[float, float, str]:
    settings, database_name = _settings(root, database)
    try:
        engine = make_engine(settings)
        migrate.upgrade(engine)
        engine.dispose()
        runtime = Runtime.open(settings)
        try:
            with runtime.sessions.scope() as session:
                collection = create_collection(
                    title="Bench", parent_uid=None, slug=None, session=session, principal=SYSTEM
                )
                started, cpu = time.perf_counter(), _lightbox_cpu()
                summary = import_paths(
                    files,
                    target=ImportTarget(collection.uid),
                    session=session,
                    principal=SYSTEM,
                    store=ContentStore(settings.media_dir),
                    secret=settings.secret(),
                    workers=workers,
                )
                seconds = time.perf_counter() - started
            cpu = _lightbox_cpu() - cpu  # read after the pool has shut down and its workers were reaped
        finally:
            runtime.close()
            runtime.engine.dispose()
    finally:
        _drop(database_name)
    return seconds, cpu, summary.text()


def orthanc(files: list[Path], root: Path, clients: int) -> tuple[float, float, int]:
    server = start_orthanc(root)
    try:
        http = httpx.Client(timeout=120, limits=httpx.Limits(max_connections=clients))

        def post(path: Path) -> bool:
            response = http.post(
                f"{server.url}/instances", content=path.read_bytes(), headers={"Content-Type": "application/dicom"}
            )
            return response.status_code == 200

        started, cpu = time.perf_counter(), _proc_cpu(server.process.pid)
        with ThreadPoolExecutor(clients) as pool:
            accepted = sum(pool.map(post, files))
        return time.perf_counter() - started, _proc_cpu(server.process.pid) - cpu, accepted
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", choices=("ct", "mixed"), default="ct")
    parser.add_argument("--slices", type=int, default=600)
    parser.add_argument("--size", type=int, default=512)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--orthanc-clients", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="lightbox-bench-") as tmp:
        root = Path(tmp)
        files = corpus(root / "files", args.slices, args.size, args.corpus)
        megabytes = sum(p.stat().st_size for p in files) / 1e6
        extra = " + test files" if args.corpus == "mixed" else ""
        print(f"corpus: {len(files)} files, {megabytes:.1f} MB ({args.slices}-slice {args.size}px CT{extra})")
        lb_best = or_best = (float("inf"), 0.0)
        for round_ in range(1, args.rounds + 1):
            lb_seconds, lb_cpu, lb_text = lightbox(files, root / f"lightbox-{round_}", args.workers, args.database)
            or_seconds, or_cpu, accepted = orthanc(files, root / f"orthanc-{round_}", args.orthanc_clients)
            lb_best, or_best = min(lb_best, (lb_seconds, lb_cpu)), min(or_best, (or_seconds, or_cpu))
            print(
                f"round {round_}: lightbox {lb_seconds:.2f} s, {lb_cpu:.2f} CPU s ({lb_text}); "
                f"orthanc {or_seconds:.2f} s, {or_cpu:.2f} CPU s ({accepted} accepted)"
            )
        for name, (seconds, cpu) in (("lightbox", lb_best), ("orthanc", or_best)):
            rate = f"{len(files) / seconds:6.1f} files/s  {megabytes / seconds:6.1f} MB/s"
            per_file = f"{cpu:.2f} CPU s, {1000 * cpu / len(files):.1f} ms a file"
            print(f"{name:<9} best {seconds:6.2f} s  {rate}  ({per_file})")
        previews = "previews rendered by the import" if args.database == "sqlite" else "previews queued as jobs"
        setting = (
            f"{args.database}, {previews}, {args.workers} workers, corpus {args.corpus}, "
            f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        )
        print(f"ratio (lightbox time / orthanc time, goal <= 1.0): {lb_best[0] / or_best[0]:.2f}  [{setting}]")
        print(f"CPU ratio (lightbox CPU / orthanc CPU): {lb_best[1] / max(or_best[1], 1e-9):.2f}")


if __name__ == "__main__":
    main()
