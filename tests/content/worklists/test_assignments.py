"""Assigning worklists: trainees or a cohort, one each, due dates, and case versions pinned at assignment."""

from __future__ import annotations

from datetime import timedelta

import pytest

from content.base import utcnow
from content.errors import DomainError, ErrorCode
from content.principal import SYSTEM
from content.users.service import add_to_cohort
from content.worklists.assignments import assign_worklist, items_of, my_assignments
from content.worklists.models import Assignment, AssignmentItem
from tests.content import factories as f
from tests.content.worklists.conftest import World, count


def test_cohort_members_who_are_trainees_each_get_one(world: World) -> None:
    wl = world.worklist([world.case("PTX", diagnosis="Pneumothorax")])
    due = utcnow() + timedelta(days=7)
    made = assign_worklist(wl.uid, cohort_uid=world.cohort, due_at=due, session=world.session, principal=world.trainer)
    assert sorted(a.trainee_uid for a in made) == sorted([world.uids["ann"], world.uids["bob"]])
    assert all(a.due_at == due and a.cohort_uid == world.cohort for a in made)
    assert [a.uid for a in my_assignments(session=world.session, principal=world.ann)] == [
        a.uid for a in made if a.trainee_uid == world.uids["ann"]
    ]
    # Assigning the cohort again reaches only those who joined since.
    dan, _ = f.person(world.session, "dan", "trainee")
    add_to_cohort(world.cohort, dan.uid, session=world.session, principal=SYSTEM)
    again = assign_worklist(wl.uid, cohort_uid=world.cohort, session=world.session, principal=world.trainer)
    assert [a.trainee_uid for a in again] == [dan.uid]


@pytest.mark.parametrize("problem", ["non_trainee", "duplicate", "trainee_assigns", "both", "retired", "naive_due"])
def test_bad_assignments_are_refused_and_nothing_is_written(world: World, problem: str) -> None:
    case = world.case("PTX", diagnosis="Pneumothorax")
    wl = world.worklist([case])
    assign_worklist(wl.uid, trainee_uids=[world.uids["ann"]], session=world.session, principal=world.trainer)
    before = count(world.session, Assignment), count(world.session, AssignmentItem)
    kwargs: dict = {"trainee_uids": [world.uids["bob"]]}
    who, expected = world.trainer, ErrorCode.INVALID_INPUT
    if problem == "non_trainee":
        kwargs = {"trainee_uids": [world.uids["bob"], world.uids["validator"]]}
    elif problem == "duplicate":
        kwargs, expected = {"trainee_uids": [world.uids["bob"], world.uids["ann"]]}, ErrorCode.DUPLICATE
    elif problem == "trainee_assigns":
        who, expected = world.ann, ErrorCode.FORBIDDEN
    elif problem == "both":
        kwargs = {"trainee_uids": [world.uids["bob"]], "cohort_uid": world.cohort}
    elif problem == "retired":
        from content.cases.transitions import transition

        transition(case.uid, "RETIRE", session=world.session, principal=world.trainer)
    else:
        kwargs["due_at"] = utcnow().replace(tzinfo=None)
    with pytest.raises(DomainError) as err:
        assign_worklist(wl.uid, session=world.session, principal=who, **kwargs)
    assert err.value.code is expected
    world.session.rollback()
    assert (count(world.session, Assignment), count(world.session, AssignmentItem)) == before


def test_assignment_pins_the_published_versions_of_the_moment(world: World) -> None:
    case = world.case("PTX", diagnosis="Left pneumothorax")
    wl = world.worklist([case])
    pinned = case.published_version
    [first] = assign_worklist(wl.uid, trainee_uids=[world.uids["ann"]], session=world.session, principal=world.trainer)
    world.revalidate(case.uid, diagnosis="Tension pneumothorax")
    [later] = assign_worklist(wl.uid, trainee_uids=[world.uids["bob"]], session=world.session, principal=world.trainer)
    items = items_of(world.session, [first.uid, later.uid])
    assert items[first.uid][0].case_version == pinned
    assert items[later.uid][0].case_version == case.published_version != pinned
