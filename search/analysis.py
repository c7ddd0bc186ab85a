"""The one text analyzer both backends share: tokens, abbreviations, stop words, English stems.

Both catalogs index the lexemes produced here (Whoosh through `whoosh_schema.LightboxTokenizer`,
PostgreSQL as a ready-made tsvector), so a query matches the same documents on either backend.

Rules for a token:
* a known radiology abbreviation (CT, MRI, PE, SAH, ...) is kept lower-cased, never stemmed
  nor dropped;
* any other ALL-CAPS token of 2-6 characters (US, AS, ARDS) is indexed as-is lower-cased and,
  when it is not a stop word, also under its stem at the same position, so "LUNGS" still finds
  "lung" and "US" (ultrasound) is not lost as the pronoun "us";
* everything else is lower-cased, dropped when a stop word, and stemmed (Snowball English,
  the algorithm PostgreSQL's `english` configuration uses).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import NamedTuple

from whoosh.lang.snowball.english import EnglishStemmer

TOKEN_RE = re.compile(r"\w+(?:\.\w+)*", re.UNICODE)

# PostgreSQL's english stop list (snowball), so a dropped word is dropped on both backends.
STOP_WORDS = frozenset(
    [
        "i",
        "me",
        "my",
        "myself",
        "we",
        "our",
        "ours",
        "ourselves",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "he",
        "him",
        "his",
        "himself",
        "she",
        "her",
        "hers",
        "herself",
        "it",
        "its",
        "itself",
        "they",
        "them",
        "their",
        "theirs",
        "themselves",
        "what",
        "which",
        "who",
        "whom",
        "this",
        "that",
        "these",
        "those",
        "am",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "have",
        "has",
        "had",
        "having",
        "do",
        "does",
        "did",
        "doing",
        "a",
        "an",
        "the",
        "and",
        "but",
        "if",
        "or",
        "because",
        "as",
        "until",
        "while",
        "of",
        "at",
        "by",
        "for",
        "with",
        "about",
        "against",
        "between",
        "into",
        "through",
        "during",
        "before",
        "after",
        "above",
        "below",
        "to",
        "from",
        "up",
        "down",
        "in",
        "out",
        "on",
        "off",
        "over",
        "under",
        "again",
        "further",
        "then",
        "once",
        "here",
        "there",
        "when",
        "where",
        "why",
        "how",
        "all",
        "any",
        "both",
        "each",
        "few",
        "more",
        "most",
        "other",
        "some",
        "such",
        "no",
        "nor",
        "not",
        "only",
        "own",
        "same",
        "so",
        "than",
        "too",
        "very",
        "s",
        "t",
        "can",
        "will",
        "just",
        "don",
        "should",
        "now",
    ]
)

# Abbreviations kept verbatim in any case. Ones that collide with stop words (US, AS) are
# recognised only in capitals, by the ALL-CAPS rule.
ABBREVIATIONS = frozenset(
    [
        "ct",
        "mri",
        "mr",
        "cr",
        "dx",
        "us",
        "pet",
        "spect",
        "cxr",
        "axr",
        "ctpa",
        "cta",
        "mra",
        "mrcp",
        "ercp",
        "ivu",
        "kub",
        "dexa",
        "dwi",
        "adc",
        "flair",
        "swi",
        "pe",
        "dvt",
        "sah",
        "sdh",
        "edh",
        "ich",
        "tia",
        "mca",
        "aca",
        "pca",
        "ica",
        "cva",
        "ms",
        "als",
        "aaa",
        "ards",
        "copd",
        "ild",
        "ipf",
        "uip",
        "nsip",
        "cop",
        "tb",
        "hcc",
        "rcc",
        "nsclc",
        "sclc",
        "gist",
        "mets",
        "ln",
        "lns",
        "ivc",
        "svc",
        "ra",
        "la",
        "rv",
        "lv",
        "pda",
        "asd",
        "vsd",
        "tof",
        "cabg",
        "ptx",
        "hrct",
        "ggo",
        "nec",
        "ddh",
        "sufe",
        "scfe",
        "nai",
        "rta",
        "gcs",
        "ed",
        "icu",
        "ffp",
        "bmi",
        "ecg",
        "echo",
        "pacs",
        "dicom",
        "ap",
        "pa",
        "lat",
        "t1",
        "t2",
        "t1w",
        "t2w",
        "fdg",
        "suv",
        "birads",
        "lirads",
        "pirads",
        "tirads",
        "cbd",
        "gb",
        "gi",
        "git",
        "ugi",
        "sbo",
        "lbo",
        "ibd",
        "uc",
        "cd",
        "ovc",
        "pcos",
        "ivf",
        "acl",
        "pcl",
        "mcl",
        "lcl",
        "tfcc",
        "avn",
        "oa",
        "ra",
        "sle",
        "jia",
    ]
)

_CAPS_MAX = 6


class Token(NamedTuple):
    """One word of a text: its position among kept words, its lexemes and its character span."""

    pos: int
    lexemes: tuple[str, ...]
    start: int
    end: int
    word: str


_stemmer = EnglishStemmer()


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Snowball English stem of a lower-case word (cached: the same words recur)."""
    return str(_stemmer.stem(word))


def _is_caps(word: str) -> bool:
    return 2 <= len(word) <= _CAPS_MAX and word.isupper()


@lru_cache(maxsize=200_000)
def index_forms(word: str) -> tuple[str, ...]:
    """The lexemes a document word is indexed under (empty for a stop word)."""
    low = word.lower()
    if low in ABBREVIATIONS:
        return (low,)
    if _is_caps(word):
        if low in STOP_WORDS:
            return (low,)
        stemmed = stem(low)
        return (low,) if stemmed == low else (low, stemmed)
    if low in STOP_WORDS:
        return ()
    return (stem(low),)


@lru_cache(maxsize=50_000)
def query_form(word: str) -> str | None:
    """The one lexeme a query word looks for, or None for a stop word."""
    low = word.lower()
    if low in ABBREVIATIONS or (_is_caps(word) and low in STOP_WORDS):
        return low
    if low in STOP_WORDS:
        return None
    return stem(low)


def words(text: str) -> list[str]:
    """The raw words of a text, as the tokenizer splits them."""
    return TOKEN_RE.findall(text)


def tokens(text: str) -> Iterator[Token]:
    """Kept words with positions renumbered over kept words only (stop words take no position)."""
    pos = 0
    for match in TOKEN_RE.finditer(text):
        forms = index_forms(match.group(0))
        if forms:
            yield Token(pos, forms, match.start(), match.end(), match.group(0))
            pos += 1


def query_lexemes(text: str) -> tuple[str, ...]:
    """The lexemes of a query word or phrase, stop words dropped (a phrase keeps its order)."""
    out = []
    for word in words(text):
        form = query_form(word)
        if form:
            out.append(form)
    return tuple(out)


def vocabulary(text: str) -> set[str]:
    """Lower-cased unstemmed words of a text, the source of "did you mean" suggestions."""
    return {w.lower() for w in words(text) if len(w) > 2 and w.isalpha() and w.lower() not in STOP_WORDS}
