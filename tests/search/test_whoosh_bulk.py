"""The bulk loader writes the very segment Whoosh's own SegmentWriter writes for the same documents."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from whoosh import index as windex
from whoosh.codec.whoosh3 import W3Codec

from search.synthetic import SAMPLE_CURRICULUM, synthetic_documents
from search.whoosh_backend import WhooshCatalog
from search.whoosh_bulk import bulk_load
from search.whoosh_schema import build_schema, to_whoosh
from tests.search.corpus import CORPUS
from tests.search.helpers import run

EXTS = (W3Codec.TERMS_EXT, W3Codec.POSTS_EXT)


def _docs(n: int = 700) -> list[dict]:
    docs = [*CORPUS, *synthetic_documents(n, curriculum=SAMPLE_CURRICULUM, seed=13)]
    # Edge cases: empty text fields, a long text (positions past one block), repeated words.
    docs.append(
        dataclasses.replace(
            docs[-1],
            doc_id="long:current",
            case_id="long",
            discussion=" ".join(["stroke", "the", "CT", "lungs", "LUNGS"] * 400),
            findings="",
            tags=(),
            difficulty=None,
        )
    )
    return [to_whoosh(d) for d in docs]


def _plain(path: Path, docs: list[dict]) -> windex.Index:
    path.mkdir()
    ix = windex.create_in(str(path), build_schema(), indexname="catalog")
    writer = ix.writer()
    for fields in docs:
        writer.add_document(**fields)
    writer.commit()
    return ix


def _bulk(path: Path, docs: list[dict], **kw) -> windex.Index:
    path.mkdir()
    ix = windex.create_in(str(path), build_schema(), indexname="catalog")
    assert bulk_load(ix.writer(), iter(docs), **kw) == len(docs)
    return windex.open_dir(str(path), indexname="catalog")


def _files(ix: windex.Index) -> dict[str, bytes]:
    (segment,) = ix._segments()
    storage = segment.open_compound_file(ix.storage) if segment.is_compound() else ix.storage
    out = {}
    for ext in EXTS:
        f = segment.open_file(storage, ext)
        out[ext] = f.read()
        f.close()
    return out


def _everything(ix: windex.Index) -> list[dict[str, Any]]:
    """Every term's postings and stats, stored fields, lengths and columns, per segment."""
    out = []
    with ix.searcher() as s:
        for leaf, _ in s.leaf_searchers():
            r = leaf.reader()
            seg: dict = {"stored": [r.stored_fields(n) for n in range(r.doc_count_all())]}
            for name in ix.schema.names():
                field = ix.schema[name]
                terms = []
                for t in r.lexicon(name) if field.indexed else ():
                    m = r.postings(name, t)
                    ids, weights, values = [], [], []
                    while m.is_active():
                        ids.append(m.id())
                        weights.append(m.weight())
                        values.append(m.value())
                        m.next()
                    info = r.term_info(name, t)
                    terms.append(
                        (
                            t,
                            ids,
                            weights,
                            values,
                            info.weight(),
                            info.doc_frequency(),
                            info.min_length(),
                            info.max_length(),
                            info.max_weight(),
                            info.min_id(),
                            info.max_id(),
                        )
                    )
                seg[name] = terms
                seg[name + ":len"] = [r.doc_field_length(n, name) for n in range(r.doc_count_all())]
                seg[name + ":total"] = r.field_length(name)
                if field.column_type:
                    seg[name + ":col"] = list(r.column_reader(name))
            out.append(seg)
    return out


def test_bulk_segment_is_the_segment_whoosh_writes(tmp_path: Path) -> None:
    docs = _docs()
    plain = _plain(tmp_path / "plain", docs)
    bulk = _bulk(tmp_path / "bulk", docs, procs=1)
    assert _files(bulk) == _files(plain)  # postings and term index byte for byte
    assert _everything(bulk) == _everything(plain)


def test_parallel_bulk_load_splits_segments_and_finds_the_same(tmp_path: Path) -> None:
    docs = _docs(1500)
    plain = _plain(tmp_path / "plain", docs)
    bulk = _bulk(tmp_path / "bulk", docs, procs=2, segment_docs=400)
    assert len(bulk._segments()) >= 4
    with plain.searcher() as a, bulk.searcher() as b:
        assert a.doc_count() == b.doc_count() == len(docs)
        for name in ("findings", "title", "k_curriculum", "k_allowed"):
            for term in list(a.lexicon(name))[:40]:
                assert a.doc_frequency(name, term) == b.doc_frequency(name, term)
        assert sorted(d["doc_id"] for d in a.all_stored_fields()) == sorted(d["doc_id"] for d in b.all_stored_fields())


@pytest.mark.parametrize("procs", [1, 2])
def test_rebuild_through_the_catalog(tmp_path: Path, procs: int) -> None:
    catalog = WhooshCatalog(tmp_path / "index", procs=procs)
    catalog.index(CORPUS)
    docs = list(synthetic_documents(1200, curriculum=SAMPLE_CURRICULUM, seed=5))
    seen: list[int] = []
    assert catalog.rebuild(iter(docs), progress=seen.append) == 1200
    assert seen[-1] == 1200 and seen == sorted(seen)
    assert catalog.versions() == {d.doc_id: d.version for d in docs}
    assert run(catalog).total == 1200
    before = run(catalog, "pneumothorax").total
    assert before
    catalog.index(CORPUS)  # incremental writes on top of bulk-loaded segments
    assert run(catalog, "pneumothorax").total >= before
    assert run(catalog).total == 1200 + len(CORPUS)
    catalog.close()


@pytest.mark.parametrize("procs", [1, 2])
def test_failed_bulk_load_keeps_the_old_index(tmp_path: Path, procs: int) -> None:
    catalog = WhooshCatalog(tmp_path / "index", procs=procs)
    catalog.index(CORPUS)

    def broken():
        yield from synthetic_documents(600, curriculum=SAMPLE_CURRICULUM)
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        catalog.rebuild(broken())
    assert run(catalog).total == len(CORPUS)
    catalog.index(CORPUS[:1])  # and the lock was released
    catalog.close()
