"""Our renders against dcmtk's dcmj2pnm with the same window: Pearson r >= 0.99.

Every listed file is either compared or excluded for a recorded reason, and each
reason is re-checked here, so an exclusion cannot outlive its cause.
"""

from __future__ import annotations

import pytest

from media.errors import ErrorCode, RenderError
from media.render import RenderOptions
from tests.media.conftest import DcmtkFailed
from tests.media.helpers import correlation, dcmtk_flags, frames_to_check, ours, read
from tests.media.reference import BY_NAME, COMPARED, EXCLUDED, Exclusion, Why

CASES = [(ref, frame) for ref in COMPARED for frame in frames_to_check(ref)]
# Downsampled comparison: big enough for resampling to matter.
SCALED = [ref for ref in COMPARED if min(read(ref).Rows, read(ref).Columns) >= 256]


@pytest.mark.parametrize(("ref", "frame"), CASES, ids=[f"{r.name}-f{f}" for r, f in CASES])
def test_native_size_matches_dcmtk(ref, frame, dcmtk) -> None:
    ds = read(ref)
    flags, options = dcmtk_flags(ref, ds, frame)
    theirs = dcmtk(ref.path, *flags)
    assert correlation(ours(ds, options), theirs) >= 0.99


@pytest.mark.parametrize("ref", SCALED, ids=lambda r: r.name)
def test_256px_matches_dcmtk_scaled(ref, dcmtk) -> None:
    ds = read(ref)
    flags, options = dcmtk_flags(ref, ds, 1)
    mine = ours(ds, RenderOptions(frame=1, size=256, window=options.window))
    height, width = mine.shape[:2]
    assert max(height, width) == 256
    # +i 3: dcmtk's bilinear scaling; ours is box-reduce + Lanczos, so not bit-equal.
    theirs = dcmtk(ref.path, *flags, "+i", "3", "+Sxv", str(width), "+Syv", str(height))
    assert correlation(mine, theirs) >= 0.99


@pytest.mark.parametrize("name", sorted(EXCLUDED), ids=str)
def test_exclusion_reason_still_holds(name: str, dcmtk) -> None:
    ref, exclusion = BY_NAME[name], EXCLUDED[name]
    assert isinstance(exclusion, Exclusion) and exclusion.detail
    if exclusion.why in (Why.DCMTK_NO_CODEC, Why.DCMTK_REFUSES, Why.BOTH_REFUSE):
        with pytest.raises(DcmtkFailed):
            dcmtk(ref.path)
    if exclusion.why in (Why.OURS_REFUSES, Why.BOTH_REFUSE):
        with pytest.raises(RenderError) as refused:
            ours(read(ref), RenderOptions())
        assert refused.value.code is ErrorCode.UNDECODABLE
    if exclusion.why is Why.OURS_REFUSES:
        assert dcmtk(ref.path).size > 0
    if exclusion.why in (Why.DCMTK_NO_CODEC, Why.DCMTK_REFUSES):
        assert ours(read(ref), RenderOptions(size=64)).size > 0  # we render what dcmtk cannot
    if exclusion.why is Why.DCMTK_WRONG:
        assert exclusion.twin is not None
        twin = BY_NAME[exclusion.twin]
        flags, options = dcmtk_flags(twin, read(twin), 1)
        # dcmtk disagrees with itself on the twin; we render both the same.
        assert correlation(dcmtk(ref.path, *flags), dcmtk(twin.path, *flags)) < 0.9
        assert (ours(read(ref), options) == ours(read(twin), options)).all()
