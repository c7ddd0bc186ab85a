"""The numpy evaluation of phrases agrees with Whoosh's own positional Phrase query."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
from whoosh import query as wq

from search.analysis import query_lexemes
from search.synthetic import SAMPLE_CURRICULUM, synthetic_documents
from search.whoosh_backend import WhooshCatalog
from search.whoosh_engine import _Ctx

PHRASES = [
    "pulmonary embolism",
    "subarachnoid haemorrhage",
    "mass lesion",
    "the mass",
    "CT CT",
    "lungs lung",
    "LUNGS lung",
    "stroke stroke",
    "acute mass lesion",
    "no such words",
    "left right bilateral",
]


def test_phrase_docs_match_whoosh_phrase(tmp_path: Path) -> None:
    catalog = WhooshCatalog(tmp_path / "index", procs=1)
    docs = list(synthetic_documents(1500, curriculum=SAMPLE_CURRICULUM, seed=21))
    docs.append(
        dataclasses.replace(docs[0], doc_id="x:current", case_id="x", discussion="stroke stroke LUNGS lung CT CT " * 50)
    )
    catalog.rebuild(iter(docs[:900]))
    catalog.index(docs[900:])  # a second segment
    searcher = catalog._searcher()
    engine = catalog._engine
    checked = 0
    for leaf, _ in searcher.leaf_searchers():
        reader = leaf.reader()
        ctx = _Ctx(engine, reader, leaf, engine.segment(reader))
        for field in ("title", "findings", "discussion", "diagnosis", "differential_diagnoses"):
            for text in PHRASES:
                lexemes = query_lexemes(text)
                ours = ctx.phrase_docs(field, lexemes)
                theirs = np.array(sorted(wq.Phrase(field, list(lexemes)).docs(leaf)), dtype=np.int64)
                assert np.array_equal(np.sort(ours), theirs), (field, text)
                checked += len(theirs)
                assert np.array_equal(np.sort(ctx.phrase_docs(field, lexemes)), theirs)  # from the cache
    assert checked > 100
    catalog.close()
