"""The C (clean) action for short descriptions such as StudyDescription.

Cleaning free text in general is unsolved; descriptions are short, mostly protocol words
("CT HEAD W/O CONTRAST"), and the values most likely to leak into them are the ones the
same object carries elsewhere (name, IDs, accession, institution, physicians) plus dates,
long numbers, e-mail addresses and phone numbers. We remove exactly those. A name that
appears nowhere else in the object cannot be recognised: callers who cannot accept that
construct the Deidentifier with keep_descriptions=False and the descriptions are removed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_PATTERNS = (
    re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"),  # e-mail
    re.compile(r"\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b"),  # dates in any order
    re.compile(r"\+?\d[\d ()-]{7,}\d"),  # phone numbers
    re.compile(r"\b\d{5,}\b"),  # long numbers: dates, MRNs, accessions
)
MIN_TOKEN = 3  # shorter tokens ("CT", "L") are protocol words far more often than names


def identifying_tokens(values: Iterable[str]) -> set[str]:
    """Whole values and their name/word components, upper-cased, long enough to matter."""
    tokens: set[str] = set()
    for value in values:
        text = str(value).strip().upper()
        if not text:
            continue
        tokens.add(text)
        tokens.update(part for part in re.split(r"[\^=\s,]+", text) if len(part) >= MIN_TOKEN)
    return {token for token in tokens if len(token) >= MIN_TOKEN}


def clean_text(text: str, tokens: set[str]) -> str:
    """Free text with every identifying token (names, ids) blanked out."""
    cleaned = text
    # Longest first so "SMITH^JOHN" goes before "SMITH" leaves "^JOHN" behind.
    for token in sorted(tokens, key=len, reverse=True):
        cleaned = re.sub(rf"(?<!\w){re.escape(token)}(?!\w)", " ", cleaned, flags=re.IGNORECASE)
    for pattern in _PATTERNS:
        cleaned = pattern.sub(" ", cleaned)
    return re.sub(r"\s+", " ", cleaned).strip(" -_^,;:")
