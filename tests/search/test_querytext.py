"""The query language parser and the shared analyzer."""

from __future__ import annotations

import pytest

from search.analysis import index_forms, query_form, query_lexemes
from search.querytext import ALL, NONE, And, Key, Lex, Not, Or, parse, restrict


def test_parser_builds_the_expected_tree():
    assert parse('chest "pulmonary embolism" OR PE -child title:(stroke OR bleed) modality:ct') == Or(
        (
            And((Lex(None, ("chest",)), Lex(None, ("pulmonari", "embol")))),
            And(
                (
                    Lex(None, ("pe",)),
                    Not(Lex(None, ("child",))),
                    Or((Lex("title", ("stroke",)), Lex("title", ("bleed",)))),
                    Key("modalities", "CT"),
                )
            ),
        )
    )


@pytest.mark.parametrize("text", ["", "   ", "the of", "AND OR NOT", "title:", '""', "()", "-"])
def test_nothing_searchable_is_none(text):
    assert parse(text) is None


def test_restrict_hides_answer_fields():
    visible = frozenset({"clinical_history"})
    assert restrict(parse("headache"), visible) == Lex("clinical_history", ("headach",))
    assert restrict(parse("diagnosis:stroke"), visible) == NONE
    assert restrict(parse("NOT diagnosis:stroke"), visible) == ALL
    assert restrict(parse("curriculum:NEURO OR headache"), visible) == Lex("clinical_history", ("headach",))


def test_abbreviations_survive_analysis():
    assert index_forms("PE") == ("pe",)
    assert index_forms("US") == ("us",) and index_forms("AS") == ("as",)
    assert index_forms("as") == () and query_form("as") is None
    assert index_forms("ARDS") == ("ards",) and query_form("ards") == "ards"  # listed: never stemmed
    assert index_forms("MASSES") == ("masses", "mass") and query_form("MASSES") == "mass"  # unlisted capitals
    assert index_forms("LUNGS") == ("lungs", "lung")
    assert query_lexemes("CT MRI SAH") == ("ct", "mri", "sah")
