"""New Whoosh segments never take the name of a segment already in the index.

Whoosh names segments from the process-wide `random`, which Hypothesis reseeds for every example
(and any code may seed): the next writer then recreated a committed segment's files, truncating
its term index, and the catalog failed with "Unknown file header b''" from then on.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import index as windex
from whoosh.codec.whoosh3 import W3Codec
from whoosh.writing import SegmentWriter

from search import whoosh_writing
from search.whoosh_backend import WhooshCatalog
from search.whoosh_writing import fresh_segment_id
from tests.search.corpus import doc
from tests.search.helpers import found, run


def _segment_ids(index: Path) -> list[str]:
    ix = windex.open_dir(str(index), indexname="catalog")  # plain Whoosh reads the index as it is
    try:
        segments = ix._segments()
        assert all(type(s.codec()) is W3Codec for s in segments)  # the TOC holds Whoosh's own codec
        return [s.segment_id() for s in segments]
    finally:
        ix.close()


def test_writes_after_random_is_reseeded_keep_the_index_readable(tmp_path: Path) -> None:
    catalog = WhooshCatalog(tmp_path / "index", lock_timeout=2.0)
    try:
        for i in range(6):
            random.seed(0)  # what Hypothesis does before every example
            catalog.replace_case(f"case-{i}", [doc(f"case-{i}", f"Seeded {i}")])
            assert run(catalog).total == i + 1
        random.seed(0)
        catalog.delete_case("case-0")
        assert found(catalog, "seeded") == {f"case-{i}" for i in range(1, 6)}
        ids = _segment_ids(tmp_path / "index")
        assert len(ids) == len(set(ids))
    finally:
        catalog.close()


def test_bulk_rebuild_and_writes_after_reseeding(tmp_path: Path) -> None:
    catalog = WhooshCatalog(tmp_path / "index", lock_timeout=2.0, procs=1)
    try:
        random.seed(1)
        catalog.rebuild([doc(f"bulk-{i}", f"Bulk {i}") for i in range(5)])
        random.seed(1)
        catalog.replace_case("extra", [doc("extra", "Extra")])
        random.seed(1)
        catalog.replace_case("bulk-0", [doc("bulk-0", "Bulk pneumothorax")])
        assert run(catalog).total == 6
        assert found(catalog, "pneumothorax") == {"bulk-0"}
    finally:
        catalog.close()


@pytest.fixture
def hypothesis_catalog(tmp_path: Path) -> Iterator[WhooshCatalog]:
    catalog = WhooshCatalog(tmp_path / "index", lock_timeout=2.0)
    yield catalog
    catalog.close()


def test_catalog_written_from_a_hypothesis_test(hypothesis_catalog: WhooshCatalog) -> None:
    written: set[str] = set()

    @settings(max_examples=15, deadline=None, database=None)
    @given(title=st.sampled_from(["Pneumothorax", "Stroke", "Fracture"]))
    def write(title: str) -> None:
        case = f"case-{len(written)}"
        hypothesis_catalog.replace_case(case, [doc(case, title)])
        written.add(case)
        assert run(hypothesis_catalog).total == len(written)

    write()
    assert len(written) > 1


def test_fresh_segment_id_steps_past_names_on_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    drawn = iter("a" * 16 + "a" * 16 + "b" * 16)
    monkeypatch.setattr(whoosh_writing.secrets, "choice", lambda _chars: next(drawn))
    taken = {f"catalog_{'a' * 16}.trm", f"catalog_{'a' * 16}._stored.col", "other_" + "b" * 16 + ".trm"}
    assert fresh_segment_id(taken, "catalog") == "b" * 16


def test_a_failed_commit_gives_the_write_lock_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    catalog = WhooshCatalog(tmp_path / "index", lock_timeout=0.3)
    try:
        catalog.replace_case("case-a", [doc("case-a", "Pneumothorax")])

        def fail(*_args: object) -> None:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(SegmentWriter, "_commit_toc", fail)
        with pytest.raises(OSError):
            catalog.replace_case("case-b", [doc("case-b", "Lost")])
        monkeypatch.setattr(SegmentWriter, "_close_segment", fail)  # and a cancel that fails too
        with pytest.raises(OSError):
            catalog.replace_case("case-c", [doc("case-c", "Lost")])
        monkeypatch.undo()
        catalog.replace_case("case-d", [doc("case-d", "Fracture")])  # not CatalogBusy: the lock is free
        assert found(catalog, "pneumothorax") == {"case-a"} and found(catalog, "fracture") == {"case-d"}
        assert run(catalog).total == 2
    finally:
        catalog.close()
