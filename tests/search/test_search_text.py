"""Contract: free text, stemming, abbreviations, phrases, operators, prefixes, highlights."""

from __future__ import annotations

import pytest

from tests.search.conftest import CORPUS
from tests.search.helpers import cases, found, run


def test_text_matches_with_english_stemming(corpus):
    assert found(corpus, "haemorrhages") == {"case-c"}
    assert found(corpus, "fractured") == {"case-e"}
    assert found(corpus, "arteries") == {"case-b"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [("PE", {"case-b"}), ("pe", {"case-b"}), ("SAH", {"case-c"}), ("MRI", {"case-d"}), ("CTPA", {"case-b"})],
)
def test_abbreviations_are_kept_as_terms(corpus, text, expected):
    assert found(corpus, text) == expected


def test_phrases_match_words_in_order(corpus):
    assert found(corpus, '"pulmonary arteries"') == {"case-b"}
    assert found(corpus, '"arteries pulmonary"') == set()
    assert found(corpus, '"ruptured aneurysm"') == {"case-c"}


def test_boolean_operators(corpus):
    assert found(corpus, "chest AND pain") == {"case-a", "case-b"}
    assert found(corpus, "chest pain") == {"case-a", "case-b"}
    assert found(corpus, "headache OR weakness") == {"case-c", "case-d"}
    assert found(corpus, "chest NOT pneumothorax") == {"case-b", "case-e"}
    assert found(corpus, "chest -pneumothorax") == {"case-b", "case-e"}
    assert found(corpus, "(headache OR weakness) AND MRI") == {"case-d"}
    assert found(corpus, "NOT chest") == {"case-c", "case-d"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("diagnosis:pneumothorax", {"case-a"}),
        ("title:stroke", {"case-d"}),
        ("history:headache", {"case-c"}),
        ("findings:scaphoid", {"case-e"}),
        ("tag:emergency", {"case-a"}),
        ("ddx:bulla", {"case-a"}),
        ("discussion:occult", {"case-e"}),
        ("title:(pneumothorax OR fracture)", {"case-a", "case-e"}),
        ('diagnosis:"pulmonary embolism"', {"case-b"}),
        ("modality:MR", {"case-d"}),
        ("modality:cr state:VALIDATED", {"case-a", "case-e"}),
        ("curriculum:NEURO", {"case-c", "case-d"}),
        ("curriculum:haemorrhagic", {"case-c"}),
        ("history:pneumothorax", set()),
    ],
)
def test_field_prefixes(corpus, text, expected):
    assert found(corpus, text) == expected


def test_highlights_mark_matched_terms_and_escape_html(corpus):
    hit = run(corpus, "scaphoid").hits[0]
    fields = dict(hit.highlights)
    assert "<mark>Scaphoid</mark>" in fields["title"]
    assert "&lt;script&gt;" in fields["discussion"] and "<script>" not in fields["discussion"]
    assert "<mark>scaphoid</mark>" in fields["discussion"]
    pe = dict(run(corpus, "PE").hits[0].highlights)
    assert pe["title"] == "Acute <mark>PE</mark> on CTPA"


def test_no_highlights_without_text(corpus):
    assert all(h.highlights == () for h in run(corpus).hits)


def test_suggestion_for_misspelt_term(corpus):
    result = run(corpus, "pneumothorx")
    assert result.total == 0
    assert result.suggestion == "pneumothorax"
    assert run(corpus, "tension pneumothorx").suggestion == "tension pneumothorax"
    assert run(corpus, "pneumothorax").suggestion is None


@pytest.mark.parametrize(
    "text",
    [
        '"unclosed phrase',
        "chest AND",
        "AND",
        "OR OR",
        "NOT",
        "title:",
        "title: chest",
        "((chest",
        "chest))",
        ")(",
        '""',
        "diagnosis:",
        "-",
        "--chest",
        "foo:bar",
        ":::",
        "a" * 300,
        "\u00e9\u00e8 \u2603",
        "NOT NOT chest",
        'title:"',
        "modality:",
        "curriculum:",
        "curriculum:not a code!",
        "* ? ~ ^ \\ ' `",
        "modality:a'b\\c",
        "state:'|'x",
        "title:'!'",
        "curriculum:A..B",
        "&& || !!",
    ],
)
def test_malformed_text_is_parsed_leniently(corpus, text):
    result = run(corpus, text)
    # No error, and an answer that holds together: every hit counted, each one a corpus case, once.
    assert result.total == len(result.hits) == len(cases(result)) and not result.has_next
    assert cases(result) <= {doc.case_id for doc in CORPUS}


def test_lenient_parsing_keeps_the_usable_terms(corpus):
    assert found(corpus, '"pulmonary arteries') == {"case-b"}
    assert found(corpus, "pneumothorax AND") == {"case-a"}
    assert found(corpus, "title: stroke") == {"case-c", "case-d"}  # empty prefix ignored, word searched
