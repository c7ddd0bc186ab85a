"""Content-addressed blobs and cached renditions under one root folder.

Layout: `<root>/blobs/ab/cd/abcd…` (sha256 of the bytes) and `<root>/renditions/ab/cd/…`
(a `RenderOptions.cache_key`). Writes go to a temporary file in the target folder and
are moved into place with `os.replace`, so a reader sees a whole file or none, and two
writers of the same key both succeed with the same bytes.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, cast

from media.errors import ErrorCode, StoreError

_KEY = re.compile(r"[0-9a-f]{64}")
_CHUNK = 1 << 20
STAGING = "staging"
STAGED_MAX_AGE_SECONDS = 24 * 3600.0


def _load_syncfs() -> Callable[[int], int] | None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return cast(Callable[[int], int], libc.syncfs)
    except (OSError, AttributeError):
        return None


_syncfs = _load_syncfs()


def _check(key: str) -> str:
    # Keys arrive from URLs: refusing anything but 64 hex digits rules out path tricks.
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        raise StoreError(ErrorCode.INVALID_INPUT, "a key is 64 lower-case hex digits", field="key")
    return key


class ContentStore:
    """Blobs addressed by sha256; the root comes from settings, nothing is opened at import."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    def _path(self, area: str, key: str) -> Path:
        _check(key)
        return self.root / area / key[:2] / key[2:4] / key

    def _write(self, target: Path, chunks: list[bytes] | BinaryIO, *, durable: bool = True) -> None:
        temp = self._write_temp(target.parent, ".tmp-", chunks, durable=durable)
        try:
            os.replace(temp, target)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise

    def _write_temp(self, folder: Path, prefix: str, chunks: list[bytes] | BinaryIO, *, durable: bool) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=folder, prefix=prefix)
        try:
            with os.fdopen(fd, "wb") as out:
                if isinstance(chunks, list):
                    out.writelines(chunks)
                else:
                    shutil.copyfileobj(chunks, out, _CHUNK)
                out.flush()
                if durable:
                    os.fsync(out.fileno())
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        return Path(temp)

    # Blobs --------------------------------------------------------------------------

    def path_for(self, key: str) -> Path:
        return self._path("blobs", key)

    def put(self, data: bytes) -> str:
        key = hashlib.sha256(data).hexdigest()
        if not self.has(key):  # content-addressed: same key, same bytes, nothing to redo
            self._write(self.path_for(key), [data])
        return key

    def put_file(self, path: str | os.PathLike[str]) -> str:
        """Store a file by streaming it twice (hash, then copy): never all in memory."""
        digest = hashlib.sha256()
        with open(path, "rb") as source:
            for chunk in iter(lambda: source.read(_CHUNK), b""):
                digest.update(chunk)
            key = digest.hexdigest()
            if not self.has(key):
                source.seek(0)
                self._write(self.path_for(key), source)
        return key

    # Staging: a parallel import's workers write each de-identified file once, before the
    # importer has decided whether to keep it (its study or instance may be in the archive
    # already, or the import may stop). Only adopt() turns a staged file into a blob, so a
    # blob deleted on purpose (a rejected burned-in image) is never brought back by a re-run.

    def stage(self, data: bytes, *, durable: bool = True) -> tuple[str, str]:
        """Write bytes beside the blobs, not yet one: (their key, the staged path). With
        durable=False the caller makes them durable with `sync()` before anything refers to them."""
        key = hashlib.sha256(data).hexdigest()
        return key, str(self._write_temp(self.root / STAGING, f"{key[:16]}-", [data], durable=durable))

    def sync(self) -> None:
        """Make everything written to the store's filesystem durable (files and renames): one
        syncfs(2) instead of an fsync per file, which cost a 600-file study 4 s of waiting."""
        fd = os.open(self.root, os.O_RDONLY)
        try:
            if _syncfs is None or _syncfs(fd) != 0:
                os.sync()  # no syncfs here (not Linux), or it failed: every filesystem, still correct
        finally:
            os.close(fd)

    def adopt(self, key: str, staged: str) -> str:
        """Make a staged file the blob `key` (a rename), or drop it when the blob is there."""
        source = self._staged(staged)
        target = self.path_for(key)
        if target.is_file():
            source.unlink(missing_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)
        return key

    def drop_staged(self, staged: str) -> None:
        """Delete a staged file the import did not keep."""
        self._staged(staged).unlink(missing_ok=True)

    def sweep_staging(self, older_than_seconds: float = STAGED_MAX_AGE_SECONDS) -> int:
        """Delete staged files older than this: left by an import whose process died between its
        scan and its commit (de-identified, not yet checked for burned-in text, served by nothing).
        A running import adopts or drops its own within minutes; a day leaves every one alone."""
        folder = self.root / STAGING
        if not folder.is_dir():
            return 0
        cutoff = time.time() - older_than_seconds
        swept = 0
        for path in folder.iterdir():
            try:
                if path.is_file() and path.stat().st_mtime < cutoff:
                    path.unlink()
                    swept += 1
            except FileNotFoundError:  # adopted or dropped meanwhile
                continue
        return swept

    def _staged(self, staged: str) -> Path:
        path = Path(staged)
        if path.parent != self.root / STAGING:  # only ever a file stage() wrote
            raise StoreError(ErrorCode.INVALID_INPUT, "not a staged file", field="staged")
        return path

    def discard(self, key: str) -> bool:
        """Delete a blob (a redacted or rejected original); True if it was there."""
        path = self.path_for(key)
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        return True

    def has(self, key: str) -> bool:
        return self.path_for(key).is_file()

    def open(self, key: str) -> BinaryIO:
        try:
            return self.path_for(key).open("rb")
        except FileNotFoundError as exc:
            raise StoreError(ErrorCode.NOT_FOUND, f"no blob {key}", field="key") from exc

    def get(self, key: str) -> bytes:
        with self.open(key) as handle:
            return handle.read()

    # Renditions ---------------------------------------------------------------------

    def rendition_path(self, cache_key: str) -> Path:
        return self._path("renditions", cache_key)

    def put_rendition(self, cache_key: str, data: bytes) -> Path:
        """Renditions are a cache that can be rendered again, so no fsync: it cost ~3 ms,
        as much as a render. A crash may leave an empty file, which reads as a miss."""
        target = self.rendition_path(cache_key)
        self._write(target, [data], durable=False)
        return target

    def get_rendition(self, cache_key: str) -> bytes | None:
        try:
            return self.rendition_path(cache_key).read_bytes() or None
        except FileNotFoundError:
            return None
