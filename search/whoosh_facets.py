"""Facet counts over a Whoosh result set, vectorised with numpy.

Per segment we keep, for each facet field, every (value, docnum) posting as two arrays, built
once when the segment is first searched (segments are immutable; a merge makes a new one).
Counting a result set is then a mask and a bincount, whatever its size.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np

from search.model import BLIND_FACETS, FacetBucket
from search.whoosh_engine import Leaf, read_postings
from search.whoosh_schema import KEYWORD_FIELDS

MAX_BUCKETS = 200


@dataclass(frozen=True)
class _Postings:
    values: tuple[str, ...]
    value_idx: np.ndarray  # value index per posting
    docnums: np.ndarray  # segment-local docnum per posting
    # When no document has two values: the value index per docnum (len(values): none), so
    # counting is one gather and a bincount over the documents instead of over the postings.
    ordinal: np.ndarray | None = None

    def count(self, mask: np.ndarray) -> np.ndarray:
        n = len(self.values)
        if self.ordinal is not None:
            return np.bincount(self.ordinal[mask], minlength=n + 1)[:n]
        return np.bincount(self.value_idx[mask[self.docnums]], minlength=n)


class FacetCache:
    def __init__(self) -> None:
        self._tables: dict[tuple[str, str], _Postings] = {}
        self._lock = threading.Lock()

    def _table(self, reader: Any, segment_key: str, field: str) -> _Postings:
        key = (segment_key, field)
        table = self._tables.get(key)
        if table is None:
            values, idx, docs = [], [], []
            for i, term in enumerate(reader.lexicon(field)):
                value = term.decode("utf-8")
                ids = read_postings(reader, field, value)[0]
                values.append(value)
                idx.append(np.full(len(ids), i, dtype=np.int32))
                docs.append(ids)
            value_idx = np.concatenate(idx) if idx else np.zeros(0, np.int32)
            docnums = np.concatenate(docs) if docs else np.zeros(0, np.int64)
            ordinal = None
            size = reader.doc_count_all()
            if len(np.unique(docnums)) == len(docnums) and (not len(docnums) or docnums.max() < size):
                ordinal = np.full(size, len(values), dtype=np.int32)
                ordinal[docnums] = value_idx
            table = _Postings(tuple(values), value_idx, docnums, ordinal)
            with self._lock:
                self._tables[key] = table
        return table

    def forget(self, live: set[str]) -> None:
        """Drop tables of segments that no longer exist."""
        with self._lock:
            for key in [k for k in self._tables if k[0] not in live]:
                del self._tables[key]

    def counts(self, leaves: list[Leaf], facets: tuple[str, ...]) -> dict[str, tuple[FacetBucket, ...]]:
        """Facet -> buckets over the leaves' matched masks; blinded documents skip blind facets."""
        totals: dict[str, Counter[str]] = {f: Counter() for f in facets}
        live = set()
        for leaf in leaves:
            if not leaf.mask.any():
                continue
            reader = leaf.searcher.reader()
            segment_key = _segment_key(reader)
            live.add(segment_key)
            open_mask = leaf.mask & ~leaf.blind
            for facet in facets:
                table = self._table(reader, segment_key, KEYWORD_FIELDS[facet])
                use = open_mask if facet in BLIND_FACETS else leaf.mask
                counted = table.count(use)
                for i in np.flatnonzero(counted):
                    totals[facet][table.values[i]] += int(counted[i])
        if live:
            self.forget(live)
        return {
            f: tuple(FacetBucket(v, n) for v, n in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_BUCKETS])
            for f, c in totals.items()
        }


def _segment_key(reader: Any) -> str:
    segment = getattr(reader, "segment", None)
    if segment is None:
        return f"reader-{id(reader)}"
    return str(segment().segment_id())  # deletions do not change postings; the result mask skips them
