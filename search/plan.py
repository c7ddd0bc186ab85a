"""What both backends need from a SearchQuery before they touch an index."""

from __future__ import annotations

from dataclasses import dataclass

from search.cursor import Cursor, decode
from search.model import BLIND_VISIBLE_FIELDS, SearchQuery, normalise_path, validate
from search.querytext import Node, highlight_terms, parse, restrict


@dataclass(frozen=True)
class Plan:
    query: SearchQuery
    order: str
    text: Node | None  # None: no text constraint
    blind_text: Node | None  # the text as a blinded case sees it (a Const when it can never match)
    collection: str | None
    cursor: Cursor | None
    terms: dict[str | None, set[str]]  # lexemes to highlight per field
    blind_terms: dict[str | None, set[str]]

    @property
    def blinded(self) -> bool:
        return bool(self.query.blinded_case_ids)


def make_plan(query: SearchQuery) -> Plan:
    """A checked query turned into what both backends execute (parsed text, order, blind fields)."""
    validate(query)
    text = parse(query.text)
    order = query.order or ("RELEVANCE" if text is not None else "NEWEST")
    blind_text = restrict(text, BLIND_VISIBLE_FIELDS) if text is not None else None
    return Plan(
        query=query,
        order=order,
        text=text,
        blind_text=blind_text,
        collection=normalise_path(query.collection_path) if query.collection_path else None,
        cursor=decode(query.after, order),
        terms=highlight_terms(text) if text is not None else {},
        blind_terms=highlight_terms(blind_text) if blind_text is not None else {},
    )
