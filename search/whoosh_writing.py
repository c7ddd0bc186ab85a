"""How the catalog's Whoosh writers name their segments and give up their lock.

Whoosh names a new segment with `random.choice`, the process-wide generator that anything may
seed: Hypothesis seeds it afresh for every example, a test may call `random.seed`, and a forked
process inherits its parent's state. With the same seed a writer drew the name of a segment the
index already held, created that segment's files again (truncating them, `.trm` first), and the
committed segment read as an empty file: "Unknown file header b''" on every later write and
search. Every catalog writer therefore takes its new segment from `CODEC`, which draws names from
`secrets` and also steps past any name whose files are already in the index directory. The
segments it creates hold a plain `W3Codec`, so the TOC and the files are exactly Whoosh's own.

Whoosh's `commit()` releases the write lock only when it succeeds, and `cancel()` only when
closing the segment files succeeds; a writer that failed otherwise kept the lock until the
garbage collector found it, and every write meanwhile waited out its timeout. `abandon` gives the
lock back whatever state the failed writer is in.
"""

from __future__ import annotations

import logging
import secrets
from typing import Any

from whoosh.codec.whoosh3 import W3Codec, W3Segment
from whoosh.util import IDCHARS

log = logging.getLogger(__name__)
SEGMENT_ID_CHARS = 16  # as Whoosh's own


def fresh_segment_id(names: set[str] | frozenset[str], indexname: str) -> str:
    """A segment id that no file in `names` (the index directory's listing) already uses."""
    while True:
        segid = "".join(secrets.choice(IDCHARS) for _ in range(SEGMENT_ID_CHARS))
        prefix = f"{indexname}_{segid}."
        if not any(name.startswith(prefix) for name in names):
            return segid


class UniqueSegmentCodec(W3Codec):  # type: ignore[misc]  # Whoosh ships no types
    def new_segment(self, storage: Any, indexname: str) -> W3Segment:
        plain = W3Codec(self._blocklimit, self._compression, self._inlinelimit)  # what the TOC pickles
        return W3Segment(plain, indexname, segid=fresh_segment_id(set(storage.list()), indexname))


CODEC = UniqueSegmentCodec()


def abandon(writer: Any) -> None:
    """Cancel a writer whose work or commit failed, and release its write lock in any case."""
    if writer.is_closed:
        return
    try:
        writer.cancel()
    except Exception:
        log.exception("cancelling a failed catalog writer failed; releasing its lock")
    finally:
        lock = writer.writelock
        if lock is not None and lock.fd is not None:  # cancel() did not get as far as releasing it
            lock.release()
        writer.is_closed = True
