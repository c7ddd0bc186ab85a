"""The PostgreSQL catalog's tsvector text: the fast build gives what the Token-based reference gives."""

from __future__ import annotations

from dataclasses import replace

from search.analysis import STOP_WORDS, tokens
from search.model import TEXT_FIELDS, CatalogDocument
from search.pg_schema import (
    FIELD_PREFIX,
    HEAD_FIELDS,
    KEY_PREFIX,
    MAX_POS,
    WEIGHT,
    _keywords,
    _quote,
    tsvector_literals,
)
from search.synthetic import SAMPLE_CURRICULUM, synthetic_documents


def reference(doc: CatalogDocument, words: set[str]) -> tuple[str, str]:
    """The original build, over analysis.tokens."""
    entries: dict[str, list[str]] = {}
    for name in TEXT_FIELDS:
        body = doc.text_of(name)
        if not body:
            continue
        prefix, weight = FIELD_PREFIX[name], WEIGHT.get(name, "D")
        for tok in tokens(body):
            pos = f"{min(tok.pos + 1, MAX_POS)}{weight}"
            for lexeme in tok.lexemes:
                entries.setdefault(f"{prefix}:{lexeme}", []).append(pos)
            if len(tok.word) > 2 and tok.word.isalpha() and tok.word.lower() not in STOP_WORDS:
                words.add(tok.word.lower())
    parts = {lex: f"{_quote(lex)}:{','.join(dict.fromkeys(p))}" for lex, p in entries.items()}
    heads = {FIELD_PREFIX[name] + ":" for name in HEAD_FIELDS}
    head = " ".join(part for lex, part in parts.items() if lex[:3] in heads)
    full = list(parts.values())
    for key, values in _keywords(doc).items():
        full.extend(_quote(f"{KEY_PREFIX[key]}:{v}") for v in values)
    return " ".join(full), head


def test_tsvector_text_matches_the_reference() -> None:
    docs = list(synthetic_documents(300, curriculum=SAMPLE_CURRICULUM, seed=8))
    # Past the last tsvector position, caps, abbreviations, quotes and backslashes.
    long_text = " ".join(f"lesion{i % 7} CT the LUNGS O'Brien back\\slash" for i in range(3000))
    docs.append(replace(docs[0], findings=long_text, title="US of the LUNGS: it's a PE"))
    checked = 0
    for doc in docs:
        fast_words: set[str] = set()
        slow_words: set[str] = set()
        assert tsvector_literals(doc, fast_words) == reference(doc, slow_words)
        assert fast_words == slow_words
        checked += bool(fast_words)
    assert checked == len(docs)
    full, _ = tsvector_literals(docs[-1])
    assert f"{MAX_POS}C" in full  # findings weigh C; positions stop at MAX_POS
