"""Where per-file work runs: inline for small imports, or on a process pool (both cores).

De-identification, hashing and preview rendering are CPU bound and the GIL would serialise
them in threads. The pool uses forkserver: its children never inherit the caller's threads
(web server, C-STORE receiver) or open database connections, and preloading the worker module
keeps their start cheap.
"""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor

from pydicom.dataset import Dataset

from importers.deid import Deidentifier
from importers.series_previews import KINDS, PRELOAD_LIMIT, PreviewKeys, build_previews
from importers.sources import SourceFile
from importers.summary import FileProblem
from importers.worker import (
    FileJob,
    Prepared,
    StoredFile,
    WorkerConfig,
    burned_in_task,
    init_worker,
    prepare_task,
    preview_part_task,
    previews_task,
    process,
    process_with,
    read_grouping_header,
)
from media.store import ContentStore

PARALLEL_FROM = 16  # below this many files an import is quicker done than a pool is started


class Jobs:
    """Runs file jobs inline or on a process pool started on first need and kept for the import."""

    def __init__(self, config: WorkerConfig, workers: int) -> None:
        self.config, self.workers = config, workers
        self._pool: Executor | None = None
        self._deid = Deidentifier(config.secret)
        self._store = ContentStore(config.store_root)

    def start(self, total_files: int) -> None:
        """A pool only pays for itself with enough work: below PARALLEL_FROM files, all runs inline."""
        if self.workers >= 2 and total_files >= PARALLEL_FROM and self._pool is None:
            self._pool = ProcessPoolExecutor(
                self.workers, mp_context=pool_context(), initializer=init_worker, initargs=(self.config,)
            )

    @property
    def parallel(self) -> bool:
        return self._pool is not None

    def headers(self, sources: list[SourceFile]) -> Iterator[Dataset | FileProblem]:
        """Each source's grouping header, or its problem, read here. With a pool, the importer
        has files on disk prepared in one pass instead (see prepare) and reads only the rest."""
        return (read_grouping_header(source) for source in sources)

    def prepare(self, jobs: list[FileJob]) -> Iterator[Prepared]:
        """Files on disk read, checked, de-identified and staged in one pass each, on the pool."""
        assert self._pool is not None, "single-pass preparation is the pool's (see Importer._scan)"
        return self._pool.map(prepare_task, jobs, chunksize=self._chunksize(len(jobs)))

    def burned_in(self, stored: StoredFile, staged: str) -> Callable[[], StoredFile | FileProblem]:
        """The OCR that prepare() left pending, started now on the pool; call for its result."""
        if self._pool is None:
            return lambda: burned_in_task(stored, staged)
        future = self._pool.submit(burned_in_task, stored, staged)
        return future.result

    def run(self, jobs: list[FileJob]) -> Iterator[StoredFile | FileProblem]:
        if self._pool is None:
            return (process_with(job, self._deid, self._store) for job in jobs)
        return self._pool.map(process, jobs, chunksize=self._chunksize(len(jobs)))

    def _chunksize(self, jobs: int) -> int:
        """Few round trips, but enough chunks that neither worker idles at the end."""
        return max(1, min(8, jobs // (4 * self.workers)))

    def previews(
        self, series_keys: list[list[str]], series_frames: list[list[int]] | None = None
    ) -> Callable[[], list[PreviewKeys]]:
        """Previews of each series: submitted to the pool now (rendered while the next study is
        de-identified), or rendered inline when asked for. series_frames: each file's frame
        count, which saves a long series' renderers reading every header to count them."""
        if self._pool is None:
            return lambda: [build_previews(self._store, keys) for keys in series_keys]
        pool = self._pool
        frames: list[list[int] | None] = list(series_frames) if series_frames else [None] * len(series_keys)
        futures = [
            [pool.submit(preview_part_task, keys, kind, counts) for kind in KINDS]
            if len(keys) > PRELOAD_LIMIT
            else pool.submit(previews_task, keys)
            for keys, counts in zip(series_keys, frames, strict=True)
        ]

        def collect() -> list[PreviewKeys]:
            return [
                PreviewKeys(*(part.result() for part in item)) if isinstance(item, list) else item.result()
                for item in futures
            ]

        return collect

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)


def pool_context() -> multiprocessing.context.BaseContext:
    """The multiprocessing context of import workers (forkserver on Linux, preloading the worker)."""
    if sys.platform.startswith("linux"):
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["importers.worker"])
        return ctx
    return multiprocessing.get_context("spawn")
