"""The embedded catalog: a Whoosh index in a directory.

Crash safety comes from Whoosh's file storage: the write lock is an fcntl lock, which the
operating system drops when the process dies (no stale lock), and a commit writes segments
first and then renames a new TOC into place (a killed writer leaves only unreferenced files,
removed by the next commit). A writer waits up to `lock_timeout` for the lock, then raises
CatalogBusy so the caller's retry queue can try again.
"""

from __future__ import annotations

import fcntl
import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import index as windex
from whoosh import writing
from whoosh.filedb.filestore import FileStorage
from whoosh.index import LockError
from whoosh.query import Term

from search.analysis import query_form, tokens
from search.cursor import Cursor, encode
from search.highlight import highlights
from search.model import (
    BLIND_VISIBLE_FIELDS,
    TEXT_FIELDS,
    CatalogBusy,
    CatalogDocument,
    Hit,
    SearchQuery,
    SearchResult,
)
from search.plan import Plan, make_plan
from search.suggest import suggest
from search.whoosh_bulk import bulk_load
from search.whoosh_engine import Engine, Leaf
from search.whoosh_facets import FacetCache
from search.whoosh_schema import build_schema, to_whoosh
from search.whoosh_writing import CODEC, abandon

log = logging.getLogger(__name__)
INDEX_NAME = "catalog"
PROGRESS_EVERY = 1000


class WhooshCatalog:
    def __init__(self, index_dir: Path, *, lock_timeout: float = 10.0, procs: int = 2, limitmb: int = 512) -> None:
        self.index_dir = Path(index_dir)
        self.lock_timeout = lock_timeout
        self.procs = procs
        self.limitmb = limitmb
        self._turn = threading.Lock()
        self.index_dir.mkdir(parents=True, exist_ok=True)
        self._ix = self._open_or_create()
        self._local = threading.local()
        self._facets = FacetCache()
        self._engine = Engine()

    def _open_or_create(self) -> windex.Index:
        if windex.exists_in(str(self.index_dir), indexname=INDEX_NAME):
            ix = windex.open_dir(str(self.index_dir), indexname=INDEX_NAME)
            if set(build_schema().names()) <= set(ix.schema.names()):
                return ix
            # An index from an older layout: the catalog is a projection, so start it afresh
            # (`lightbox reindex` or the consistency check refills it from the database).
            log.warning("catalog at %s has an old layout; recreating it empty", self.index_dir)
            ix.close()
            return windex.create_in(str(self.index_dir), build_schema(), indexname=INDEX_NAME)
        storage = FileStorage(str(self.index_dir))
        lock = storage.lock("create")  # two processes starting at once create it only once
        if not writing.try_for(lock.acquire, timeout=self.lock_timeout, delay=0.05):
            raise CatalogBusy("index creation lock held")
        try:
            if windex.exists_in(str(self.index_dir), indexname=INDEX_NAME):
                return windex.open_dir(str(self.index_dir), indexname=INDEX_NAME)
            return windex.create_in(str(self.index_dir), build_schema(), indexname=INDEX_NAME)
        finally:
            lock.release()

    # -- writing ---------------------------------------------------------------------------

    def _writer(self, **kwargs: Any) -> writing.IndexWriter:
        # Segments stay separate files: a reader of a compound segment copies each of its files
        # into memory when it opens it (hundreds of MB, 0.4 s at 100,000 cases), and every
        # request thread opens its own reader, again after each commit.
        kwargs.setdefault("compound", False)
        kwargs.setdefault("codec", CODEC)  # new segments never take the name of one on disk
        try:
            return self._ix.writer(timeout=self.lock_timeout, delay=0.05, **kwargs)
        except LockError:
            raise CatalogBusy(f"Whoosh index at {self.index_dir} locked for {self.lock_timeout}s") from None

    def _write(self, work: Callable[[writing.IndexWriter], None]) -> None:
        writer = self._writer()
        try:
            work(writer)
            writer.commit()
        except BaseException:
            abandon(writer)  # a failed commit (or cancel) must not keep the write lock
            raise

    def index(self, docs: Sequence[CatalogDocument]) -> None:
        def work(w: writing.IndexWriter) -> None:
            for doc in docs:
                w.update_document(**to_whoosh(doc))

        if docs:
            self._write(work)

    def delete_case(self, case_id: str) -> None:
        self._write(lambda w: w.delete_by_term("case_id", case_id))

    @contextmanager
    def turn(self) -> Iterator[None]:
        # fcntl locks are per process and dropped when a process dies; the thread lock orders
        # this process's own threads.
        with self._turn, open(self.index_dir / "indexer.turn", "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def replace_case(self, case_id: str, docs: Sequence[CatalogDocument]) -> None:
        if any(d.case_id != case_id for d in docs):
            raise ValueError("replace_case got a document of another case")

        def work(w: writing.IndexWriter) -> None:
            w.delete_by_term("case_id", case_id)
            for doc in docs:
                w.add_document(**to_whoosh(doc))

        self._write(work)  # one commit: readers see the old entries or the new, never neither

    def clear(self) -> None:
        writer = self._writer()
        try:
            writer.commit(mergetype=writing.CLEAR)
        except BaseException:
            abandon(writer)
            raise

    def rebuild(self, docs: Iterable[CatalogDocument], *, progress: Callable[[int], None] | None = None) -> int:
        """Replace the whole index in one commit; readers see the old index until it lands.

        Segments are written from memory by `procs` worker processes (search.whoosh_bulk)."""
        writer = self._writer()
        done = 0

        def step(n: int) -> None:
            nonlocal done
            before, done = done, done + n
            if progress and done // PROGRESS_EVERY > before // PROGRESS_EVERY:
                progress(done)

        count = bulk_load(writer, (to_whoosh(doc) for doc in docs), procs=self.procs, progress=step)
        if progress:
            progress(count)
        return count

    def versions(self) -> dict[str, int]:
        searcher = self._searcher()
        out: dict[str, int] = {}
        for leaf, _ in searcher.leaf_searchers():
            reader = leaf.reader()
            if not reader.doc_count():
                continue
            ids = reader.column_reader("doc_id")
            versions = reader.column_reader("version")
            for docnum in reader.all_doc_ids():
                out[ids[docnum]] = versions[docnum]
        return out

    def doc_count(self) -> int:
        return int(self._searcher().doc_count())

    def close(self) -> None:
        searcher = getattr(self._local, "searcher", None)
        if searcher is not None:
            searcher.close()
            self._local.searcher = None
        self._ix.close()

    # -- reading ---------------------------------------------------------------------------

    def _searcher(self) -> Any:
        searcher = getattr(self._local, "searcher", None)
        if searcher is not None and searcher.up_to_date():
            return searcher
        if searcher is not None:
            searcher.close()  # (Searcher.refresh() fails once the index has been emptied)
        searcher = self._local.searcher = self._ix.searcher()
        return searcher

    def search(self, query: SearchQuery) -> SearchResult:
        plan = make_plan(query)
        searcher = self._searcher()
        leaves = self._engine.evaluate(searcher, plan, scored=plan.order == "RELEVANCE")
        total = int(sum(int(leaf.mask.sum()) for leaf in leaves))
        facets = self._facets.counts(leaves, query.facets) if query.facets else {}
        rows = self._engine.page(leaves, plan, query.first + 1)
        offset = plan.cursor.offset if plan.cursor else 0
        hits = tuple(
            self._hit(plan, leaf, docnum, key, offset + i)
            for i, (leaf, docnum, key) in enumerate(rows[: query.first], start=1)
        )
        suggestion = None
        if not total and plan.text is not None:
            suggestion = suggest(
                query,
                known=lambda lex: any(searcher.doc_frequency(f, lex) for f in TEXT_FIELDS),
                candidates=lambda word: _candidates(searcher, word),
                count=lambda probe: sum(
                    int(leaf.mask.sum()) for leaf in self._engine.evaluate(searcher, make_plan(probe), scored=False)
                ),
            )
        return SearchResult(
            hits=hits,
            total=total,
            facets=facets,
            has_next=len(rows) > query.first,
            end_cursor=hits[-1].cursor if hits else None,
            suggestion=suggestion,
        )

    def _hit(self, plan: Plan, leaf: Leaf, docnum: int, key: Any, position: int) -> Hit:
        stored = leaf.searcher.stored_fields(docnum)
        is_blind = bool(leaf.blind[docnum])
        fields = tuple(f for f in TEXT_FIELDS if f in BLIND_VISIBLE_FIELDS) if is_blind else TEXT_FIELDS
        terms = plan.blind_terms if is_blind else plan.terms
        score = float(leaf.score[docnum]) if leaf.score is not None else 0.0
        sort_key = score if plan.order == "RELEVANCE" else (int(key) if plan.order == "NEWEST" else str(key))
        return Hit(
            case_id=stored["case_id"],
            doc_id=stored["doc_id"],
            score=score,
            cursor=encode(Cursor(plan.order, sort_key, stored["doc_id"], position)),
            highlights=highlights(stored, terms, self._holding(leaf, docnum, terms, fields)) if terms else (),
        )

    def _holding(
        self, leaf: Leaf, docnum: int, terms: dict[str | None, set[str]], fields: tuple[str, ...]
    ) -> tuple[str, ...]:
        """The fields whose text holds a term meant for them: exactly those a snippet can come
        from (stored and indexed text are the same), found in the cached postings instead of by
        tokenizing every field of every hit."""
        reader = leaf.searcher.reader()
        everywhere = terms.get(None, set())
        out = []
        for name in fields:
            for lexeme in everywhere | terms.get(name, set()):
                ids = self._engine.postings(reader, name, lexeme)[0]
                i = int(np.searchsorted(ids, docnum))
                if i < len(ids) and ids[i] == docnum:
                    out.append(name)
                    break
        return tuple(out)


def _candidates(searcher: Any, word: str) -> list[str]:
    """Indexed words near `word`: lexemes within edit distance 1 (then 2) of its lexeme, most
    frequent first, each turned back into a surface word taken from a document that holds it."""
    lexeme = query_form(word)
    if not lexeme:
        return []
    reader = searcher.reader()
    for maxdist in (1, 2):
        freq: dict[str, int] = {}
        for name in TEXT_FIELDS:
            for near in reader.terms_within(name, lexeme, maxdist, prefix=1):
                freq[near] = freq.get(near, 0) + searcher.doc_frequency(name, near)
        if freq:
            ranked = sorted(freq, key=lambda lex: (-freq[lex], lex))[:3]
            return [w for w in (_surface(searcher, lex) for lex in ranked) if w]
    return []


def _surface(searcher: Any, lexeme: str) -> str | None:
    """A word as written in some document that is indexed under `lexeme`."""
    for name in TEXT_FIELDS:
        for docnum in searcher.docs_for_query(Term(name, lexeme)):
            for tok in tokens(searcher.stored_fields(docnum).get(name, "")):
                if lexeme in tok.lexemes:
                    return tok.word.lower()
            break
    return None
