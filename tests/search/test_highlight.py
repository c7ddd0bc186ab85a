"""Snippets: the span-based scan gives what the Token-based reference gives, on varied text."""

from __future__ import annotations

from html import escape

import pytest

from search.analysis import query_lexemes, tokens
from search.highlight import snippet
from search.synthetic import SAMPLE_CURRICULUM, synthetic_documents


def reference(text: str, lexemes: set[str], window: int) -> str | None:
    """The original implementation, over analysis.tokens."""
    if not text or not lexemes:
        return None
    toks = list(tokens(text))
    hits = [i for i, t in enumerate(toks) if lexemes.intersection(t.lexemes)]
    if not hits:
        return None
    best_start, best_count, j = hits[0], 0, 0
    for i, start in enumerate(hits):
        while j < len(hits) and hits[j] < start + window:
            j += 1
        if j - i > best_count:
            best_start, best_count = start, j - i
    first = max(0, min(best_start - 3, len(toks) - window))
    last = min(len(toks), first + window) - 1
    begin, end = toks[first].start, toks[last].end
    marked = set(hits)
    out = ["…" if begin > 0 else ""]
    cursor = begin
    for i in range(first, last + 1):
        if i in marked:
            tok = toks[i]
            out.append(escape(text[cursor : tok.start]))
            out.append(f"<mark>{escape(text[tok.start : tok.end])}</mark>")
            cursor = tok.end
    out.append(escape(text[cursor:end]))
    out.append("…" if end < len(text.rstrip()) else "")
    return "".join(out).strip()


@pytest.mark.parametrize("window", [24, 5, 1])
def test_snippet_matches_reference(window: int) -> None:
    texts = ["", "The <b>CT</b> & the LUNGS; US of the lungs.", "the of and"]
    for d in synthetic_documents(120, curriculum=SAMPLE_CURRICULUM, seed=2):
        texts.extend([d.title, d.findings, d.discussion, d.clinical_history])
    checked = 0
    for text in texts:
        for q in ("mass", "the", "haemorrhage lesion", "CT", "lungs", "US", "pneumothorax", "b"):
            lexemes = set(query_lexemes(q)) | {"lung"}
            got = snippet(text, lexemes, window=window)
            assert got == reference(text, lexemes, window)
            checked += got is not None
    assert checked > 100
