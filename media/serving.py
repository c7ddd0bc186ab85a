"""What the media routes serve, decided here so the routes only parse and map.

Three kinds of answer: a rendered instance (cached as a rendition keyed by source and
options), a stored series preview (a blob made at import), and a de-identified original
(a blob streamed from disk with ranges). Whatever goes wrong with pixels or a missing
blob becomes a placeholder image and a log line, never an exception the client sees
as a 500: a teaching page with one grey tile is better than a broken one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from media.encode import MEDIA_TYPES, Format, encode
from media.errors import ErrorCode, RenderError, StoreError
from media.placeholder import placeholder
from media.render import MAX_SIZE, RenderOptions
from media.renditions import cached_or_rendered
from media.store import ContentStore

log = logging.getLogger(__name__)

DICOM_MEDIA_TYPE: Final = "application/dicom"
PLACEHOLDER_SIZE: Final = 256


@dataclass(frozen=True)
class Served:
    """Bytes to send. `etag` is the strong validator (unquoted), None for a placeholder,
    which must not be cached for long: the source may be repaired or re-imported."""

    body: bytes
    media_type: str
    etag: str | None
    placeholder_reason: str | None = None
    # Rendered just now: the caller stores it (`store_rendition`) once the answer is sent.
    unstored: bool = False


@dataclass(frozen=True)
class RenderPlan:
    """A validated render request; its ETag is known before any pixel is touched, so a
    revalidation (If-None-Match) costs no disk read."""

    source_key: str
    options: RenderOptions
    fallback_size: int

    @property
    def etag(self) -> str:
        return self.options.cache_key(self.source_key)


def plan_render(*, source_key: str, frames: int, longest_edge: int | None, options: RenderOptions) -> RenderPlan:
    """Refuse a frame the instance lacks (as recorded at import) before any work is done."""
    if options.frame > max(frames, 1):
        raise RenderError(ErrorCode.INVALID_INPUT, f"frame {options.frame} outside 1..{max(frames, 1)}", field="frame")
    fallback = options.size or min(longest_edge or PLACEHOLDER_SIZE, MAX_SIZE)
    return RenderPlan(source_key=source_key, options=options, fallback_size=fallback)


def _placeholder(size: int, fmt: Format, reason: str) -> Served:
    return Served(encode(placeholder(size, "Image unavailable"), fmt), MEDIA_TYPES[fmt], None, reason)


def render(store: ContentStore, plan: RenderPlan) -> Served:
    """The rendition of `plan`: read from the store, or rendered now (`unstored`)."""
    fmt = plan.options.format
    try:
        body, fresh = cached_or_rendered(store, plan.source_key, plan.options)
    except (RenderError, StoreError) as exc:
        if exc.code is ErrorCode.INVALID_INPUT:
            raise  # the request is wrong (e.g. a frame the file lacks): the caller's 4xx
        log.warning("placeholder for %s: %s", plan.source_key, exc.message)
        return _placeholder(plan.fallback_size, fmt, exc.code.value)
    except Exception:  # a renderer bug on an odd file must still not break the page
        log.exception("placeholder for %s: unexpected renderer failure", plan.source_key)
        return _placeholder(plan.fallback_size, fmt, ErrorCode.UNDECODABLE.value)
    return Served(body, MEDIA_TYPES[fmt], plan.etag, unstored=fresh)


def store_rendition(store: ContentStore, plan: RenderPlan, served: Served) -> None:
    """Keep a fresh render for next time; racing writers of one key write the same bytes."""
    if served.unstored:
        store.put_rendition(plan.etag, served.body)


def sniff(data: bytes) -> str:
    """The media type of an encoded preview, from its magic bytes."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return MEDIA_TYPES["webp"]
    if data.startswith(b"\x89PNG"):
        return MEDIA_TYPES["png"]
    if data.startswith(b"\xff\xd8"):
        return MEDIA_TYPES["jpeg"]
    return "application/octet-stream"


def stored_preview(store: ContentStore, key: str) -> Served:
    """A series preview blob as stored at import; content-addressed, so its key is its ETag."""
    try:
        data = store.get(key)
    except StoreError as exc:
        log.warning("placeholder for missing preview %s: %s", key, exc.message)
        return _placeholder(PLACEHOLDER_SIZE, "webp", exc.code.value)
    return Served(data, sniff(data), key)


def original_path(store: ContentStore, file_key: str) -> Path:
    """The de-identified original on disk, for streaming with ranges."""
    path = store.path_for(file_key)
    if not path.is_file():
        raise StoreError(ErrorCode.NOT_FOUND, "the original file is missing from the store", field="id")
    return path
