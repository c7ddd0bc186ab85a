"""Contract: upsert, replace_case, delete_case, versions, clear and rebuild."""

from __future__ import annotations

from search.synthetic import SAMPLE_CURRICULUM, synthetic_documents
from tests.search.corpus import CORPUS, doc
from tests.search.helpers import found, run


def test_index_upserts_by_doc_id(corpus):
    corpus.index([doc("case-a", "Left pneumothorax", version=2)])
    assert corpus.versions()["case-a:current"] == 2
    assert found(corpus, "title:left") == {"case-a"}
    assert found(corpus, "title:right") == set()
    assert run(corpus).total == 5


def test_replace_case_swaps_all_entries_of_a_case(corpus):
    corpus.replace_case(
        "case-a",
        [
            doc("case-a", "Draft working copy", version=3, kind="current", allowed=("role:trainer",)),
            doc("case-a", "Right tension pneumothorax", version=2, kind="published"),
        ],
    )
    versions = corpus.versions()
    assert versions["case-a:current"] == 3 and versions["case-a:published"] == 2
    assert {h.doc_id for h in run(corpus, "title:pneumothorax").hits} == {"case-a:published"}
    assert found(corpus, "working", principals=frozenset({"role:trainee"})) == set()


def test_delete_case_removes_every_entry(corpus):
    corpus.index([doc("case-b", "Acute PE on CTPA", kind="published")])
    corpus.delete_case("case-b")
    assert found(corpus, "PE") == set()
    assert not any(k.startswith("case-b") for k in corpus.versions())
    assert run(corpus).total == 4


def test_versions_maps_doc_ids_to_versions(corpus):
    assert corpus.versions() == {d.doc_id: d.version for d in CORPUS}


def test_clear_empties_the_catalog(corpus):
    corpus.clear()
    assert corpus.versions() == {} and run(corpus).total == 0


def test_rebuild_replaces_everything_and_reports_progress(corpus):
    seen: list[int] = []
    docs = list(synthetic_documents(2500, curriculum=SAMPLE_CURRICULUM, seed=3))
    assert corpus.rebuild(iter(docs), progress=seen.append) == 2500
    assert seen[-1] == 2500 and seen == sorted(seen)
    versions = corpus.versions()
    assert versions == {d.doc_id: d.version for d in docs}  # the old corpus is gone
    result = run(corpus, "pneumothorax", first=20)
    assert result.total == sum(
        1
        for d in docs
        if "pneumothorax"
        in " ".join(
            [
                d.title,
                d.clinical_history,
                d.findings,
                d.diagnosis,
                *d.differential_diagnoses,
                d.discussion,
                d.teaching_points,
                *d.tags,
                *d.curriculum_titles,
            ]
        ).lower()
    )
    assert result.facets["curriculum"]
