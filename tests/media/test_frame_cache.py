"""The decoded-frame cache: a re-windowed render from memory is byte for byte the render from the
file, reads the file once, and stays within its byte bound."""

from __future__ import annotations

from collections.abc import Callable

import pydicom
import pytest

from media.errors import ErrorCode, RenderError
from media.frame_cache import FRAME_CACHE_BYTES, FrameCache
from media.render import RenderOptions, render_file, render_source
from tests.media.helpers import frames_to_check
from tests.media.reference import REFERENCE, Ref

OPTIONS = (
    {"size": 256},
    {"size": 256, "window": (40.0, 400.0)},
    {"size": 64, "window": (300.0, 1500.0), "format": "png"},
    {"preset": "brain"},
)


def _outcome(render: Callable[[], bytes]) -> bytes | ErrorCode:
    try:
        return render()
    except RenderError as refused:
        return refused.code


@pytest.mark.parametrize("ref", REFERENCE, ids=lambda r: r.name)
def test_renders_from_the_cache_equal_renders_from_the_file(ref: Ref) -> None:
    """The same bytes, or the same refusal for a file Lightbox cannot decode."""
    frames = FrameCache()
    for frame in frames_to_check(ref):
        for kwargs in OPTIONS:
            options = RenderOptions(frame=frame, **kwargs)  # type: ignore[arg-type]
            expected = _outcome(lambda options=options: render_file(ref.path, options))
            assert _outcome(lambda options=options: render_source(ref.path, ref.name, options, frames)) == expected


def test_a_new_window_reads_the_file_once_and_the_bound_holds() -> None:
    ref = next(r for r in REFERENCE if r.name == "CT_small.dcm")
    loads: list[str] = []

    def load() -> pydicom.Dataset:
        loads.append(ref.name)
        return pydicom.dcmread(ref.path, force=True)

    frames = FrameCache()
    for centre in (40.0, 60.0, 300.0):
        frames.get_or_decode("k", 1, load)
        render_source(ref.path, "k", RenderOptions(size=64, window=(centre, 400.0)), frames)
    assert loads == [ref.name]
    one = frames.bytes
    assert one > 0 and FRAME_CACHE_BYTES._value.get() == one  # type: ignore[attr-defined]  # /metrics reports it
    # Room for one frame only: the least recently used goes, the total stays within the bound.
    small = FrameCache(max_bytes=one + one // 2)
    for key in ("a", "b", "c"):
        small.get_or_decode(key, 1, load)
    assert small.bytes == one
    small.get_or_decode("c", 1, load)
    assert loads.count(ref.name) == 4  # a, b and c were read; c again came from memory
    small.get_or_decode("a", 1, load)
    assert loads.count(ref.name) == 5  # a had been dropped
