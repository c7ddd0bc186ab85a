"""The catalog follows the database: after-commit updates, versions per role, retries, check and repair.

Runs on both database backends: SQLite with the Whoosh catalog, PostgreSQL with its own.
"""

from __future__ import annotations

import pytest
from sqlmodel import Session

from api.db import SessionFactory
from content.cases.service import create_case, update_case
from content.cases.transitions import transition
from content.collections.local_roles import grant_local_role
from content.errors import DomainError, ErrorCode
from content.principal import SYSTEM, Principal
from search import SearchBackend
from search.consistency import check, rebuild, repair
from search.indexer import CatalogIndexer
from search.service import CaseSearchRequest, search_cases
from tests.content import factories as f


@pytest.fixture
def team(session: Session) -> dict:
    f.curriculum(session)
    out: dict = {"coll": f.collection(session, "Leeds"), "other": f.collection(session, "York")}
    for name, role in (
        ("author", "trainer"),
        ("checker", "validator"),
        ("registrar", "trainee"),
        ("helper", "contributor"),
    ):
        out[name] = f.person(session, name, role)
    return out


def find(session: Session, catalog: SearchBackend, principal: Principal, text: str | None = None, **kw) -> list:
    result = search_cases(CaseSearchRequest(text=text, **kw), session=session, principal=principal, catalog=catalog)
    return [(h.case_id, h.doc_id.split(":")[1]) for h in result.hits]


def validated(session: Session, team: dict, **fields) -> str:
    case = create_case(
        collection_uid=team["coll"],
        fields={
            "title": "Left pneumothorax",
            "diagnosis": "Pneumothorax",
            "curriculum_codes": ["CHEST.PLEURA.PNEUMOTHORAX"],
            **fields,
        },
        session=session,
        principal=team["author"][1],
    )
    transition(case.uid, "SUBMIT", session=session, principal=team["author"][1])
    transition(case.uid, "VALIDATE", session=session, principal=team["checker"][1])
    return case.uid


def test_draft_is_found_by_its_editors_only(session: Session, catalog: SearchBackend, team: dict) -> None:
    case = create_case(
        collection_uid=team["coll"],
        fields={"title": "Subdural haematoma", "diagnosis": "SDH"},
        session=session,
        principal=team["author"][1],
    )
    assert find(session, catalog, team["author"][1], "subdural") == [(case.uid, "current")]
    assert find(session, catalog, team["registrar"][1], "subdural") == []
    assert find(session, catalog, team["checker"][1], "subdural") == []
    transition(case.uid, "SUBMIT", session=session, principal=team["author"][1])
    assert find(session, catalog, team["checker"][1], "subdural") == [(case.uid, "current")]


def test_validated_case_reaches_trainees_through_its_curriculum_ancestors(
    session: Session, catalog: SearchBackend, team: dict
) -> None:
    uid = validated(session, team)
    trainee = team["registrar"][1]
    assert find(session, catalog, trainee, curriculum=["CHEST"]) == [(uid, "current")]
    assert find(session, catalog, trainee, "pleura") == [(uid, "current")]  # a curriculum title


def test_revision_shows_trainees_the_published_version_and_editors_the_draft(
    session: Session, catalog: SearchBackend, team: dict
) -> None:
    uid = validated(session, team)
    update_case(
        uid,
        expected_version=3,
        changes={"diagnosis": "Tension pneumothorax with mediastinal shift"},
        session=session,
        principal=team["author"][1],
    )
    trainee, author = team["registrar"][1], team["author"][1]
    assert find(session, catalog, trainee, "mediastinal") == []
    assert find(session, catalog, trainee, "pneumothorax") == [(uid, "published")]
    assert find(session, catalog, author, "mediastinal") == [(uid, "current")]
    assert find(session, catalog, author, "pneumothorax") == [(uid, "current")]  # once, not twice
    # The validator may not see the draft, so gets the published version.
    assert find(session, catalog, team["checker"][1], "pneumothorax") == [(uid, "published")]
    total = search_cases(CaseSearchRequest(text="pneumothorax"), session=session, principal=author, catalog=catalog)
    assert total.total == 1 and {b.value for b in total.facets["state"]} == {"DRAFT"}


def test_local_role_grant_reindexes_cases_below(session: Session, catalog: SearchBackend, team: dict) -> None:
    case = create_case(
        collection_uid=team["coll"], fields={"title": "Aortic dissection"}, session=session, principal=team["author"][1]
    )
    helper_user, helper = team["helper"]
    assert find(session, catalog, helper, "aortic") == []
    grant_local_role(team["coll"], role="trainer", user_uid=helper_user.uid, session=session, principal=SYSTEM)
    assert find(session, catalog, helper, "aortic") == [(case.uid, "current")]


def test_a_failed_index_write_is_retried_and_never_undoes_the_commit(
    session: Session,
    sessions: SessionFactory,
    catalog: SearchBackend,
    indexer: CatalogIndexer,
    team: dict,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    indexer.retry_delays = (0.05,)
    original = catalog.replace_case
    failures = {"left": 2}

    def flaky(case_id: str, docs: list) -> None:
        if failures["left"]:
            failures["left"] -= 1
            raise OSError("disk full")
        original(case_id, docs)

    monkeypatch.setattr(catalog, "replace_case", flaky)
    case = create_case(
        collection_uid=team["coll"],
        fields={"title": "Pulmonary embolism"},
        session=session,
        principal=team["author"][1],
    )
    assert session.get(type(case), case.uid) is not None  # the database write stands
    assert indexer.wait_idle(30)
    assert failures["left"] == 0 and indexer.pending == frozenset()
    assert find(session, catalog, team["author"][1], "embolism") == [(case.uid, "current")]
    assert check(catalog, session).consistent


def test_check_finds_and_repair_fixes_missing_stale_and_orphaned_entries(
    session: Session, catalog: SearchBackend, indexer: CatalogIndexer, team: dict
) -> None:
    a = validated(session, team)
    b = create_case(
        collection_uid=team["coll"], fields={"title": "Colloid cyst"}, session=session, principal=team["author"][1]
    ).uid
    assert check(catalog, session).consistent
    catalog.delete_case(a)
    stale = next(d for d in indexer_docs(session, b))
    catalog.replace_case(b, [stale.__class__(**{**stale.__dict__, "version": 99})])
    catalog.index([stale.__class__(**{**stale.__dict__, "doc_id": "ghost:current", "case_id": "ghost"})])
    diff = check(catalog, session)
    assert diff.missing == (f"{a}:current",) and diff.stale == (f"{b}:current",)
    assert diff.orphaned == ("ghost:current",)
    repair(indexer, session)
    assert check(catalog, session).consistent


def indexer_docs(session: Session, uid: str) -> list:
    from search.projection import documents_for

    return documents_for(session, [uid])[uid]


def test_rebuild_matches_incremental_updates(session: Session, catalog: SearchBackend, team: dict) -> None:
    validated(session, team)
    uid = validated(session, team, title="Right pneumothorax")
    update_case(
        uid,
        expected_version=3,
        changes={"title": "Right tension pneumothorax"},
        session=session,
        principal=team["author"][1],
    )
    before = catalog.versions()
    seen: list[int] = []
    assert rebuild(catalog, session, progress=seen.append) == 3
    assert catalog.versions() == before and seen[-1] == 3


def test_bad_requests_are_coded_errors(session: Session, catalog: SearchBackend, team: dict) -> None:
    trainer = team["author"][1]
    with pytest.raises(DomainError) as unknown:
        find(session, catalog, trainer, curriculum=["CHEST.NOPE"])
    assert unknown.value.code is ErrorCode.INVALID_CURRICULUM_CODE
    with pytest.raises(DomainError) as malformed:
        find(session, catalog, trainer, curriculum=["chest; drop"])
    assert malformed.value.code is ErrorCode.INVALID_CURRICULUM_CODE
    with pytest.raises(DomainError) as too_many:
        find(session, catalog, trainer, first=101)
    assert too_many.value.code is ErrorCode.INVALID_INPUT
    assert find(session, catalog, trainer, 'unbalanced "quote AND (') == []  # lenient, not an error


def test_partner_token_searches_only_its_collection(session: Session, catalog: SearchBackend, team: dict) -> None:
    inside = validated(session, team)
    create_case(
        collection_uid=team["other"],
        fields={"title": "Pneumothorax York"},
        session=session,
        principal=team["author"][1],
    )
    partner = Principal(
        user_id=team["author"][0].uid,
        username="partner",
        roles=team["author"][1].roles,
        token_scope="read",
        token_collection_path="/leeds",
    )
    assert find(session, catalog, partner, "pneumothorax") == [(inside, "current")]
    assert find(session, catalog, partner, "pneumothorax", collection_uid=team["other"]) == []
