"""A series' thumbnail, montage and cine, rendered from its stored de-identified files.

Quarantined instances are left out: a preview is shown to trainees, and an image that may
carry a burned-in name must not reach them through a contact sheet.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Literal

import pydicom

from media import previews
from media.store import ContentStore

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PreviewKeys:
    thumbnail: str | None = None
    montage: str | None = None
    cine: str | None = None


class _Loaded(pydicom.Dataset):
    """A decoded stored file that names itself by path: the renderer logs its sources, and a
    whole dataset dump in a log line helps nobody."""

    path = ""

    def __str__(self) -> str:
        return self.path

    __repr__ = __str__


PRELOAD_LIMIT = 64  # series up to this many instances are decoded once, in memory


def _sources(store: ContentStore, file_keys: list[str]) -> list[previews.Source]:
    """Paths, or for short series decoded datasets: thumbnail, window, montage and cine each read
    their slices again, and decoding a compressed radiograph (JPEG 2000 at 2k x 2k) eight times
    instead of once is most of what an import of such files would cost."""
    paths = [str(store.path_for(key)) for key in file_keys]
    if len(paths) > PRELOAD_LIMIT:
        return list(paths)
    out: list[previews.Source] = []
    for path in paths:
        try:
            ds = pydicom.dcmread(path)
            if ds.file_meta.TransferSyntaxUID.is_compressed:
                ds.decompress()
            ds.__class__ = _Loaded  # type: ignore[assignment]  # same layout, named for logs
            ds.path = path
            out.append(ds)
        except Exception as exc:  # the renderer then draws its placeholder for this slice, and logs
            log.info("preview source %s left to the renderer: %s", path, exc)
            out.append(path)
    return out


PreviewKind = Literal["thumbnail", "montage", "cine"]
KINDS: tuple[PreviewKind, ...] = ("thumbnail", "montage", "cine")


def build_preview(
    store: ContentStore, file_keys: list[str], kind: PreviewKind, frames: list[int] | None = None
) -> str | None:
    """One preview of a long series (more than PRELOAD_LIMIT instances, read from paths and so
    sharing no decoding): the three kinds then render on different cores. `frames`: each
    file's frame count, when the caller has it (see previews.slices)."""
    sources: list[previews.Source] = [str(store.path_for(key)) for key in file_keys]
    if not sources:
        return None
    if kind == "thumbnail":
        return store.put(previews.thumbnail(sources, frames=frames))
    if kind == "montage":
        return store.put(previews.montage(sources, frames=frames))
    return store.put(previews.cine(sources, frames=frames))


def build_previews(store: ContentStore, file_keys: list[str]) -> PreviewKeys:
    """file_keys: the series' showable instances with pixels, in display order."""
    if not file_keys:
        return PreviewKeys()
    sources = _sources(store, file_keys)
    thumbnail = store.put(previews.thumbnail(sources))
    if len(previews.slices(sources)) == 1:
        # One image is its own contact sheet and has nothing to play: decoding it twice more
        # (window, then montage tile) would triple the cost of a radiograph's import.
        return PreviewKeys(thumbnail=thumbnail, montage=thumbnail)
    return PreviewKeys(
        thumbnail=thumbnail, montage=store.put(previews.montage(sources)), cine=store.put(previews.cine(sources))
    )
