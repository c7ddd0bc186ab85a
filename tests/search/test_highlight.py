"""Snippets: the span-based scan gives what the Token-based reference gives, on varied text."""

from __future__ import annotations

from html import escape

import pytest

from search.analysis import TOKEN_RE, index_forms, query_lexemes, tokens
from search.highlight import snippet, stem_prefix
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


# Every suffix Snowball English rewrites or removes (steps 1a-5), and words its exception list maps.
SUFFIXES = (
    "", "s", "es", "ss", "sses", "ied", "ies", "us", "eed", "eedly", "ed", "edly", "ing", "ingly", "y", "ly",
    "ational", "tional", "enci", "ency", "anci", "ancy", "izer", "bli", "ably", "alli", "ally", "entli", "ently",
    "eli", "ousli", "ously", "ization", "ation", "ations", "ator", "alism", "iveness", "fulness", "ousness",
    "aliti", "ality", "iviti", "ivity", "biliti", "bility", "ability", "ibility", "logi", "logy", "fulli",
    "fully", "lessli", "lessly", "li", "icate", "ative", "alize", "iciti", "icity", "ical", "ically", "ful",
    "ness", "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ism", "ate",
    "iti", "ous", "ive", "ize", "ise", "ion", "sion", "tion", "e", "ll", "le",
)  # fmt: skip
EXCEPTIONS = (
    "skis", "skies", "dying", "lying", "tying", "idly", "gently", "ugly", "early", "only", "singly", "sky",
    "news", "howe", "atlas", "cosmos", "bias", "andes", "inning", "outing", "canning", "herring", "earring",
    "proceed", "exceed", "succeed", "generously", "communism", "arsenal",
)  # fmt: skip


def vocabulary() -> set[str]:
    words = set(EXCEPTIONS)
    for d in synthetic_documents(200, curriculum=SAMPLE_CURRICULUM, seed=4):
        for name in ("title", "findings", "discussion", "clinical_history", "teaching_points"):
            words.update(TOKEN_RE.findall(d.text_of(name)))
    roots = [*sorted({w.lower() for w in words if w.isalpha()})[:400], "hop", "cri", "rel", "condit", "gener", "a", "y"]
    for root in roots:
        words.update(root + suffix for suffix in SUFFIXES)
    words.update(w.upper() for w in list(words) if len(w) <= 6)  # abbreviations and the ALL-CAPS path
    return words


def test_a_word_starts_with_its_lexemes_stem_prefix() -> None:
    """The premise of snippet's fast refusal: no word is indexed under a lexeme whose prefix it lacks."""
    words = vocabulary()
    checked = 0
    for word in words:
        for lexeme in index_forms(word):
            assert word.lower().startswith(stem_prefix(lexeme)), (word, lexeme, stem_prefix(lexeme))
            checked += 1
    assert checked > 30_000


def test_the_vocabulary_refutes_an_allowance_of_one_letter() -> None:
    """Words whose stem rewrites two letters exist ("lying" -> "lie", "-bility" -> "-ble"), so the
    check above would fail with too small an allowance."""
    refuted = {
        word
        for word in vocabulary()
        for lexeme in index_forms(word)
        if not word.lower().startswith(lexeme[: max(1, len(lexeme) - 1)])
    }
    assert {"lying", "dying", "tying"} <= refuted


def test_a_text_without_the_prefix_gives_no_snippet_and_one_with_it_does() -> None:
    text = "Bilateral pulmonary emboli. Generously sized conditional findings."
    assert snippet(text, {"haemorrhag"}) is None
    for query in ("emboli", "generous", "conditionally", "PULMONARY", "finding"):
        lexemes = set(query_lexemes(query))
        assert snippet(text, lexemes) == reference(text, lexemes, 24) is not None, query
