"""The Whoosh schema: analysed text fields, exact keyword fields, sort columns, and the mapping
from a CatalogDocument to a Whoosh document.

The classes here are pickled into the index's TOC, so they must stay importable under these names.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whoosh import fields
from whoosh.analysis import Token, Tokenizer

from search.analysis import TOKEN_RE, index_forms, query_form
from search.model import TEXT_FIELDS, CatalogDocument, collection_ancestors, micros, title_key

# Relative weight of a match per field, mirroring PostgreSQL's A/B/C/D weights.
BOOSTS = {
    "title": 4.0,
    "diagnosis": 2.0,
    "curriculum_titles": 2.0,
    "findings": 1.5,
    "teaching_points": 1.5,
}
# Facet / filter name -> keyword field.
KEYWORD_FIELDS = {
    "modalities": "k_modalities",
    "body_regions": "k_body_regions",
    "difficulty": "k_difficulty",
    "state": "k_state",
    "curriculum": "k_curriculum",
    "curriculum_expanded": "k_curriculum",
    "tags": "k_tags",
    "diagnosis": "k_diagnosis",
    "collection": "k_collection",
    "allowed": "k_allowed",
    "denied": "k_denied",
}


class LightboxTokenizer(Tokenizer):  # type: ignore[misc]  # Whoosh ships no types
    """Whoosh face of `search.analysis`: index mode yields every form, query mode one lexeme."""

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        pos = start_pos
        for match in TOKEN_RE.finditer(value):
            word = match.group(0)
            if mode == "query":
                form = query_form(word)
                forms: tuple[str, ...] = (form,) if form else ()
            else:
                forms = index_forms(word)
            if not forms:
                continue
            for form in forms:
                t.text = form
                t.boost = 1.0
                t.stopped = False
                if keeporiginal:
                    t.original = word
                if positions:
                    t.pos = pos
                if chars:
                    t.startchar = start_char + match.start()
                    t.endchar = start_char + match.end()
                yield t
            pos += 1


class ListTokenizer(Tokenizer):  # type: ignore[misc]  # Whoosh ships no types
    """Each item of a list (or a one-item string) is one verbatim token."""

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))

    def __call__(
        self, value: Any, positions: bool = False, chars: bool = False, mode: str = "", **kwargs: Any
    ) -> Iterator[Token]:
        t = Token(positions, chars, mode=mode, **kwargs)
        items = [value] if isinstance(value, str) else value
        for i, item in enumerate(items):
            t.text = item
            t.boost = 1.0
            t.stopped = False
            if positions:
                t.pos = i
            if chars:
                t.startchar, t.endchar = 0, len(item)
            yield t


class ListField(fields.KEYWORD):  # type: ignore[misc]  # Whoosh ships no types
    """A multi-valued exact keyword field fed with a list of strings."""

    def __init__(self, stored: bool = False) -> None:
        # scorable: with a length column Whoosh caches the lookup it otherwise repeats (a stat()
        # per posting) while writing.
        super().__init__(stored=stored, scorable=True)
        self.analyzer = ListTokenizer()


def build_schema() -> fields.Schema:
    """The Whoosh schema of the catalog."""
    spec: dict[str, fields.FieldType] = {
        "doc_id": fields.ID(stored=True, unique=True, sortable=True),
        "case_id": fields.ID(stored=True),
        "version": fields.NUMERIC(int, bits=64, stored=True, sortable=True),
        "created": fields.NUMERIC(int, bits=64, sortable=True),
        "title_sort": fields.ID(sortable=True),
    }
    for name in TEXT_FIELDS:
        spec[name] = fields.TEXT(analyzer=LightboxTokenizer(), stored=True, field_boost=BOOSTS.get(name, 1.0))
    for kw in set(KEYWORD_FIELDS.values()):
        spec[kw] = ListField()
    return fields.Schema(**spec)


def to_whoosh(doc: CatalogDocument) -> dict[str, Any]:
    """A catalog document as the fields of a Whoosh document."""
    out: dict[str, Any] = {
        "doc_id": doc.doc_id,
        "case_id": doc.case_id,
        "version": doc.version,
        "created": micros(doc.created),
        "title_sort": title_key(doc.title),
        "k_modalities": list(doc.modalities),
        "k_body_regions": list(doc.body_regions),
        "k_difficulty": [doc.difficulty] if doc.difficulty else [],
        "k_state": [doc.state],
        "k_curriculum": list(doc.curriculum_expanded),
        "k_tags": list(doc.tags),
        "k_diagnosis": [doc.diagnosis] if doc.diagnosis else [],
        "k_collection": list(collection_ancestors(doc.collection_path)),
        "k_allowed": list(doc.allowed),
        "k_denied": list(doc.denied),
    }
    for name in TEXT_FIELDS:
        text = doc.text_of(name)
        if text:
            out[name] = text
    return {k: v for k, v in out.items() if v != []}
