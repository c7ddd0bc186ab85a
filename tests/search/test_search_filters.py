"""Contract: curriculum subtrees, filters, collections, facets, permissions and the blind hook."""

from __future__ import annotations

import pytest

from content.errors import DomainError, ErrorCode
from tests.search.corpus import BY_CASE, TRAINEE
from tests.search.helpers import ADMIN, cases, expected_facets, facet_dict, found, run


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        (("NEURO.STROKE",), {"case-c", "case-d"}),
        (("NEURO",), {"case-c", "case-d"}),
        (("CHEST",), {"case-a", "case-b"}),
        (("NEURO.STROKE.ISCHAEMIC",), {"case-d"}),
        (("CHEST.VASCULAR", "MSK"), {"case-b", "case-e"}),
        (("NEURO.STROKE.ISCH",), set()),  # a prefix of a code is not its parent
    ],
)
def test_curriculum_filter_matches_whole_subtree(corpus, codes, expected):
    assert found(corpus, curriculum=codes) == expected


def test_malformed_curriculum_code_is_refused(corpus):
    with pytest.raises(DomainError) as err:
        run(corpus, curriculum=("neuro stroke",))
    assert err.value.code is ErrorCode.INVALID_CURRICULUM_CODE


@pytest.mark.parametrize(
    ("kw", "expected"),
    [
        ({"modalities": ("CT",)}, {"case-b", "case-c", "case-d"}),
        ({"modalities": ("MR", "CR")}, {"case-a", "case-d", "case-e"}),
        ({"body_regions": ("HEAD",)}, {"case-c", "case-d"}),
        ({"difficulties": ("FOUNDATION",)}, {"case-a", "case-e"}),
        ({"states": ("VALIDATED",)}, {"case-a", "case-b", "case-e"}),
        ({"states": ("DRAFT", "SUBMITTED")}, {"case-c", "case-d"}),
        ({"collection_path": "/north/leeds"}, {"case-a", "case-c"}),
        ({"collection_path": "/north/leeds/"}, {"case-a", "case-c"}),
        ({"collection_path": "/north"}, {"case-a", "case-b", "case-c"}),
        ({"collection_path": "/north/lee"}, set()),
        ({"collection_path": "/"}, {"case-a", "case-b", "case-c", "case-d", "case-e"}),
        ({"modalities": ("CT",), "body_regions": ("CHEST",)}, {"case-b"}),
    ],
)
def test_filters(corpus, kw, expected):
    assert found(corpus, **kw) == expected


@pytest.mark.parametrize(
    ("text", "kw"),
    [
        (None, {}),
        ("chest", {}),
        ("stroke OR pneumothorax", {}),
        (None, {"modalities": ("CT",)}),
        ("pain", {"states": ("VALIDATED",)}),
    ],
)
def test_facets_count_the_same_result_set(corpus, text, kw):
    result = run(corpus, text, facets=tuple(sorted(expected_facets([]))), **kw)
    assert result.total == len(result.hits)
    assert facet_dict(result) == expected_facets([BY_CASE[c] for c in cases(result)])


@pytest.mark.parametrize(
    ("principals", "expected"),
    [
        (frozenset({TRAINEE}), {"case-a", "case-b", "case-e"}),
        (frozenset({"user:u1"}), {"case-c"}),
        (frozenset({"cohort:c1"}), {"case-d"}),
        (frozenset({TRAINEE, "cohort:c1"}), {"case-a", "case-b", "case-d", "case-e"}),
        (frozenset({"role:partner"}), set()),
        (frozenset(), set()),
        (ADMIN, {"case-a", "case-b", "case-c", "case-d", "case-e"}),
    ],
)
def test_permission_filter_applies_to_hits_counts_and_facets(corpus, principals, expected):
    result = run(corpus, principals=principals)
    assert cases(result) == expected and result.total == len(expected)
    expected_counts = expected_facets([BY_CASE[c] for c in expected])
    assert facet_dict(result) == {k: v for k, v in expected_counts.items() if k != "diagnosis"}
    text_result = run(corpus, "haemorrhage OR stroke OR pneumothorax", principals=principals)
    assert cases(text_result) <= expected
    assert text_result.total == len(text_result.hits)


def test_trainee_never_sees_other_cases_even_through_suggestions(corpus):
    trainee = frozenset({TRAINEE})
    assert run(corpus, "haemorrhage", principals=trainee).total == 0
    assert run(corpus, "haemorrhge", principals=trainee).suggestion is None
    assert run(corpus, "haemorrhge").suggestion == "haemorrhage"


BLIND = frozenset({"case-c"})


def test_blinded_case_matches_only_through_clinical_history(corpus):
    assert found(corpus, "aneurysm", blinded_case_ids=BLIND) == set()
    assert found(corpus, "haemorrhage", blinded_case_ids=BLIND) == set()
    assert found(corpus, "title:subarachnoid", blinded_case_ids=BLIND) == set()
    assert found(corpus, "thunderclap", blinded_case_ids=BLIND) == {"case-c"}
    assert found(corpus, "history:thunderclap", blinded_case_ids=BLIND) == {"case-c"}
    assert found(corpus, "thunderclap AND aneurysm", blinded_case_ids=BLIND) == set()
    assert found(corpus, "thunderclap NOT aneurysm", blinded_case_ids=BLIND) == {"case-c"}
    assert found(corpus, "thunderclap modality:CT", blinded_case_ids=BLIND) == {"case-c"}
    assert found(corpus, "curriculum:NEURO", blinded_case_ids=BLIND) == {"case-d"}
    assert found(corpus, "aneurysm") == {"case-c"}  # not blinded: found as usual


def test_blinded_case_ignored_by_curriculum_filter_but_not_by_other_filters(corpus):
    assert found(corpus, curriculum=("NEURO",), blinded_case_ids=BLIND) == {"case-d"}
    assert found(corpus, modalities=("CT",), body_regions=("HEAD",), blinded_case_ids=BLIND) == {"case-c", "case-d"}
    assert found(corpus, states=("SUBMITTED",), blinded_case_ids=BLIND) == {"case-c"}


def test_blinded_case_highlights_only_clinical_history(corpus):
    hit = run(corpus, "thunderclap OR headache OR haemorrhage OR SAH", blinded_case_ids=BLIND).hits[0]
    assert hit.case_id == "case-c"
    assert [f for f, _ in hit.highlights] == ["clinical_history"]


@pytest.mark.parametrize("text", [None, "headache", "headache OR weakness"])
def test_blinded_case_left_out_of_answer_facets(corpus, text):
    facets = ("modalities", "body_regions", "state", "curriculum", "tags", "diagnosis")
    result = run(corpus, text, blinded_case_ids=BLIND, facets=facets)
    assert "case-c" in cases(result)
    expected = expected_facets([BY_CASE[c] for c in cases(result)], blinded=BLIND)
    got = facet_dict(result)
    assert got == {k: expected[k] for k in got}
    assert "NEURO.STROKE.HAEMORRHAGIC" not in got["curriculum"]
    assert got["body_regions"]["HEAD"] >= 1


def test_denied_principals_see_the_other_entry_of_a_case_not_both(backend):
    """A case under revision has a working copy and a published entry; each caller gets exactly one."""
    from search.model import CatalogDocument

    working = CatalogDocument(
        doc_id="rev:current",
        case_id="rev",
        version=3,
        title="Pneumothorax revised",
        state="DRAFT",
        allowed=("role:trainer", "user:u1"),
    )
    published = CatalogDocument(
        doc_id="rev:published",
        case_id="rev",
        version=2,
        title="Pneumothorax",
        state="VALIDATED",
        allowed=("role:trainee", "role:trainer", "user:u1"),
        denied=("role:trainer", "user:u1"),
    )
    backend.index([working, published])
    trainer = run(backend, "pneumothorax", principals=frozenset({"role:trainer"}))
    assert [h.doc_id for h in trainer.hits] == ["rev:current"] and trainer.total == 1
    owner = run(backend, "pneumothorax", principals=frozenset({"role:contributor", "user:u1"}))
    assert [h.doc_id for h in owner.hits] == ["rev:current"]
    trainee = run(backend, "pneumothorax", principals=frozenset({"role:trainee", "user:u2"}))
    assert [h.doc_id for h in trainee.hits] == ["rev:published"] and trainee.facets["state"][0].value == "VALIDATED"


@pytest.mark.parametrize(
    "kw",
    [
        {"modalities": ("CT",)},
        {"modalities": ("MR", "CR")},
        {"body_regions": ("HEAD",)},
        {"difficulties": ("FOUNDATION",)},
        {"states": ("DRAFT", "SUBMITTED")},
        {"collection_path": "/north"},
        {"curriculum": ("NEURO",)},
        {"modalities": ("CT",), "body_regions": ("CHEST",), "states": ("VALIDATED",)},
    ],
)
@pytest.mark.parametrize("text", ["pain", "stroke OR pneumothorax", "chest -pain"])
def test_text_and_filters_find_what_each_finds_alone(corpus, text, kw):
    """The PostgreSQL catalog folds the filters into the text's tsquery: the answer must not move."""
    both = run(corpus, text, facets=("modalities",), **kw)
    assert {h.case_id for h in both.hits} == found(corpus, text) & found(corpus, **kw)
    assert both.total == len(both.hits)
