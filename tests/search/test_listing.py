"""The one way to list cases (search.listing.find_cases): one entry point and one cursor format,
whichever engine answers; the SQL listing pages exactly as before, its cursors are the catalog's."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session

from content.cases.listing import CaseFilter, list_cases
from content.cases.service import create_case
from content.cases.transitions import transition
from content.errors import DomainError, ErrorCode
from content.principal import Principal
from content.workflow import Transition
from search.cursor import LISTING_PURPOSE, decode, open_cursor
from search.listing import CaseListing, find_cases
from search.model import SearchBackend
from search.service import CaseSearchRequest, search_cases
from tests.content import factories as f

SECRET = b"a test secret that is long enough to seal"
TITLES = ["Pneumothorax", "aortic dissection", "Zenker diverticulum", "Bronchiectasis", "Colles fracture"]


@pytest.fixture
def world(session: Session) -> dict[str, Any]:
    coll = f.collection(session)
    _, trainer = f.person(session, "trainer", "trainer")
    _, checker = f.person(session, "checker", "validator")
    _, registrar = f.person(session, "registrar", "trainee")
    uids = []
    for n, title in enumerate(TITLES):
        case = create_case(collection_uid=coll, fields={"title": title}, session=session, principal=trainer)
        if n % 2 == 0:  # validated: the trainee sees these three; the trainer sees all five
            transition(case.uid, Transition.SUBMIT, session=session, principal=trainer)
            transition(case.uid, Transition.VALIDATE, session=session, principal=checker)
        uids.append(case.uid)
    return {"trainer": trainer, "registrar": registrar, "uids": uids}


def _pages(session: Session, principal: Principal, catalog: SearchBackend | None, **kw: Any) -> list[CaseListing]:
    out, after = [], None
    while True:
        request = CaseSearchRequest(first=2, after=after, **kw)
        page = find_cases(
            request,
            searched=catalog is not None,
            session=session,
            principal=principal,
            catalog=catalog,
            cursor_secret=SECRET,
        )
        out.append(page)
        if not page.has_next:
            return out
        after = page.end_cursor


@pytest.mark.parametrize("order", ["NEWEST", "TITLE"])
@pytest.mark.parametrize("who", ["trainer", "registrar"])
def test_the_sql_listing_pages_as_the_old_listing_did(session: Session, world: dict, order: str, who: str) -> None:
    principal = world[who]
    pages = _pages(session, principal, None, order=order)
    old = list_cases(CaseFilter(order=order), first=100, after=None, session=session, principal=principal)
    listed = [c.case.uid for p in pages for c in p.cases]
    assert listed == [c.uid for c in old.cases] and len(listed) == old.total == (5 if who == "trainer" else 3)
    assert all(len(p.cases) == 2 for p in pages[:-1]) and {p.total for p in pages} == {old.total}


@pytest.mark.parametrize("order", ["NEWEST", "TITLE"])
def test_sql_cursors_are_the_catalogs_format(session: Session, world: dict, order: str) -> None:
    pages = _pages(session, world["trainer"], None, order=order)
    cursors = [c.cursor for p in pages for c in p.cases]
    opened = [decode(open_cursor(c, SECRET, purpose=LISTING_PURPOSE), order) for c in cursors]
    assert [c.order for c in opened if c] == [order] * 5
    assert [c.offset for c in opened if c] == [1, 2, 3, 4, 5]
    assert [c.doc_id for c in opened if c] == [x.case.uid for p in pages for x in p.cases]
    assert all(isinstance(c.key, int if order == "NEWEST" else str) for c in opened if c)
    assert pages[0].start_cursor == cursors[0] and pages[-1].end_cursor == cursors[-1]
    for raw in cursors:  # sealed: no title readable inside
        assert all(t.lower().encode() not in raw.lower().encode() for t in TITLES)


def test_the_catalog_answers_a_search_through_the_same_entry_point(
    session: Session, world: dict, catalog: SearchBackend
) -> None:
    principal = world["registrar"]
    pages = _pages(session, principal, catalog, order="TITLE")
    direct = search_cases(
        CaseSearchRequest(order="TITLE", first=100),
        session=session,
        principal=principal,
        catalog=catalog,
        cursor_secret=SECRET,
    )
    assert [c.case.uid for p in pages for c in p.cases] == [h.case_id for h in direct.hits]
    assert pages[0].total == direct.total == 3 and pages[0].facets["state"][0].label == "Validated"


def test_a_cursor_resumes_only_the_engine_and_order_that_issued_it(
    session: Session, world: dict, catalog: SearchBackend
) -> None:
    trainer = world["trainer"]
    listed = _pages(session, trainer, None, order="TITLE")[0].end_cursor
    searched = _pages(session, trainer, catalog, order="TITLE")[0].end_cursor
    assert listed and searched
    tampered = listed[:10] + ("A" if listed[10] != "A" else "B") + listed[11:]
    refused = [
        (listed, catalog, "TITLE"),  # a listing cursor given to a search
        (searched, None, "TITLE"),  # a search cursor given to the listing
        (listed, None, "NEWEST"),  # another order
        (tampered, None, "TITLE"),
    ]
    for after, engine, order in refused:
        with pytest.raises(DomainError) as err:
            find_cases(
                CaseSearchRequest(first=2, after=after, order=order),  # type: ignore[arg-type]
                searched=engine is not None,
                session=session,
                principal=trainer,
                catalog=engine,
                cursor_secret=SECRET,
            )
        assert (err.value.code, err.value.field) == (ErrorCode.INVALID_INPUT, "after")
