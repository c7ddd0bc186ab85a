"""Evaluate a Plan over a Whoosh index with numpy: boolean masks per segment, BM25 scores,
keyset ordering.

Whoosh's own matchers and sorting collectors walk every match in Python (about a second for a
common word in 100,000 cases); here postings are read a block at a time into arrays (cached per
immutable segment), the query tree becomes mask arithmetic, and only the page is touched in
Python. Phrases intersect the documents of their words, then match (docnum, position) keys of
each word, decoded once per segment and term and cached like the postings.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from whoosh.compat import loads
from whoosh.system import _INT_SIZE

from content.cases.visibility import UNTITLED_SORT_KEY
from search.model import TEXT_FIELDS
from search.plan import Plan
from search.querytext import And, Const, Key, Lex, Node, Not, Or, words_of
from search.whoosh_schema import BOOSTS, KEYWORD_FIELDS

K1 = 1.2
CACHE_BYTES = 256 * 1024 * 1024
POS_BITS = 24  # (docnum << POS_BITS | position) keys; positions stay far below 2**24
_NO_WEIGHTS = np.zeros(0, np.float64)


@dataclass(frozen=True)
class Segment:
    """Per-document arrays of one immutable segment (rebuilt when its deletions change)."""

    key: str
    live: np.ndarray  # bool: not deleted
    created: np.ndarray  # int64 µs
    titles: np.ndarray  # object: title sort keys
    doc_ids: np.ndarray  # object
    doc_rank: np.ndarray  # rank of doc_id within the segment
    title_rank: np.ndarray  # rank of (title, doc_id) within the segment


@dataclass
class Leaf:
    searcher: Any
    offset: int
    segment: Segment
    mask: np.ndarray  # matched documents
    blind: np.ndarray  # matched documents of blinded cases
    score: np.ndarray | None


class Engine:
    def __init__(self) -> None:
        self._segments: dict[str, Segment] = {}
        self._postings: OrderedDict[tuple[str, ...], tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    # -- cached per-segment data --------------------------------------------------------------

    def segment(self, reader: Any) -> Segment:
        seg_id = reader.segment().segment_id()
        key = f"{seg_id}:{reader.doc_count()}"
        found = self._segments.get(key)
        if found is not None:
            return found
        size = reader.doc_count_all()
        live = np.ones(size, dtype=bool)
        if reader.has_deletions():
            live[[n for n in range(size) if reader.is_deleted(n)]] = False
        titles = np.array(list(reader.column_reader("title_sort")), dtype=object)
        doc_ids = np.array(list(reader.column_reader("doc_id")), dtype=object)
        doc_rank = np.empty(size, dtype=np.int64)
        doc_rank[sorted(range(size), key=doc_ids.__getitem__)] = np.arange(size)
        title_rank = np.empty(size, dtype=np.int64)
        title_rank[sorted(range(size), key=lambda n: (titles[n], doc_ids[n]))] = np.arange(size)
        created = np.fromiter(reader.column_reader("created"), dtype=np.int64, count=size)
        found = Segment(key, live, created, titles, doc_ids, doc_rank, title_rank)
        with self._lock:
            for old in [k for k in self._segments if k.split(":")[0] == seg_id]:
                del self._segments[old]
            self._segments[key] = found
        return found

    def postings(self, reader: Any, field: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        """(docnums, term frequencies) of a term in one segment, deleted documents included."""
        key = (reader.segment().segment_id(), field, term)
        with self._lock:
            hit = self._postings.get(key)
            if hit is not None:
                self._postings.move_to_end(key)
                return hit
        ids, weights = read_postings(reader, field, term)
        with self._lock:
            self._postings[key] = (ids, weights)
            self._bytes += ids.nbytes + weights.nbytes
            while self._bytes > CACHE_BYTES and self._postings:
                _, (i, w) = self._postings.popitem(last=False)
                self._bytes -= i.nbytes + w.nbytes
        return ids, weights

    def positions(self, reader: Any, field: str, term: str) -> np.ndarray:
        """Sorted (docnum << POS_BITS | position) of every occurrence of a term in one segment."""
        key = (reader.segment().segment_id(), field, term, "positions")
        with self._lock:
            hit = self._postings.get(key)
            if hit is not None:
                self._postings.move_to_end(key)
                return hit[0]
        keys = read_positions(reader, field, term)
        with self._lock:
            self._postings[key] = (keys, _NO_WEIGHTS)
            self._bytes += keys.nbytes
            while self._bytes > CACHE_BYTES and self._postings:
                _, (i, w) = self._postings.popitem(last=False)
                self._bytes -= i.nbytes + w.nbytes
        return keys

    # -- evaluation -----------------------------------------------------------------------------

    def evaluate(self, searcher: Any, plan: Plan, *, scored: bool) -> list[Leaf]:
        q = plan.query
        leaves = []
        for leaf, offset in searcher.leaf_searchers():
            reader = leaf.reader()
            if not reader.doc_count_all() or reader.segment() is None:
                continue
            seg = self.segment(reader)
            ctx = _Ctx(self, reader, leaf, seg)
            allowed = ctx.any_of("allowed", q.principals)
            mask = seg.live & allowed & ~ctx.any_of("denied", q.principals)
            for name, values in (
                ("modalities", q.modalities),
                ("body_regions", q.body_regions),
                ("difficulty", q.difficulties),
                ("state", q.states),
                ("collection", [plan.collection] if plan.collection else []),
            ):
                if values:
                    mask &= ctx.any_of(name, values)
            blind = ctx.none()
            for case_id in q.blinded_case_ids:
                blind[ctx.ids("case_id", case_id)] = True
            seen = ctx.all()
            if plan.text is not None:
                seen &= ctx.mask(plan.text)
            if q.curriculum:
                seen &= ctx.any_of("curriculum", q.curriculum)
            if q.blinded_case_ids:
                hidden = blind.copy()  # a blinded case: only its clinical history can match, never curriculum
                if q.curriculum:
                    hidden[:] = False
                elif plan.blind_text is not None:
                    hidden &= ctx.mask(plan.blind_text)
                seen = (seen & ~blind) | hidden
            mask &= seen
            score = None
            if scored:
                score = ctx.score(plan.text)
                if q.blinded_case_ids:
                    score = np.where(blind, ctx.score(plan.blind_text), score)
            leaves.append(Leaf(leaf, offset, seg, mask, blind & mask, score))
        self._forget({lf.segment.key for lf in leaves})
        return leaves

    def _forget(self, live: set[str]) -> None:
        """Drop arrays of segments merged away since (postings age out of their LRU on their own)."""
        with self._lock:
            for key in [k for k in self._segments if k not in live]:
                del self._segments[key]

    def page(self, leaves: list[Leaf], plan: Plan, limit: int) -> list[tuple[Leaf, int, Any]]:
        """The next `limit` (leaf, local docnum, sort key) after the cursor, in (key, doc_id) order."""
        rows = []
        for lf in leaves:
            seg = lf.segment
            cand = np.flatnonzero(lf.mask)
            if plan.order == "RELEVANCE":
                assert lf.score is not None
                values = lf.score
            else:
                values = seg.created if plan.order == "NEWEST" else seg.titles
            title_rank = seg.title_rank
            if plan.order == "TITLE" and lf.blind.any():
                # A case blind to the caller sorts as untitled: its place must not spell its title.
                values, title_rank = values.copy(), title_rank.copy()
                values[lf.blind] = UNTITLED_SORT_KEY
                title_rank[lf.blind] = -1
            if plan.cursor is not None and len(cand):
                cand = cand[_after(values[cand], seg.doc_ids[cand], plan)]
            if not len(cand):
                continue
            primary = title_rank[cand] if plan.order == "TITLE" else -values[cand]
            for n in cand[np.lexsort((seg.doc_rank[cand], primary))[:limit]]:
                rows.append((lf, int(n), values[n]))
        if plan.order == "TITLE":
            rows.sort(key=lambda r: (r[2], r[0].segment.doc_ids[r[1]]))
        else:
            rows.sort(key=lambda r: (-r[2], r[0].segment.doc_ids[r[1]]))
        return rows[:limit]


def _after(values: np.ndarray, doc_ids: np.ndarray, plan: Plan) -> np.ndarray:
    """Keyset: which candidates sort after the cursor's (key, doc_id)."""
    assert plan.cursor is not None
    key, last = plan.cursor.key, plan.cursor.doc_id
    keep = np.asarray(values > key if plan.order == "TITLE" else values < key, dtype=bool)
    same = np.asarray(values == key, dtype=bool)
    if same.any():
        keep[same] = np.asarray(doc_ids[same] > last, dtype=bool)
    return keep


@dataclass
class _Ctx:
    engine: Engine
    reader: Any
    searcher: Any
    seg: Segment

    def none(self) -> np.ndarray:
        return np.zeros(len(self.seg.live), dtype=bool)

    def all(self) -> np.ndarray:
        return self.seg.live.copy()

    def ids(self, field: str, term: str) -> np.ndarray:
        return self.engine.postings(self.reader, field, term)[0]

    def phrase_docs(self, field: str, lexemes: tuple[str, ...]) -> np.ndarray:
        """Documents with the lexemes at consecutive positions (whoosh.query.Phrase, slop 1)."""
        docs = None
        for lexeme in lexemes:  # only documents holding every word can hold the phrase
            ids = self.ids(field, lexeme)
            docs = ids if docs is None else np.intersect1d(docs, ids, assume_unique=True)
            if not len(docs):
                return docs
        assert docs is not None
        keys = None
        for i, lexeme in enumerate(lexemes):
            found = self.engine.positions(self.reader, field, lexeme)
            found = found[np.isin(found >> POS_BITS, docs)]
            # keys of phrase starts: (docnum, position of the first word)
            keys = found - i if keys is None else keys[np.isin(keys, found - i)]
            if not len(keys):
                break
        assert keys is not None
        return np.unique(keys >> POS_BITS)

    def any_of(self, name: str, values: Iterable[str]) -> np.ndarray:
        out = self.none()
        for value in values:
            out[self.ids(KEYWORD_FIELDS[name], value)] = True
        return out

    def mask(self, node: Node) -> np.ndarray:
        if isinstance(node, Lex):
            out = self.none()
            for name in TEXT_FIELDS if node.field is None else (node.field,):
                if len(node.lexemes) == 1:
                    out[self.ids(name, node.lexemes[0])] = True
                else:
                    out[self.phrase_docs(name, node.lexemes)] = True
            return out
        if isinstance(node, Key):
            return self.any_of(node.field, [node.value])
        if isinstance(node, And):
            out = self.all()
            for item in node.items:
                out &= self.mask(item)
            return out
        if isinstance(node, Or):
            out = self.none()
            for item in node.items:
                out |= self.mask(item)
            return out
        if isinstance(node, Not):
            live: np.ndarray = self.seg.live & ~self.mask(node.item)
            return live
        assert isinstance(node, Const)
        return self.all() if node.value else self.none()

    def score(self, node: Node | None) -> np.ndarray:
        """BM25 (length normalisation off) summed over the positive terms and their fields."""
        out = np.zeros(len(self.seg.live), dtype=np.float64)
        if node is None:
            return out
        total = max(self.searcher.doc_count(), 1)
        for leaf in words_of(node):
            for name in TEXT_FIELDS if leaf.field is None else (leaf.field,):
                for lexeme in leaf.lexemes:
                    ids, tf = self.engine.postings(self.reader, name, lexeme)
                    if not len(ids):
                        continue
                    df = self.searcher.doc_frequency(name, lexeme) or len(ids)
                    idf = math.log(1 + (total - df + 0.5) / (df + 0.5))
                    out[ids] += BOOSTS.get(name, 1.0) * idf * tf * (K1 + 1) / (tf + K1)
        return out


def read_positions(reader: Any, field: str, term: str) -> np.ndarray:
    """Every (docnum << POS_BITS | position) of a term, decoded as formats.Positions does."""
    if (field, term) not in reader:
        return np.zeros(0, np.int64)
    m = reader.postings(field, term)
    ids: list[np.ndarray] = []
    counts: list[int] = []
    deltas: list[int] = []
    while m.is_active():
        ids.append(m.id())
        value = m.value()
        codes = loads(value[_INT_SIZE:] if value.endswith(b".") else value[_INT_SIZE:] + b".")
        counts.append(len(codes))
        deltas.extend(codes)
        m.next()
    if not ids:
        return np.zeros(0, np.int64)
    n = np.asarray(counts, dtype=np.int64)
    flat = np.cumsum(np.asarray(deltas, dtype=np.int64))
    ends = np.cumsum(n)
    # positions restart from 0 in each document: subtract the running sum before it
    before = np.repeat(np.concatenate(([0], flat[ends[:-1] - 1])), n)
    keys: np.ndarray = (np.repeat(np.asarray(ids, dtype=np.int64), n) << POS_BITS) | (flat - before)
    return keys


def read_postings(reader: Any, field: str, term: str) -> tuple[np.ndarray, np.ndarray]:
    """Document numbers and weights of one term of one field in a Whoosh segment."""
    empty = (np.zeros(0, np.int64), np.zeros(0, np.float64))
    if (field, term) not in reader:
        return empty
    m = reader.postings(field, term)
    ids: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    if not all(hasattr(m, a) for a in ("_read_ids", "_read_weights", "_next_block", "_ids", "_weights")):
        while m.is_active():  # any other matcher: one posting at a time
            ids.append(m.id())
            weights.append(m.weight())
            m.next()
        return np.array(ids, np.int64), np.array(weights, np.float64)
    while m.is_active():  # one whole block at a time (whoosh-reloaded W3 postings)
        m._read_ids()
        m._read_weights()
        ids.append(np.asarray(m._ids, dtype=np.int64))
        weights.append(np.asarray(m._weights, dtype=np.float64))
        m._next_block()
    if not ids:
        return empty
    return np.concatenate(ids), np.concatenate(weights)
