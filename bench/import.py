"""Import throughput against Orthanc's own REST ingest of the same files, measured in the same run.

    .venv/bin/python bench/import.py [--slices 500] [--size 512] [--workers 2] [--orthanc-clients 2] [--rounds 2]

Lightbox: scan, de-identify (2 processes), store content-addressed, render previews, one
commit per study, into a fresh SQLite data dir. Orthanc: `POST /instances` of every file to a
local Orthanc (Debian package) with a fresh storage folder, from N concurrent clients. Files
are a synthesised CT series plus the real pydicom and pydicom-data test files. The two run
alternately, `--rounds` times each into fresh folders, and the best round of each is compared:
on a shared machine, other load slows whichever happens to run beside it.
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

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from api import migrate
from api.db import SessionFactory, make_engine
from api.settings import Settings
from content import events
from content.collections.service import create_collection
from content.principal import SYSTEM
from importers.pipeline import ImportTarget, import_paths
from importers.synth import synth_ct_series, write_series
from media.store import ContentStore
from tests.importers.conftest import DATA_STORE_FILES, PYDICOM_FILES
from tests.importers.orthanc import start_orthanc


def corpus(folder: Path, slices: int, size: int) -> list[Path]:
    ct = write_series(synth_ct_series(slices, size), folder / "ct")
    real = sorted([*PYDICOM_FILES.glob("*.dcm"), *DATA_STORE_FILES.glob("*.dcm")])
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


def lightbox(files: list[Path], root: Path, workers: int) -> tuple[float, float, str]:
    settings = Settings(data_dir=root, secret_key="b" * 40)
    engine = make_engine(settings)
    migrate.upgrade(engine)
    sessions = SessionFactory(engine, events.EventBus())
    with sessions.scope() as session:
        collection = create_collection(title="Bench", parent_uid=None, slug=None, session=session, principal=SYSTEM)
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
    engine.dispose()
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
    parser.add_argument("--slices", type=int, default=500)
    parser.add_argument("--size", type=int, default=512)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--orthanc-clients", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="lightbox-bench-") as tmp:
        root = Path(tmp)
        files = corpus(root / "files", args.slices, args.size)
        megabytes = sum(p.stat().st_size for p in files) / 1e6
        print(f"corpus: {len(files)} files, {megabytes:.1f} MB ({args.slices}-slice {args.size}px CT + test files)")
        lb_best = or_best = (float("inf"), 0.0)
        for round_ in range(1, args.rounds + 1):
            lb_seconds, lb_cpu, lb_text = lightbox(files, root / f"lightbox-{round_}", args.workers)
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
        print(f"ratio (lightbox speed / orthanc speed): {or_best[0] / lb_best[0]:.2f}")
        print(f"CPU ratio (orthanc CPU / lightbox CPU): {or_best[1] / max(lb_best[1], 1e-9):.2f}")


if __name__ == "__main__":
    main()
