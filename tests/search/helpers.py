"""Small helpers shared by the catalog tests."""

from __future__ import annotations

from collections import Counter

from search.model import FACETS, SearchBackend, SearchQuery, SearchResult

ADMIN = frozenset({"role:administrator"})


def run(backend: SearchBackend, text: str | None = None, principals: frozenset[str] = ADMIN, **kw) -> SearchResult:
    kw.setdefault("first", 100)
    return backend.search(SearchQuery(principals=principals, text=text, **kw))


def cases(result: SearchResult) -> set[str]:
    return {h.case_id for h in result.hits}


def found(backend: SearchBackend, text: str | None = None, **kw) -> set[str]:
    """The case ids found, asked without facets (PostgreSQL plans that apart: both plans get tested)."""
    kw.setdefault("facets", ())
    return cases(run(backend, text, **kw))


def expected_facets(docs, blinded: frozenset[str] = frozenset()) -> dict[str, dict[str, int]]:
    """Facet counts computed by hand from the documents of a result."""
    out: dict[str, Counter[str]] = {name: Counter() for name in FACETS}
    for d in docs:
        hidden = d.case_id in blinded
        for name, attr in FACETS.items():
            if hidden and name in ("curriculum", "tags", "diagnosis"):
                continue
            value = getattr(d, attr)
            values = value if isinstance(value, tuple) else ((value,) if value else ())
            out[name].update(values)
    return {name: dict(c) for name, c in out.items()}


def facet_dict(result: SearchResult) -> dict[str, dict[str, int]]:
    return {name: {b.value: b.count for b in buckets} for name, buckets in result.facets.items()}
