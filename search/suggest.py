""" "Did you mean": shared by both backends, which supply the vocabulary look-ups.

Only a word whose lexeme occurs nowhere in the index is corrected, and a correction is offered
only if the corrected query finds something for the same caller (same principals, filters and
blind rules), so a suggestion never reveals a word from a case the caller cannot see.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from search.analysis import query_form, words
from search.model import SearchQuery


def suggest(
    query: SearchQuery,
    *,
    known: Callable[[str], bool],
    candidates: Callable[[str], list[str]],
    count: Callable[[SearchQuery], int],
) -> str | None:
    """known(lexeme) -> indexed anywhere?; candidates(word) -> close words, best first."""
    text = query.text or ""
    corrected = text
    changed = False
    for word in dict.fromkeys(words(text)):
        if word in ("AND", "OR", "NOT") or not word.isalpha() or len(word) < 3:
            continue
        lexeme = query_form(word)
        if lexeme is None or known(lexeme):
            continue
        for candidate in candidates(word.lower()):
            form = query_form(candidate)
            if form and form != lexeme and known(form):
                corrected = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", candidate, corrected)
                changed = True
                break
    if not changed:
        return None
    probe = replace(query, text=corrected, first=1, after=None, facets=(), order="NEWEST")
    return corrected if count(probe) > 0 else None
