"""Building worklists: validated cases only, no duplicates, versions per save, reorder, from a search."""

from __future__ import annotations

import pytest

from content.cases.service import update_case
from content.errors import DomainError, ErrorCode
from content.worklists.from_search import validated_case_uids
from content.worklists.models import Worklist, WorklistItem, WorklistVersion
from content.worklists.overlap import met_elsewhere
from content.worklists.service import (
    WorklistSpec,
    case_uids_of,
    create_worklist,
    reorder_worklist,
    update_worklist,
    worklist_versions,
)
from search.model import SearchBackend
from search.service import CaseSearchRequest
from tests.content.worklists.conftest import World, count


def test_create_holds_validated_cases_in_order_with_a_first_version(world: World) -> None:
    a, b = world.case("PTX", diagnosis="Pneumothorax"), world.case("Effusion", diagnosis="Pleural effusion")
    wl = world.worklist([b, a])
    assert wl.path == "/worklists/trainer/chest-list" and wl.version == 1
    assert case_uids_of(world.session, wl.uid) == [b.uid, a.uid]
    versions = worklist_versions(wl.uid, session=world.session, principal=world.trainer)
    assert [(v.version, v.data["case_uids"]) for v in versions] == [(1, [b.uid, a.uid])]


@pytest.mark.parametrize("problem", ["unvalidated", "duplicate", "trainee", "unknown", "empty", "mode"])
def test_bad_worklists_are_refused_and_nothing_is_written(world: World, problem: str) -> None:
    good = world.case("PTX", diagnosis="Pneumothorax")
    draft = world.case("Draft", validate=False)
    cases: tuple[str, ...] = (good.uid,)
    who, mode = world.trainer, "LONG_CASE"
    expected = {
        "unvalidated": ErrorCode.INVALID_INPUT,
        "duplicate": ErrorCode.DUPLICATE,
        "trainee": ErrorCode.FORBIDDEN,
        "unknown": ErrorCode.NOT_FOUND,
        "empty": ErrorCode.INVALID_INPUT,
        "mode": ErrorCode.INVALID_INPUT,
    }[problem]
    if problem == "unvalidated":
        cases = (good.uid, draft.uid)
    elif problem == "duplicate":
        cases = (good.uid, good.uid)
    elif problem == "trainee":
        who = world.ann
    elif problem == "unknown":
        cases = ("0" * 32,)
    elif problem == "empty":
        cases = ()
    else:
        mode = "ESSAY"
    with pytest.raises(DomainError) as err:
        create_worklist(WorklistSpec("List", mode, cases), session=world.session, principal=who)
    assert err.value.code is expected
    world.session.rollback()
    assert count(world.session, Worklist) == count(world.session, WorklistItem) == 0
    assert count(world.session, WorklistVersion) == 0


def test_update_and_reorder_write_versions_and_check_concurrency(world: World) -> None:
    a, b, c = (world.case(t, diagnosis=t) for t in ("A", "B", "C"))
    wl = world.worklist([a, b])
    wl = update_worklist(
        wl.uid,
        expected_version=1,
        spec=WorklistSpec("Renamed", "LONG_CASE", (a.uid, b.uid, c.uid)),
        session=world.session,
        principal=world.trainer,
    )
    wl = reorder_worklist(
        wl.uid, expected_version=2, case_uids=[c.uid, a.uid, b.uid], session=world.session, principal=world.trainer
    )
    assert wl.version == 3 and case_uids_of(world.session, wl.uid) == [c.uid, a.uid, b.uid]
    versions = worklist_versions(wl.uid, session=world.session, principal=world.trainer)
    assert [v.data["title"] for v in versions] == ["Chest list", "Renamed", "Renamed"]
    with pytest.raises(DomainError) as stale:
        reorder_worklist(
            wl.uid, expected_version=2, case_uids=[a.uid, b.uid, c.uid], session=world.session, principal=world.trainer
        )
    assert stale.value.code is ErrorCode.VERSION_CONFLICT
    with pytest.raises(DomainError) as missing:
        reorder_worklist(
            wl.uid, expected_version=3, case_uids=[a.uid, b.uid], session=world.session, principal=world.trainer
        )
    assert missing.value.code is ErrorCode.INVALID_INPUT


def test_from_a_curriculum_search_takes_only_validated_cases(world: World, catalog: SearchBackend) -> None:
    ptx = world.case("PTX", diagnosis="Pneumothorax", codes=("CHEST.PLEURA.PNEUMOTHORAX",))
    world.case("Draft PTX", codes=("CHEST.PLEURA.PNEUMOTHORAX",), validate=False)
    world.case("Stroke", diagnosis="Infarct", codes=("NEURO.STROKE.ISCHAEMIC",), modalities=("CT",))
    # A validated case being edited again still counts: its published version is what trainees get.
    effusion = world.case("Effusion", diagnosis="Effusion", codes=("CHEST.PLEURA",))
    update_case(
        effusion.uid,
        expected_version=effusion.version,
        changes={"findings": "edited"},
        session=world.session,
        principal=world.trainer,
    )
    assert effusion.state == "DRAFT" and effusion.published_version is not None
    uids = validated_case_uids(
        CaseSearchRequest(curriculum=("CHEST",)),
        limit=10,
        session=world.session,
        principal=world.trainer,
        catalog=catalog,
    )
    assert set(uids) == {ptx.uid, effusion.uid}
    with pytest.raises(DomainError) as err:
        validated_case_uids(CaseSearchRequest(), limit=10, session=world.session, principal=world.ann, catalog=catalog)
    assert err.value.code is ErrorCode.FORBIDDEN


def test_from_a_search_honours_text_states_and_order(world: World, catalog: SearchBackend) -> None:
    """Every filter of the search applies, as `cases(search:)` shows it to the trainer."""
    left = world.case("Left pneumothorax", diagnosis="Left pneumothorax", codes=("CHEST.PLEURA.PNEUMOTHORAX",))
    right = world.case("Right pneumothorax", diagnosis="Right pneumothorax", codes=("CHEST.PLEURA.PNEUMOTHORAX",))
    world.case("Pleural effusion", diagnosis="Effusion", codes=("CHEST.PLEURA",))
    revising = world.case(
        "Tension pneumothorax", diagnosis="Tension pneumothorax", codes=("CHEST.PLEURA.PNEUMOTHORAX",)
    )
    update_case(
        revising.uid,
        expected_version=revising.version,
        changes={"findings": "edited"},
        session=world.session,
        principal=world.trainer,
    )

    def found(**request: object) -> list[str]:
        return validated_case_uids(
            CaseSearchRequest(**request),
            limit=10,  # type: ignore[arg-type]
            session=world.session,
            principal=world.trainer,
            catalog=catalog,
        )

    assert set(found(text="pneumothorax")) == {left.uid, right.uid, revising.uid}
    assert found(text="left pneumothorax", curriculum=("CHEST",)) == [left.uid]
    # The state filter reads the state the trainer sees: the case under revision is a DRAFT now.
    assert set(found(text="pneumothorax", states=("VALIDATED",))) == {left.uid, right.uid}
    assert found(text="pneumothorax", states=("DRAFT",)) == [revising.uid]
    assert found(curriculum=("CHEST.PLEURA.PNEUMOTHORAX",), order="TITLE") == [left.uid, right.uid, revising.uid]
    assert found(text="pneumothorax", order="TITLE")[:1] == [left.uid]
    assert found(text="pneumothorax", order="TITLE", states=("VALIDATED",)) == [left.uid, right.uid]
    assert len(found(curriculum=("CHEST",))) == 4
    assert found(text="nothing-matches-this") == []
    with pytest.raises(DomainError) as err:
        found(curriculum=("CHEST.NOPE",))
    assert err.value.code is ErrorCode.INVALID_CURRICULUM_CODE


def test_trainer_sees_cases_a_cohort_met_in_other_worklists(world: World) -> None:
    from content.worklists.assignments import assign_worklist

    a, b = world.case("A", diagnosis="A"), world.case("B", diagnosis="B")
    first = world.worklist([a], title="First")
    assign_worklist(first.uid, cohort_uid=world.cohort, session=world.session, principal=world.trainer)
    assign_worklist(first.uid, trainee_uids=[world.uids["cat"]], session=world.session, principal=world.trainer)
    second = world.worklist([a, b], title="Second")
    assert met_elsewhere(second.uid, session=world.session, principal=world.trainer) == {a.uid: 3, b.uid: 0}
    assert met_elsewhere(second.uid, cohort_uid=world.cohort, session=world.session, principal=world.trainer) == {
        a.uid: 2,
        b.uid: 0,
    }
