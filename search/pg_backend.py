"""The PostgreSQL catalog: one table with a weighted tsvector (GIN), array columns for filters,
facets and permissions (GIN, `&&`), keyset pagination and pg_trgm suggestions."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import create_engine, event, exc, text
from sqlalchemy.engine import Connection, Engine

from content.cases.visibility import UNTITLED_SORT_KEY
from search.analysis import query_form
from search.cursor import Cursor, encode
from search.highlight import highlights
from search.model import (
    BLIND_FACETS,
    BLIND_VISIBLE_FIELDS,
    TEXT_FIELDS,
    CatalogDocument,
    FacetBucket,
    Hit,
    SearchQuery,
    SearchResult,
)
from search.pg_query import ORDERS, compile_plan, head_lexemes, keyset, tsquery
from search.pg_schema import COLUMNS, TABLE, VOCAB_TABLE, catalog, ensure_schema, to_row
from search.plan import Plan, make_plan
from search.querytext import Lex
from search.suggest import suggest

BATCH = 2000
MAX_BUCKETS = 200
# facet -> its (value, count) rows over the matched set m, each grouped on its own (one hash key
# instead of a (facet, value) pair); from a fixed list: never user text.
_FACET_SQL = {
    "modalities": "SELECT 'modalities', v, count(*) FROM (SELECT unnest(modalities) AS v FROM m) x GROUP BY v",
    "body_regions": "SELECT 'body_regions', v, count(*) FROM (SELECT unnest(body_regions) AS v FROM m) x GROUP BY v",
    "difficulty": "SELECT 'difficulty', difficulty, count(*) FROM m WHERE difficulty IS NOT NULL GROUP BY difficulty",
    "state": "SELECT 'state', state, count(*) FROM m GROUP BY state",
    "curriculum": "SELECT 'curriculum', v, count(*) FROM (SELECT unnest(curriculum) AS v FROM m WHERE NOT blind) x "
    "GROUP BY v",
    "tags": "SELECT 'tags', v, count(*) FROM (SELECT unnest(tags) AS v FROM m WHERE NOT blind) x GROUP BY v",
    "diagnosis": "SELECT 'diagnosis', diagnosis, count(*) FROM m WHERE NOT blind AND diagnosis <> '' "
    "GROUP BY diagnosis",
}
_CASTS = {"tsv": "CAST(:tsv AS tsvector)", "head": "CAST(:head AS tsvector)", "texts": "CAST(:texts AS jsonb)"}
_UPSERT = (
    f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) VALUES ("
    + ", ".join(_CASTS.get(c, f":{c}") for c in COLUMNS)
    + ") ON CONFLICT (doc_id) DO UPDATE SET "
    + ", ".join(f"{c} = EXCLUDED.{c}" for c in COLUMNS if c != "doc_id")
)
# Settings of the reading connections, given when they connect (no round trip per search):
# - the planner prices `tsv @@ q` as cheap and scans the table for common words, de-TOASTing every
#   tsvector (0.8 s at 100,000 cases); the GIN bitmap needs no recheck and is 10x faster;
# - the matched set and the facet aggregate stay in memory (4MB spills ~20MB to disk for a common
#   word at 100,000 cases).
_READER_OPTIONS = "-c enable_seqscan=off -c work_mem=64MB"
# A pooled reading connection idle longer than this is pinged before use (a restarted server).
_IDLE_PING_SECONDS = 10.0
_ADD_WORDS = f"INSERT INTO {VOCAB_TABLE} (word) SELECT unnest(CAST(:words AS text[])) ON CONFLICT DO NOTHING"


TURN_KEY = 0x4C49_4748_5442_4F58 & 0x7FFF_FFFF_FFFF_FFFF  # "LIGHTBOX"


class PostgresCatalog:
    def __init__(self, engine: Engine, *, owns_engine: bool = False) -> None:
        self._turn = threading.Lock()
        self.engine = engine
        self._owns_engine = owns_engine
        self._reader: Engine | None = None
        self._reader_lock = threading.Lock()

    def reader(self) -> Engine:
        """The engine searches read through: its own small pool of autocommit connections with the
        search settings, so a search is one round trip (no BEGIN, SET, ROLLBACK or pre-ping)."""
        if self._reader is None:
            with self._reader_lock:
                if self._reader is None:
                    self._reader = _reading_engine(self.engine)
        return self._reader

    def ensure_schema(self) -> None:
        with self.engine.begin() as conn:
            ensure_schema(conn)

    # -- writing ---------------------------------------------------------------------------

    def _upsert(self, conn: Connection, docs: Sequence[CatalogDocument]) -> None:
        words: set[str] = set()
        rows = [to_row(d, words) for d in docs]
        if rows:
            conn.execute(text(_UPSERT), rows)
        if words:
            conn.execute(text(_ADD_WORDS), {"words": sorted(words)})

    def index(self, docs: Sequence[CatalogDocument]) -> None:
        with self.engine.begin() as conn:
            self._upsert(conn, docs)

    def delete_case(self, case_id: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(text(f"DELETE FROM {TABLE} WHERE case_id = :c"), {"c": case_id})

    @contextmanager
    def turn(self) -> Iterator[None]:
        # A session-level advisory lock on its own connection: the workers of one service take turns.
        with self._turn, self.engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": TURN_KEY})
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": TURN_KEY})
                conn.commit()

    def replace_case(self, case_id: str, docs: Sequence[CatalogDocument]) -> None:
        if any(d.case_id != case_id for d in docs):
            raise ValueError("replace_case got a document of another case")
        with self.engine.begin() as conn:  # one transaction: readers see old or new entries
            conn.execute(text(f"DELETE FROM {TABLE} WHERE case_id = :c"), {"c": case_id})
            self._upsert(conn, docs)

    def clear(self) -> None:
        with self.engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {TABLE}, {VOCAB_TABLE}"))

    def rebuild(self, docs: Iterable[CatalogDocument], *, progress: Callable[[int], None] | None = None) -> int:
        """Reload everything with COPY in one transaction, indexes dropped and rebuilt around it.
        Readers wait on the table lock while it runs and then see the new catalog."""
        count = 0
        words: set[str] = set()
        with self.engine.begin() as conn:
            conn.execute(text("SET LOCAL maintenance_work_mem = '256MB'"))
            conn.execute(text(f"TRUNCATE {TABLE}, {VOCAB_TABLE}"))
            for index in catalog.indexes:
                index.drop(conn)
            driver = conn.connection.driver_connection
            assert driver is not None
            with driver.cursor() as cursor:
                with cursor.copy(f"COPY {TABLE} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                    for doc in docs:
                        row = to_row(doc, words)
                        copy.write_row([row[c] for c in COLUMNS])
                        count += 1
                        if progress and count % BATCH == 0:
                            progress(count)
                with cursor.copy(f"COPY {VOCAB_TABLE} (word) FROM STDIN") as copy:
                    for word in sorted(words):
                        copy.write_row((word,))
            for index in catalog.indexes:
                index.create(conn)
        with self.engine.connect() as conn:
            conn.execute(text(f"ANALYZE {TABLE}"))
            conn.commit()
        if progress:
            progress(count)
        return count

    def versions(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {d: v for d, v in conn.execute(text(f"SELECT doc_id, version FROM {TABLE}"))}

    def doc_count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(text(f"SELECT count(*) FROM {TABLE}")).scalar_one())

    def close(self) -> None:
        if self._reader is not None:
            self._reader.dispose()
        if self._owns_engine:
            self.engine.dispose()

    # -- reading ---------------------------------------------------------------------------

    def search(self, query: SearchQuery) -> SearchResult:
        plan = make_plan(query)
        sql = compile_plan(plan)
        params = dict(sql.params, first=query.first + 1)
        column, direction, _, _ = ORDERS[plan.order]
        facets = [f for f in dict.fromkeys(query.facets)]
        facet_sql = (
            "SELECT json_agg(json_build_array(f, v, n)) FROM ("
            + " UNION ALL ".join(_FACET_SQL[f] for f in facets)
            + ") AS y(f, v, n)"
            if facets
            else "SELECT NULL::json"
        )
        texts = "c.texts" if plan.text is not None else "NULL::jsonb"
        blind = "case_id = ANY(CAST(:blind AS text[]))" if plan.blinded else "FALSE"
        # A case blind to the caller sorts as untitled: its place in a TITLE page must not spell its title.
        title = (
            f"CASE WHEN {blind} THEN '{UNTITLED_SORT_KEY}' COLLATE \"C\" ELSE title_key END"
            if plan.blinded
            else "title_key"
        )
        columns = f"doc_id, case_id, {sql.rank} AS rank, created_us, {title} AS title_key"
        page_of = f"""SELECT json_agg(json_build_array(p.doc_id, p.case_id, p.rank, p.created_us, p.title_key,
                                                     p.blind, {texts}) ORDER BY p.{column} {direction}, p.doc_id)
                    FROM page p JOIN {TABLE} c ON c.doc_id = p.doc_id"""
        if facets:
            # Facets aggregate the whole matched set: it is read once into memory and counted,
            # grouped and paged from there.
            statement = f"""
                WITH m AS MATERIALIZED (
                    SELECT {columns}, modalities, body_regions, difficulty, state, curriculum, tags, diagnosis,
                           {blind} AS blind
                    FROM {TABLE} WHERE {sql.where}
                ), page AS (
                    SELECT doc_id, case_id, rank, created_us, title_key, blind FROM m
                    WHERE {keyset(plan, params)}
                    ORDER BY {column} {direction}, doc_id LIMIT :first
                )
                SELECT (SELECT count(*) FROM m), ({facet_sql}), ({page_of})
            """
        elif (ranked := head_lexemes(plan)) is not None:
            # Relevance without facets: only rows whose head holds a query word can rank above 0
            # (found through the GIN index, then ranked); when they fill the page the others are
            # never read, else the page continues with rank-0 rows in doc_id order. A common word
            # at 100,000 cases ranks a few thousand rows instead of every match.
            params["ranked"] = ranked
            statement = f"""
                WITH ranked AS (
                    SELECT * FROM (SELECT {columns}, {blind} AS blind FROM {TABLE}
                                   WHERE {sql.where} AND tsv @@ CAST(:ranked AS tsquery)) s
                    WHERE {keyset(plan, params)}
                    ORDER BY rank DESC, doc_id LIMIT :first
                ), rest AS (
                    SELECT * FROM (SELECT doc_id, case_id, CAST(0 AS real) AS rank, created_us, {title} AS title_key,
                                          {blind} AS blind
                                   FROM {TABLE} WHERE {sql.where} AND NOT (head @@ CAST(:ranked AS tsquery))) s
                    WHERE {keyset(plan, params)} AND (SELECT count(*) FROM ranked WHERE rank > 0) < :first
                    ORDER BY doc_id LIMIT :first
                ), page AS (
                    SELECT * FROM (SELECT * FROM ranked UNION ALL SELECT * FROM rest) u
                    ORDER BY rank DESC, doc_id LIMIT :first
                )
                SELECT (SELECT count(*) FROM {TABLE} WHERE {sql.where}), NULL::json, ({page_of})
            """
        else:
            # No facets: the count reads no columns, and the page is planned on its own, so a
            # NEWEST or TITLE page walks its index and stops after `first` rows instead of
            # materialising every match (half the time of a common curriculum code at 100,000).
            statement = f"""
                WITH page AS (
                    SELECT * FROM (SELECT {columns}, {blind} AS blind FROM {TABLE} WHERE {sql.where}) s
                    WHERE {keyset(plan, params)}
                    ORDER BY {column} {direction}, doc_id LIMIT :first
                )
                SELECT (SELECT count(*) FROM {TABLE} WHERE {sql.where}), NULL::json, ({page_of})
            """
        with self.reader().connect() as conn:
            total, facet_rows, page_rows = conn.execute(text(statement), params).one()
            suggestion = None
            if not total and plan.text is not None:
                suggestion = suggest(
                    query,
                    known=lambda lex: self._known(conn, lex),
                    candidates=lambda word: self._candidates(conn, word),
                    count=lambda probe: self._count(conn, probe),
                )
        hits = self._hits(plan, page_rows or [])
        return SearchResult(
            hits=tuple(hits[: query.first]),
            total=total,
            facets=_buckets(facets, facet_rows or []),
            has_next=len(hits) > query.first,
            end_cursor=hits[: query.first][-1].cursor if hits else None,
            suggestion=suggestion,
        )

    def _hits(self, plan: Plan, rows: list[list[Any]]) -> list[Hit]:
        offset = plan.cursor.offset if plan.cursor else 0
        out = []
        for i, (doc_id, case_id, rank, created_us, title_key, blind, texts) in enumerate(rows):
            key = {"RELEVANCE": rank, "NEWEST": created_us, "TITLE": title_key}[plan.order]
            terms = plan.blind_terms if blind else plan.terms
            fields = tuple(f for f in TEXT_FIELDS if f in BLIND_VISIBLE_FIELDS) if blind else TEXT_FIELDS
            out.append(
                Hit(
                    case_id=case_id,
                    doc_id=doc_id,
                    score=float(rank) if plan.order == "RELEVANCE" else 0.0,
                    cursor=encode(Cursor(plan.order, key, doc_id, offset + i + 1)),
                    highlights=highlights(_texts(texts), terms, fields) if terms and texts else (),
                )
            )
        return out

    def _count(self, conn: Connection, query: SearchQuery) -> int:
        sql = compile_plan(make_plan(query))
        return int(conn.execute(text(f"SELECT count(*) FROM {TABLE} WHERE {sql.where}"), sql.params).scalar_one())

    def _known(self, conn: Connection, lexeme: str) -> bool:
        q = tsquery(Lex(None, (lexeme,)))
        found = conn.execute(text(f"SELECT EXISTS (SELECT 1 FROM {TABLE} WHERE tsv @@ CAST(:q AS tsquery))"), {"q": q})
        return bool(found.scalar_one())

    def _candidates(self, conn: Connection, word: str) -> list[str]:
        rows = conn.execute(
            text(
                f"SELECT word FROM {VOCAB_TABLE} WHERE word % :w AND word <> :w "
                "ORDER BY similarity(word, :w) DESC, word LIMIT 5"
            ),
            {"w": word},
        ).scalars()
        return [w for w in rows if query_form(w) != query_form(word)]


def _reading_engine(engine: Engine) -> Engine:
    reader = create_engine(
        engine.url,
        isolation_level="AUTOCOMMIT",
        pool_size=5,
        max_overflow=10,
        connect_args={"options": _READER_OPTIONS},
    )

    @event.listens_for(reader, "checkin")
    def _checked_in(_dbapi_conn: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(reader, "checkout")
    def _ping_if_idle(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        # A busy pool skips the ping; a connection that sat idle (a server restart may have closed
        # it) is checked, and a dead one is replaced by the pool rather than failing a search.
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < _IDLE_PING_SECONDS:
            return  # just connected, or in use moments ago
        try:
            dbapi_conn.execute("SELECT 1")
        except Exception as error:
            raise exc.DisconnectionError() from error

    return reader


def _texts(value: Any) -> dict[str, str]:
    return json.loads(value) if isinstance(value, str) else dict(value)


def _buckets(facets: list[str], rows: list[list[Any]]) -> dict[str, tuple[FacetBucket, ...]]:
    grouped: dict[str, list[FacetBucket]] = {f: [] for f in facets}
    for name, value, count in rows:
        grouped[name].append(FacetBucket(value, int(count)))
    assert set(_FACET_SQL) >= BLIND_FACETS
    return {
        name: tuple(sorted(items, key=lambda b: (-b.count, b.value))[:MAX_BUCKETS]) for name, items in grouped.items()
    }
