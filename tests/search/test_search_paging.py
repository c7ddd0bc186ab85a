"""Contract: ordering, cursor pagination with ties, input limits."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from content.errors import DomainError, ErrorCode
from tests.search.corpus import doc
from tests.search.helpers import run


def test_default_order_is_newest_without_text(corpus):
    assert [h.case_id for h in run(corpus).hits] == ["case-e", "case-d", "case-c", "case-b", "case-a"]


def test_title_order(corpus):
    titles = [h.case_id for h in run(corpus, order="TITLE").hits]
    assert titles == ["case-b", "case-d", "case-a", "case-e", "case-c"]


def test_relevance_order_puts_title_matches_first(corpus):
    result = run(corpus, "pneumothorax OR chest")
    assert result.hits[0].case_id == "case-a"
    scores = [h.score for h in result.hits]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0


TIE = datetime(2024, 6, 1, tzinfo=UTC)


@pytest.fixture
def ties(backend):
    docs = [
        doc(f"tie-{i:02d}", "Same title", clinical_history="identical words pneumothorax", created=TIE)
        for i in (7, 3, 24, 0, 11, 19, 1, 15, 5, 22, 9, 13, 2, 17, 20, 4, 10, 23, 6, 14, 8, 18, 12, 16, 21)
    ]
    backend.index(docs)
    return backend


@pytest.mark.parametrize("facets", [(), ("modalities",)])
@pytest.mark.parametrize(("order", "text"), [("NEWEST", None), ("TITLE", None), ("RELEVANCE", "pneumothorax")])
def test_pagination_is_stable_over_pages_with_ties(ties, order, text, facets):
    seen, after, pages = [], None, 0
    while True:
        result = run(ties, text, order=order, first=10, after=after, facets=facets)
        assert result.total == 25
        seen += [h.doc_id for h in result.hits]
        pages += 1
        if not result.has_next:
            break
        after = result.end_cursor
    assert pages == 3
    assert seen == sorted(seen) and len(set(seen)) == 25  # ties broken by doc_id
    again = run(ties, text, order=order, first=10, after=run(ties, text, order=order, first=10).end_cursor)
    assert [h.doc_id for h in again.hits] == seen[10:20]


def test_every_hit_cursor_resumes_after_that_hit(ties):
    hits = run(ties, first=25).hits
    resumed = run(ties, first=3, after=hits[4].cursor)
    assert [h.doc_id for h in resumed.hits] == [h.doc_id for h in hits[5:8]]


@pytest.mark.parametrize("first", [0, -1, 101, 1000])
def test_first_out_of_range_is_refused(corpus, first):
    with pytest.raises(DomainError) as err:
        run(corpus, first=first)
    assert err.value.code is ErrorCode.INVALID_INPUT


@pytest.mark.parametrize("after", ["garbage", "e30", "WyJORVdFU1QiLDEsMiwzXQ"])
def test_malformed_cursor_is_refused(corpus, after):
    with pytest.raises(DomainError) as err:
        run(corpus, after=after)
    assert err.value.code is ErrorCode.INVALID_INPUT


def test_cursor_of_another_order_is_refused(corpus):
    cursor = run(corpus, first=1).end_cursor
    with pytest.raises(DomainError):
        run(corpus, order="TITLE", after=cursor)


def test_unknown_facet_and_overlong_text_are_refused(corpus):
    with pytest.raises(DomainError) as err:
        run(corpus, facets=("secret",))
    assert err.value.code is ErrorCode.INVALID_INPUT
    with pytest.raises(DomainError) as err:
        run(corpus, "x " * 600)
    assert err.value.code is ErrorCode.INVALID_QUERY
    with pytest.raises(DomainError) as err:
        run(corpus, " ".join(f"w{i}" for i in range(100)))
    assert err.value.code is ErrorCode.INVALID_QUERY


@pytest.fixture
def mixed(backend):
    """Matches in head fields (title, diagnosis: ranked) and only in the body (clinical history)."""
    docs = [doc(f"head-{i}", f"Pneumothorax {'pneumothorax ' * (i % 3)}case {i}", created=TIE) for i in range(6)]
    docs += [doc(f"dx-{i}", "Chest film", diagnosis="tension pneumothorax", created=TIE) for i in range(3)]
    docs += [
        doc(f"body-{i:02d}", "Chest film", clinical_history="known pneumothorax on the left", created=TIE)
        for i in (5, 1, 7, 3, 0, 6, 2, 4)
    ]
    docs += [doc("other", "Stroke", clinical_history="no match here", created=TIE)]
    backend.index(docs)
    return backend


@pytest.mark.parametrize("facets", [(), ("modalities",)])  # PostgreSQL plans a page with facets another way
@pytest.mark.parametrize("first", [1, 2, 3, 5, 8])
@pytest.mark.parametrize("text", ["pneumothorax", "pneumothorax OR tension", "chest pneumothorax"])
def test_relevance_pages_join_into_the_one_page_order(mixed, first, text, facets):
    """Paging crosses from ranked matches to the unranked body-only ones without a gap or a repeat."""
    whole = run(mixed, text, order="RELEVANCE", first=100, facets=("modalities",))
    assert whole.total >= 11 and len(whole.hits) == whole.total
    seen, after = [], None
    while True:
        page = run(mixed, text, order="RELEVANCE", first=first, after=after, facets=facets)
        assert page.total == whole.total
        seen += [h.doc_id for h in page.hits]
        if not page.has_next:
            break
        after = page.end_cursor
    assert seen == [h.doc_id for h in whole.hits]
    assert [h.score for h in whole.hits] == sorted((h.score for h in whole.hits), reverse=True)
