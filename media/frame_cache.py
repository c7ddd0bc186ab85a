"""Decoded frames of recently opened images, so a new window costs only the VOI LUT, the resize and
the encode (not the read and decompression of the file).

Sources are content-addressed and never change under their key, so an entry needs no
invalidation; the cache is bounded by the bytes it holds (least recently used go first) and
reports its size in /metrics. The caller still checks that the source exists before rendering
from here, so a purged blob is never rendered from memory.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import pydicom
from prometheus_client import Gauge
from pydicom.dataset import Dataset

from media.decode import Frame, frame_attributes, read_frame

DEFAULT_MAX_BYTES = 128 * 1024 * 1024  # per process: ~250 CT slices or ~7 large plain films

FRAME_CACHE_BYTES = Gauge(
    "lightbox_render_frame_cache_bytes",
    "Bytes of decoded frames kept for re-windowing, per process (summed over the workers)",
    multiprocess_mode="livesum",
)


@dataclass(frozen=True)
class DecodedFrame:
    """One decoded frame and the pixel-transform attributes that apply to it (no Pixel Data)."""

    frame: Frame
    attrs: Dataset

    @property
    def nbytes(self) -> int:
        return int(self.frame.pixels.nbytes) + 4096  # the attributes: small, counted flat


def decode_frame(ds: pydicom.Dataset, frame: int) -> DecodedFrame:
    """Decode `frame` of `ds` and keep its attributes without the (large) Pixel Data element."""
    decoded = read_frame(ds, frame)
    if decoded.pixels.base is not None:
        # Native data is decoded as a view of the file's Pixel Data (every frame of it): keep
        # only this frame's values.
        decoded = Frame(decoded.pixels.copy(), decoded.photometric)
    attrs = frame_attributes(ds, frame)
    if attrs is ds:
        # A shallow copy, so dropping Pixel Data leaves the file's dataset whole; it keeps how the
        # file was encoded (a palette's LUT data is read in the file's byte order).
        attrs = Dataset(ds)
        if "file_meta" in ds.__dict__:
            attrs.file_meta = ds.file_meta
        implicit, little = ds.original_encoding
        attrs.set_original_encoding(implicit, little, ds.original_character_set)
    if "PixelData" in attrs:
        del attrs.PixelData
    return DecodedFrame(decoded, attrs)


class FrameCache:
    """(source key, frame) -> DecodedFrame, least recently used first out past `max_bytes`."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[tuple[str, int], DecodedFrame] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()  # sync routes render in a thread pool

    @property
    def bytes(self) -> int:
        return self._bytes

    def get_or_decode(self, source_key: str, frame: int, load: Callable[[], pydicom.Dataset]) -> DecodedFrame:
        """The cached frame, or `load()`'s dataset decoded now (and kept if it fits)."""
        key = (source_key, frame)
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None:
                self._entries.move_to_end(key)
                return hit
        decoded = decode_frame(load(), frame)  # outside the lock: decoding takes milliseconds
        size = decoded.nbytes
        if size > self.max_bytes:
            return decoded
        with self._lock:
            if key not in self._entries:
                self._entries[key] = decoded
                self._bytes += size
            while self._bytes > self.max_bytes and self._entries:
                _, dropped = self._entries.popitem(last=False)
                self._bytes -= dropped.nbytes
            FRAME_CACHE_BYTES.set(self._bytes)
        return decoded

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0
            FRAME_CACHE_BYTES.set(0)


FRAMES = FrameCache()
