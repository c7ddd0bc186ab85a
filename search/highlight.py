"""Snippets with <mark>ed matches, made the same way for both backends.

The text is HTML-escaped around the marks, so a snippet is safe to render as HTML
(PostgreSQL's ts_headline does not escape, which is one reason this lives in Python).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from html import escape

from search.analysis import TOKEN_RE, index_forms

WINDOW = 24  # words per snippet
# Snowball English only rewrites the end of a word: a stem is a prefix of the lower-cased word followed
# by a few rewritten letters ("-bility" -> "-ble", "-ation" -> "-ate", "-y" -> "-i", "lying" -> "lie":
# two at most). So a word indexed under lexeme L starts with L minus its last four letters (at least its
# first letter; two letters of margin), and a text holding none of those prefixes cannot hold a match.
# Checked over a vocabulary of every rewritten suffix in tests/search/test_highlight.py. Most fields of
# a hit fail this test, which runs in C, so a page's snippets cost a third of a full scan.
REWRITTEN = 4


def snippet(text: str, lexemes: set[str], *, window: int = WINDOW) -> str | None:
    """The best window of `text` with every word indexed under one of `lexemes` marked."""
    if not text or not lexemes:
        return None
    prefixes = _prefixes(frozenset(lexemes))
    if prefixes is not None:
        low = text.lower()
        if not any(p in low for p in prefixes):
            return None
    # Spans of the kept words (what analysis.tokens yields, without building a Token for each).
    spans: list[tuple[int, int]] = []
    hits: list[int] = []
    for match in TOKEN_RE.finditer(text):
        forms = index_forms(match.group(0))
        if forms:
            if not lexemes.isdisjoint(forms):
                hits.append(len(spans))
            spans.append(match.span())
    if not hits:
        return None
    # The window holding the most matches; ties go to the earliest.
    best_start, best_count, j = hits[0], 0, 0
    for i, start in enumerate(hits):
        while j < len(hits) and hits[j] < start + window:
            j += 1
        if j - i > best_count:
            best_start, best_count = start, j - i
    first = max(0, min(best_start - 3, len(spans) - window))
    last = min(len(spans), first + window) - 1
    begin, end = spans[first][0], spans[last][1]
    marked = set(hits)
    out = ["…" if begin > 0 else ""]
    cursor = begin
    for i in range(first, last + 1):
        if i in marked:
            start, stop = spans[i]
            out.append(escape(text[cursor:start]))
            out.append(f"<mark>{escape(text[start:stop])}</mark>")
            cursor = stop
    out.append(escape(text[cursor:end]))
    out.append("…" if end < len(text.rstrip()) else "")
    return "".join(out).strip()


def stem_prefix(lexeme: str) -> str:
    """What every word indexed under `lexeme` starts with once lower-cased."""
    return lexeme[: max(1, len(lexeme) - REWRITTEN)]


@lru_cache(maxsize=4096)
def _prefixes(lexemes: frozenset[str]) -> tuple[str, ...] | None:
    """The prefixes a text must hold to match, or None when the test cannot be made (non-ASCII
    lexemes: lower-casing a whole text and a lone word may differ outside ASCII)."""
    prefixes = tuple(sorted({stem_prefix(lexeme) for lexeme in lexemes}))
    return prefixes if all(p.isascii() for p in prefixes) else None


def highlights(
    texts: Mapping[str, str], terms: Mapping[str | None, set[str]], fields: tuple[str, ...]
) -> tuple[tuple[str, str], ...]:
    """(field, snippet) for each of `fields` whose text holds a query term meant for it."""
    out = []
    everywhere = terms.get(None, set())
    for name in fields:
        wanted = everywhere | terms.get(name, set())
        found = snippet(texts.get(name, ""), wanted)
        if found:
            out.append((name, found))
    return tuple(out)
