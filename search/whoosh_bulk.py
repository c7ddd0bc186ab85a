"""Bulk loading of the Whoosh catalog: segments written straight from memory, in worker processes.

Whoosh's SegmentWriter sends every posting through a sorting pool (a tuple per posting, sorted,
spilled to disk) and, when it writes the segment, reads each posting's field length back from the
length column one call at a time: about two thirds of a rebuild. Documents arrive in docnum
order, so each term's postings are already sorted once grouped by term; `BulkWriter` keeps them
grouped in memory (compact arrays), knows every length it wrote, and hands the codec's postings
writer a whole block at a time. Text fields analysed by `LightboxTokenizer` skip Whoosh's token
objects and run the shared analyzer directly. The files written are the ones SegmentWriter would
write (tests/search/test_whoosh_bulk.py compares the two index for index).

`bulk_load` spreads documents over `procs` worker processes, each writing its own segment (or
several, `segment_docs` at most each), and commits them in one new TOC that replaces the index.
Until that rename readers see the old index; a killed load leaves only unreferenced files, which
the next commit removes.
"""

from __future__ import annotations

import multiprocessing as mp
import queue
from array import array
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from whoosh import formats
from whoosh.compat import dumps
from whoosh.filedb.filestore import FileStorage
from whoosh.system import pack_uint
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

from search.analysis import TOKEN_RE, index_forms
from search.whoosh_schema import LightboxTokenizer
from search.whoosh_writing import CODEC, abandon

BATCH = 500  # documents per message to a worker
SEGMENT_DOCS = 60_000  # a worker starts a new segment after this many documents (bounds its memory)


class _Term:
    __slots__ = ("docs", "values", "weights")

    def __init__(self) -> None:
        self.docs = array("I")
        self.weights = array("d")
        self.values: list[bytes] = []


def _positions(value: str) -> dict[str, list[int]]:
    """Term -> positions of a text, as LightboxTokenizer yields them in index mode."""
    poses: dict[str, list[int]] = {}
    pos = 0
    for word in TOKEN_RE.findall(value):
        forms = index_forms(word)
        if not forms:
            continue
        for form in forms:
            found = poses.get(form)
            if found is None:
                poses[form] = [pos]
            else:
                found.append(pos)
        pos += 1
    return poses


def _encode(poslist: list[int]) -> bytes:
    """formats.Positions.encode. (A fresh object each time: pickle would write a shared one as a
    memo reference, a different, if equivalent, block.)"""
    if len(poslist) == 1:
        return bytes(pack_uint(1) + dumps(poslist, 2))
    base, deltas = 0, []
    for p in poslist:
        deltas.append(p - base)
        base = p
    return bytes(pack_uint(len(deltas)) + dumps(deltas, 2))


def text_items(value: str, field_boost: float) -> Iterator[tuple[bytes, int, float, bytes]]:
    """(term bytes, frequency, weight, encoded positions) per term of a text, exactly what
    `fields.TEXT(analyzer=LightboxTokenizer()).index(value)` yields, without Token objects."""
    for word, poslist in _positions(value).items():
        yield word.encode("utf-8"), len(poslist), float(len(poslist)) * field_boost, _encode(poslist)


class BulkWriter(SegmentWriter):  # type: ignore[misc]  # Whoosh ships no types
    """A SegmentWriter for one new segment that holds its postings in memory (no pool, no sort)."""

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        super().__init__(ix, **kwargs)
        self._terms: dict[str, dict[bytes, _Term]] = {}
        self._lengths: dict[str, array[int]] = {}  # scorable field -> length byte per docnum
        self._fast = {
            name
            for name, field in self.schema.items()
            if isinstance(field.analyzer, LightboxTokenizer)
            and type(field.format) is formats.Positions
            and not field.vector
            and not field.separate_spelling()
        }

    def add_document(self, **fields: Any) -> None:
        self._check_state()
        perdoc = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        docboost = self._doc_boost(fields)
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, fieldnames)
        perdoc.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields.get(fieldname)
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    fieldboost = self._field_boost(fields, fieldname, docboost)
                    if fieldname in self._fast:
                        if not isinstance(value, str):
                            raise ValueError(f"{value!r} is not a string")
                        length = self._add_text(fieldname, value, field.format.field_boost, fieldboost, docnum)
                        if not field.scorable:
                            length = 0
                        items: Iterable[tuple[bytes, int, float, bytes]] = ()
                    else:
                        if field.vector or field.separate_spelling():
                            raise NotImplementedError(f"bulk loading of field {fieldname!r}")
                        items = field.index(value)
                    terms = self._terms.get(fieldname)
                    if terms is None:
                        terms = self._terms[fieldname] = {}
                    for tbytes, freq, weight, vbytes in items:
                        if field.scorable:
                            length += freq
                        term = terms.get(tbytes)
                        if term is None:
                            term = terms[tbytes] = _Term()
                        term.docs.append(docnum)
                        term.weights.append(weight * fieldboost)
                        term.values.append(vbytes or b"")
                if field.scorable:
                    lengths = self._lengths.get(fieldname)
                    if lengths is None:
                        lengths = self._lengths[fieldname] = array("B")
                    lengths.extend(bytes(docnum - self.docbase - len(lengths)))
                    lengths.append(length_to_byte(length) if length else 0)
                stored = fields.get(f"_stored_{fieldname}", value)
                perdoc.add_field(fieldname, field, stored if field.stored else None, length)
                column = field.column_type
                if column and stored is not None:
                    perdoc.add_column_value(fieldname, column, field.to_column_value(stored))
        except Exception:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def _add_text(self, fieldname: str, value: str, field_boost: float, boost: float, docnum: int) -> int:
        terms = self._terms.get(fieldname)
        if terms is None:
            terms = self._terms[fieldname] = {}
        length = 0
        for word, poslist in _positions(value).items():
            freq = len(poslist)
            length += freq
            tbytes = word.encode("utf-8")
            term = terms.get(tbytes)
            if term is None:
                term = terms[tbytes] = _Term()
            term.docs.append(docnum)
            term.weights.append(float(freq) * field_boost * boost)
            term.values.append(_encode(poslist))
        return length

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        fw = self.fieldwriter
        for fieldname in sorted(self._terms):
            terms = self._terms[fieldname]
            if not terms:
                continue
            lengths = self._lengths.get(fieldname)
            # What the length column gives back for each document (0: none recorded).
            back = [byte_to_length(b) if b else 0 for b in lengths] if lengths is not None else None
            fw.start_field(fieldname, self.schema[fieldname])
            pw = fw._postwriter
            limit = pw._blocklimit
            for tbytes in sorted(terms):
                term = terms.pop(tbytes)
                fw.start_term(tbytes)
                n = len(term.docs)
                for start in range(0, n, limit):
                    ids = term.docs[start : start + limit]
                    weights = term.weights[start : start + limit]
                    pw._ids = ids
                    pw._weights = array("f", weights)
                    pw._values = [v for v in term.values[start : start + limit] if v]
                    pw._maxweight = max(0, max(weights))
                    if back is not None:
                        lens = [x for x in (back[d - self.docbase] for d in ids) if x]
                        pw._minlength = min(lens) if lens else None
                        pw._maxlength = max(lens) if lens else 0
                    else:
                        pw._minlength, pw._maxlength = None, 0
                    if start + limit < n:
                        pw._write_block()
                fw.finish_term()  # writes the last block
            fw.finish_field()
        fw.close()


def _chunks(items: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _write_segments(
    ix: Any, batches: Iterable[list[dict[str, Any]]], segment_docs: int, progress: Callable[[int], None] | None = None
) -> list[Any]:
    segments = []
    writer = None
    for batch in batches:
        if writer is None:
            writer = BulkWriter(ix, _lk=False, compound=False, codec=CODEC)  # see WhooshCatalog._writer
        for fields in batch:
            writer.add_document(**fields)
        if progress:
            progress(len(batch))
        if writer.doc_count() >= segment_docs:
            segments.append(writer._finalize_segment())
            writer = None
    if writer is not None:
        segments.append(writer._finalize_segment())
    return segments


def _worker(folder: str, indexname: str, jobs: Any, results: Any, segment_docs: int) -> None:
    try:
        ix = FileStorage(folder).open_index(indexname)

        def batches() -> Iterator[list[dict[str, Any]]]:
            while (batch := jobs.get()) is not None:
                yield batch

        results.put(("ok", _write_segments(ix, batches(), segment_docs)))
    except BaseException as exc:  # the parent cancels the load
        results.put(("error", repr(exc)))


def bulk_load(
    writer: SegmentWriter,
    docs: Iterable[dict[str, Any]],
    *,
    procs: int = 2,
    segment_docs: int = SEGMENT_DOCS,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write `docs` (add_document keyword dicts) as new segments and commit them in place of the
    whole index through `writer`, which holds the write lock and is closed afterwards."""
    ix = writer.storage.open_index(writer.indexname)
    count = 0

    def counted() -> Iterator[dict[str, Any]]:
        nonlocal count
        for doc in docs:
            count += 1
            yield doc

    try:
        if procs <= 1:
            segments = _write_segments(ix, _chunks(counted(), BATCH), segment_docs, progress)
        else:
            segments = _parallel(writer, _chunks(counted(), BATCH), procs, segment_docs, progress)
        writer.commit(mergetype=lambda _writer, _old: list(segments))
    except BaseException:
        abandon(writer)
        raise
    return count


def _parallel(
    writer: SegmentWriter,
    batches: Iterable[list[dict[str, Any]]],
    procs: int,
    segment_docs: int,
    progress: Callable[[int], None] | None,
) -> list[Any]:
    ctx = mp.get_context("spawn")  # no fork of a process that may run threads (a server, a pool)
    results = ctx.Queue()
    jobs = [ctx.Queue(maxsize=4) for _ in range(procs)]
    workers = [
        ctx.Process(
            target=_worker, args=(writer.storage.folder, writer.indexname, q, results, segment_docs), daemon=True
        )
        for q in jobs
    ]
    for w in workers:
        w.start()
    segments: list[Any] = []
    try:
        for i, batch in enumerate(batches):
            target = jobs[i % procs]
            while True:
                try:
                    target.put(batch, timeout=1.0)
                    break
                except queue.Full:
                    _check_alive(workers)
            if progress:
                progress(len(batch))
        for q in jobs:
            q.put(None)
        for _ in workers:
            while True:
                try:
                    status, value = results.get(timeout=1.0)
                    break
                except queue.Empty:
                    _check_alive(workers)
            if status != "ok":
                raise RuntimeError(f"a catalog indexing worker failed: {value}")
            segments.extend(value)
        for w in workers:
            w.join()
        return segments
    except BaseException:
        for q in jobs:
            q.cancel_join_thread()  # a dead worker reads nothing: do not wait at exit to flush to it
        raise
    finally:
        for w in workers:
            if w.is_alive():
                w.kill()
                w.join()


def _check_alive(workers: list[Any]) -> None:
    dead = [w for w in workers if not w.is_alive() and w.exitcode not in (0, None)]
    if dead:
        raise RuntimeError(f"a catalog indexing worker died (exit code {dead[0].exitcode})")
