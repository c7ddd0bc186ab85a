"""The PostgreSQL catalog table and how a CatalogDocument becomes one of its rows.

One weighted tsvector per document holds field-qualified lexemes ("ti:stroke" for a word of
the title, "dx:..." diagnosis, ...) so a field prefix is an index lookup too, plus unpositioned
keyword lexemes ("mo:CT", "cc:NEURO.STROKE") that the query language can combine with text.
Lexemes come from `search.analysis`, the analyzer the Whoosh backend uses, so both backends
stem, stop and keep abbreviations identically.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from sqlalchemy import BigInteger, Column, Index, Integer, MetaData, Table, Text, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TIMESTAMP, TSVECTOR
from sqlalchemy.engine import Connection

from search.analysis import STOP_WORDS, TOKEN_RE, index_forms
from search.model import TEXT_FIELDS, CatalogDocument, collection_ancestors, micros, title_key

TABLE = "lightbox_catalog"
VOCAB_TABLE = "lightbox_catalog_vocab"
MAX_POS = 16383  # tsvector positions stop here

FIELD_PREFIX = {
    "title": "ti",
    "clinical_history": "hi",
    "findings": "fi",
    "diagnosis": "dx",
    "differential_diagnoses": "dd",
    "discussion": "di",
    "teaching_points": "tp",
    "tags": "tg",
    "curriculum_titles": "cu",
}
KEY_PREFIX = {
    "modalities": "mo",
    "body_regions": "br",
    "difficulty": "df",
    "state": "st",
    "curriculum_expanded": "cc",
    "collection": "co",
}
# Fields whose lexemes also go into the small `head` tsvector that relevance ranks on: ranking
# every match on the full tsvector means de-TOASTing it (0.5 s for 50,000 matches), the head
# stays inline in the row.
HEAD_FIELDS = frozenset({"title", "diagnosis", "differential_diagnoses", "curriculum_titles", "tags"})
WEIGHT = {
    "title": "A",
    "diagnosis": "B",
    "curriculum_titles": "B",
    "findings": "C",
    "teaching_points": "C",
}

metadata = MetaData()
_C = "C"  # byte-order collation: ordering and keyset comparisons match the Whoosh backend

catalog = Table(
    TABLE,
    metadata,
    Column("doc_id", Text(collation=_C), primary_key=True),
    Column("case_id", Text, nullable=False, index=True),
    Column("version", Integer, nullable=False),
    Column("title_key", Text(collation=_C), nullable=False),
    Column("created", TIMESTAMP(timezone=True), nullable=False),
    Column("created_us", BigInteger, nullable=False),
    Column("modified", TIMESTAMP(timezone=True), nullable=False),
    Column("state", Text, nullable=False),
    Column("difficulty", Text),
    Column("diagnosis", Text, nullable=False),
    Column("collection_path", Text, nullable=False),
    Column("collections", ARRAY(Text), nullable=False),
    Column("modalities", ARRAY(Text), nullable=False),
    Column("body_regions", ARRAY(Text), nullable=False),
    Column("tags", ARRAY(Text), nullable=False),
    Column("curriculum", ARRAY(Text), nullable=False),
    Column("allowed", ARRAY(Text), nullable=False),
    Column("denied", ARRAY(Text), nullable=False, server_default="{}"),
    Column("texts", JSONB, nullable=False),
    Column("tsv", TSVECTOR, nullable=False),
    Column("head", TSVECTOR, nullable=False),
    Index(f"ix_{TABLE}_tsv", "tsv", postgresql_using="gin"),
    Index(f"ix_{TABLE}_allowed", "allowed", postgresql_using="gin"),
    Index(f"ix_{TABLE}_curriculum", "curriculum", postgresql_using="gin"),
    Index(f"ix_{TABLE}_modalities", "modalities", postgresql_using="gin"),
    Index(f"ix_{TABLE}_body_regions", "body_regions", postgresql_using="gin"),
    Index(f"ix_{TABLE}_collections", "collections", postgresql_using="gin"),
    Index(f"ix_{TABLE}_newest", "created_us", "doc_id"),
    Index(f"ix_{TABLE}_title", "title_key", "doc_id"),
)

vocab = Table(
    VOCAB_TABLE,
    metadata,
    Column("word", Text, primary_key=True),
    Index(f"ix_{VOCAB_TABLE}_trgm", "word", postgresql_using="gin", postgresql_ops={"word": "gin_trgm_ops"}),
)

COLUMNS = tuple(c.name for c in catalog.columns)
_LOCK_KEY = 0x4C49474854  # pg_advisory_xact_lock key for schema creation ("LIGHT")
_HEADS = frozenset(FIELD_PREFIX[name] + ":" for name in HEAD_FIELDS)


def ensure_schema(conn: Connection) -> None:
    """Create the extension, tables and indexes if missing; safe to run concurrently."""
    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
    conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    metadata.create_all(conn, checkfirst=True)
    # Catalogs created before a column existed gain it; `lightbox reindex` fills it.
    conn.execute(text(f"ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS denied text[] NOT NULL DEFAULT '{{}}'"))


def _quote(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


@lru_cache(maxsize=200_000)
def _plain_word(word: str) -> str | None:
    """A word worth suggesting ("did you mean"), lower-cased: alphabetic, over two letters, not a stop word."""
    low = word.lower()
    return low if len(word) > 2 and word.isalpha() and low not in STOP_WORDS else None


@lru_cache(maxsize=400_000)
def _quoted(lexeme: str) -> str:
    return _quote(lexeme)


def tsvector_literals(doc: CatalogDocument, words: set[str] | None = None) -> tuple[str, str]:
    """The document's full and head tsvectors in PostgreSQL's input syntax; collects plain words.

    Positions count kept words only (as `analysis.tokens` numbers them); the loop works on the
    cached forms of the raw words, which is what makes a `lightbox reindex` fast."""
    entries: dict[str, list[str]] = {}
    for name in TEXT_FIELDS:
        body = doc.text_of(name)
        if not body:
            continue
        prefix, weight = FIELD_PREFIX[name] + ":", WEIGHT.get(name, "D")
        raw = TOKEN_RE.findall(body)
        pos = 0
        for forms in map(index_forms, raw):
            if not forms:
                continue  # a stop word takes no position
            pos += 1
            at = f"{pos if pos < MAX_POS else MAX_POS}{weight}"
            for lexeme in forms:
                key = prefix + lexeme
                seen = entries.get(key)
                if seen is None:
                    entries[key] = [at]
                elif seen[-1] != at:  # positions only grow; past MAX_POS they repeat
                    seen.append(at)
        if words is not None:
            words.update(filter(None, map(_plain_word, raw)))
    parts = {lex: f"{_quoted(lex)}:{','.join(p)}" for lex, p in entries.items()}
    head = " ".join(part for lex, part in parts.items() if lex[:3] in _HEADS)
    full = list(parts.values())
    for key, values in _keywords(doc).items():
        full.extend(_quote(f"{KEY_PREFIX[key]}:{v}") for v in values)
    return " ".join(full), head


def _keywords(doc: CatalogDocument) -> dict[str, tuple[str, ...]]:
    return {
        "modalities": doc.modalities,
        "body_regions": doc.body_regions,
        "difficulty": (doc.difficulty,) if doc.difficulty else (),
        "state": (doc.state,),
        "curriculum_expanded": doc.curriculum_expanded,
        "collection": collection_ancestors(doc.collection_path),
    }


def to_row(doc: CatalogDocument, words: set[str] | None = None) -> dict[str, Any]:
    """A catalog document as a row of the PostgreSQL catalog table."""
    tsv, head = tsvector_literals(doc, words)
    return {
        "doc_id": doc.doc_id,
        "case_id": doc.case_id,
        "version": doc.version,
        "title_key": title_key(doc.title),
        "created": doc.created,
        "created_us": micros(doc.created),
        "modified": doc.modified,
        "state": doc.state,
        "difficulty": doc.difficulty,
        "diagnosis": doc.diagnosis,
        "collection_path": doc.collection_path,
        "collections": list(collection_ancestors(doc.collection_path)),
        "modalities": list(doc.modalities),
        "body_regions": list(doc.body_regions),
        "tags": list(doc.tags),
        "curriculum": list(doc.curriculum_expanded),
        "allowed": list(doc.allowed),
        "denied": list(doc.denied),
        "texts": json.dumps({name: doc.text_of(name) for name in TEXT_FIELDS if doc.text_of(name)}),
        "tsv": tsv,
        "head": head,
    }
