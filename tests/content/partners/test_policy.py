"""A partner's token reads exactly its collections' subtrees, retired cases only when allowed.

Each read path is asked: the object check (`get_case`, behind `case`/`node`), the SQL listing
(`cases` without a search), the catalog search (`cases(search:)`, totals and facets), image
access (behind /media) and the DICOMweb query (behind /dicomweb).
"""

from __future__ import annotations

import pytest
from sqlmodel import Session

from content.cases.listing import CaseFilter, list_cases
from content.cases.service import get_case
from content.cases.versions import visible_view
from content.errors import DomainError, ErrorCode
from content.imaging import access
from content.imaging import dicomweb as qido
from content.partners.models import PartnerUpdate
from content.partners.service import add_collection, remove_collection, update_partner
from content.principal import SYSTEM, Principal
from content.security.api_tokens import create_api_token
from content.users.service import add_user
from search import SearchBackend
from search.service import CaseSearchRequest, search_cases
from tests.content.partners.conftest import as_token
from tests.content.partners.world import HULL, NORTHERN, World

NORTHERN_READS = {"leeds-stroke", "york-ptx", "north-revised"}


def _keys(world: World, uids: list[str] | set[str]) -> set[str]:
    by_uid = {v: k for k, v in world.cases.items()}
    return {by_uid[u] for u in uids}


def _listed(session: Session, principal: Principal, world: World, **flt: object) -> set[str]:
    page = list_cases(CaseFilter(**flt), first=100, after=None, session=session, principal=principal)  # type: ignore[arg-type]
    assert page.total == len(page.cases)
    return _keys(world, [c.uid for c in page.cases])


def _searched(
    session: Session, principal: Principal, world: World, catalog: SearchBackend, **request: object
) -> set[str]:
    result = search_cases(
        CaseSearchRequest(**request),
        session=session,
        principal=principal,  # type: ignore[arg-type]
        catalog=catalog,
    )
    assert result.total == len(result.hits)
    return _keys(world, [h.case_id for h in result.hits])


def _readable(session: Session, principal: Principal, world: World) -> set[str]:
    out = set()
    for key, uid in world.cases.items():
        try:
            get_case(uid, session=session, principal=principal)
        except DomainError as exc:
            assert exc.code is ErrorCode.NOT_FOUND
            continue
        out.add(key)
    return out


def _images(session: Session, principal: Principal, world: World) -> set[str]:
    out = set()
    for key, uid in world.series.items():
        try:
            access.viewable_series(uid, session=session, principal=principal)
        except DomainError as exc:
            assert exc.code is ErrorCode.NOT_FOUND
            continue
        out.add(key)
    return out


def _dicomweb(session: Session, principal: Principal, world: World) -> set[str]:
    page = qido.search_studies(qido.Query(level=qido.Level.STUDY), session=session, principal=principal)
    by_study = {v: k for k, v in world.studies.items()}
    return {by_study[row.study.study_instance_uid] for row in page.rows}


def test_partner_reads_exactly_its_collections_subtrees(session: Session, world: World, catalog: SearchBackend) -> None:
    northern = as_token(session, world.tokens[NORTHERN])
    assert northern.read_only and northern.partner is not None
    assert northern.partner.paths == ("/north", "/york")
    # /north/leeds is under /north; /hull is another partner's; drafts and retired cases are nobody's.
    assert _readable(session, northern, world) == NORTHERN_READS
    assert _listed(session, northern, world) == NORTHERN_READS
    assert _searched(session, northern, world, catalog) == NORTHERN_READS
    assert _images(session, northern, world) == NORTHERN_READS
    # DICOMweb serves published, unretired cases: the revised one's study too (its published version).
    assert _dicomweb(session, northern, world) == NORTHERN_READS
    revised = get_case(world.cases["north-revised"], session=session, principal=northern)
    assert visible_view(northern, revised) == "published"


def test_search_and_facets_stay_inside_the_partner(session: Session, world: World, catalog: SearchBackend) -> None:
    northern = as_token(session, world.tokens[NORTHERN])
    neuro = _searched(session, northern, world, catalog, curriculum=("NEURO",))
    assert neuro == {"leeds-stroke", "north-revised"}  # hull-bleed is NEURO too, but Hull's
    result = search_cases(
        CaseSearchRequest(curriculum=("NEURO",)), session=session, principal=northern, catalog=catalog
    )
    codes = {b.value: b.count for b in result.facets["curriculum"]}
    assert codes["NEURO"] == 2 and "NEURO.STROKE.HAEMORRHAGIC" not in codes
    # Asking for another partner's collection finds nothing rather than failing or leaking.
    hull = world.collections["hull"]
    assert _searched(session, northern, world, catalog, collection_uid=hull) == set()
    assert _listed(session, northern, world, collection_uid=hull) == set()
    # The text of another partner's case matches nothing either.
    assert _searched(session, northern, world, catalog, text="lobar") == set()


def test_retired_cases_only_for_a_partner_allowed_them(session: Session, world: World, catalog: SearchBackend) -> None:
    hull = as_token(session, world.tokens[HULL])
    assert _readable(session, hull, world) == {"hull-bleed"}
    add_collection(world.partners[HULL], world.collections["north"], session=session, principal=SYSTEM)
    hull = as_token(session, world.tokens[HULL])  # the policy is read when the token is used
    expected = {"hull-bleed", "north-retired", "north-revised", "leeds-stroke"}
    assert _readable(session, hull, world) == expected
    assert _listed(session, hull, world) == expected
    assert _searched(session, hull, world, catalog) == expected
    assert _images(session, hull, world) == expected
    # DICOMweb never serves retired studies (docs/dicomweb.md), whoever asks.
    assert _dicomweb(session, hull, world) == expected - {"north-retired"}
    # Northern School reads /north too, but was not allowed retired cases ...
    northern = as_token(session, world.tokens[NORTHERN])
    assert "north-retired" not in _searched(session, northern, world, catalog)
    # ... until an administrator allows them.
    update_partner(world.partners[NORTHERN], PartnerUpdate(may_see_retired=True), session=session, principal=SYSTEM)
    northern = as_token(session, world.tokens[NORTHERN])
    assert "north-retired" in _readable(session, northern, world) & _listed(session, northern, world)
    assert "north-retired" in _searched(session, northern, world, catalog)


def test_removing_a_collection_takes_its_cases_away_everywhere(
    session: Session, world: World, catalog: SearchBackend
) -> None:
    remove_collection(world.partners[NORTHERN], world.collections["york"], session=session, principal=SYSTEM)
    northern = as_token(session, world.tokens[NORTHERN])
    left = NORTHERN_READS - {"york-ptx"}
    assert _readable(session, northern, world) == left
    assert _listed(session, northern, world) == left
    assert _searched(session, northern, world, catalog) == left
    update_partner(world.partners[NORTHERN], PartnerUpdate(collection_uids=[]), session=session, principal=SYSTEM)
    nobody = as_token(session, world.tokens[NORTHERN])
    assert nobody.partner is not None and nobody.partner.paths == ()
    assert _readable(session, nobody, world) == set() == _listed(session, nobody, world)
    assert _searched(session, nobody, world, catalog) == set() == _dicomweb(session, nobody, world)


def test_partner_tokens_write_nothing(session: Session, world: World) -> None:
    from content.cases.service import create_case

    northern = as_token(session, world.tokens[NORTHERN])
    with pytest.raises(DomainError) as err:
        create_case(
            collection_uid=world.collections["north"], fields={"title": "x"}, session=session, principal=northern
        )
    assert err.value.code is ErrorCode.FORBIDDEN


def test_single_collection_tokens_keep_working(session: Session, world: World, catalog: SearchBackend) -> None:
    account = add_user("partner-legacy", roles=["partner"], password=None, session=session, principal=SYSTEM)
    token, _ = create_api_token(
        "legacy", scope="read", acting_user=account, collection_path="/north", session=session, principal=SYSTEM
    )
    legacy = as_token(session, token)
    assert legacy.partner is None and legacy.token_collection_path == "/north"
    reads = {"leeds-stroke", "north-revised"}
    assert _readable(session, legacy, world) == reads
    assert _listed(session, legacy, world) == reads
    assert _searched(session, legacy, world, catalog) == reads
    assert _dicomweb(session, legacy, world) == reads
