"""Case services on both databases: create, edit with optimistic concurrency, visibility, listing."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from content.audit import AuditEvent
from content.cases.listing import CaseFilter, list_cases
from content.cases.models import Case, CaseVersion
from content.cases.service import create_case, get_case, update_case
from content.errors import DomainError, ErrorCode
from tests.content import factories as f


@pytest.fixture
def world(session: Session) -> dict:
    f.curriculum(session)
    coll = f.collection(session)
    _, trainer = f.person(session, "trainer", "trainer")
    _, trainee = f.person(session, "trainee", "trainee")
    _, contributor = f.person(session, "contrib", "contributor")
    return {"coll": coll, "trainer": trainer, "trainee": trainee, "contributor": contributor}


def _case(session: Session, world: dict, **extra: object) -> Case:
    fields = {
        "title": "CT head: hyperdense MCA",
        "curriculum_codes": ["NEURO.STROKE.ISCHAEMIC"],
        "modalities": ["ct"],
        "tags": ["mca"],
        **extra,
    }
    return create_case(
        collection_uid=world["coll"], fields=fields, comment="first", session=session, principal=world["trainer"]
    )


def test_create_writes_version_and_audit(session: Session, world: dict) -> None:
    case = _case(session, world)
    assert case.path == "/leeds/ct-head-hyperdense-mca"
    assert case.modalities == ["CT"]
    versions = session.exec(select(CaseVersion).where(CaseVersion.case_uid == case.uid)).all()
    assert [(v.version, v.comment) for v in versions] == [(1, "first")]
    assert session.exec(select(AuditEvent).where(AuditEvent.object_uid == case.uid)).one().action == "case.create"


def test_unknown_curriculum_code_writes_nothing(session: Session, world: dict) -> None:
    with pytest.raises(DomainError) as err:
        _case(session, world, curriculum_codes=["NEURO.NOPE"])
    assert err.value.code is ErrorCode.INVALID_CURRICULUM_CODE
    session.rollback()
    assert session.exec(select(Case)).all() == []


def test_stale_version_is_a_conflict_and_writes_nothing(session: Session, world: dict) -> None:
    case = _case(session, world)
    update_case(
        case.uid, expected_version=1, changes={"findings": "dense MCA"}, session=session, principal=world["trainer"]
    )
    with pytest.raises(DomainError) as err:
        update_case(
            case.uid, expected_version=1, changes={"findings": "lost"}, session=session, principal=world["trainer"]
        )
    assert err.value.code is ErrorCode.VERSION_CONFLICT
    session.rollback()
    fresh = session.get(Case, case.uid)
    assert fresh is not None and fresh.version == 2 and fresh.findings == "dense MCA"


def test_concurrent_editors_one_wins(sessions, world: dict, session: Session) -> None:
    case = _case(session, world)
    with sessions.scope() as a, sessions.scope() as b:
        ca, cb = a.get(Case, case.uid), b.get(Case, case.uid)
        assert ca is not None and cb is not None
        update_case(case.uid, expected_version=1, changes={"findings": "A"}, session=a, principal=world["trainer"])
        with pytest.raises(DomainError) as err:
            update_case(case.uid, expected_version=1, changes={"findings": "B"}, session=b, principal=world["trainer"])
        assert err.value.code is ErrorCode.VERSION_CONFLICT
    with sessions.scope() as c:
        final = c.get(Case, case.uid)
        assert final is not None and (final.version, final.findings) == (2, "A")


def test_trainee_cannot_see_or_edit_a_draft(session: Session, world: dict) -> None:
    case = _case(session, world)
    with pytest.raises(DomainError) as err:
        get_case(case.uid, session=session, principal=world["trainee"])
    assert err.value.code is ErrorCode.NOT_FOUND
    page = list_cases(CaseFilter(), first=20, after=None, session=session, principal=world["trainee"])
    assert page.total == 0 and page.cases == []


def test_contributor_may_not_add_cases_without_a_local_role_elsewhere(session: Session, world: dict) -> None:
    _, trainee = world["coll"], world["trainee"]
    with pytest.raises(DomainError) as err:
        create_case(collection_uid=world["coll"], fields={"title": "x"}, session=session, principal=trainee)
    assert err.value.code is ErrorCode.FORBIDDEN


def test_listing_filters_subtree_and_paginates(session: Session, world: dict) -> None:
    for n in range(5):
        _case(session, world, title=f"Stroke {n}")
    _case(session, world, title="Pneumothorax", curriculum_codes=["CHEST.PLEURA.PNEUMOTHORAX"], modalities=["CR"])
    flt = CaseFilter(curriculum=("NEURO.STROKE",), order="TITLE")
    seen, after = [], None
    for _ in range(3):
        page = list_cases(flt, first=2, after=after, session=session, principal=world["trainer"])
        assert page.total == 5
        seen += [c.title for c in page.cases]
        after = page.cursors[-1] if page.cursors else None
        if not page.has_next:
            break
    assert seen == [f"Stroke {n}" for n in range(5)]
    by_modality = list_cases(
        CaseFilter(modalities=("cr",)), first=10, after=None, session=session, principal=world["trainer"]
    )
    assert [c.title for c in by_modality.cases] == ["Pneumothorax"]
    with pytest.raises(DomainError):
        list_cases(CaseFilter(), first=101, after=None, session=session, principal=world["trainer"])
