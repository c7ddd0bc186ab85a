"""Cohorts: who sees which, who creates them, who changes their members, and what membership brings."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from content.audit import AuditEvent
from content.collections.local_roles import grant_local_role
from content.errors import DomainError, ErrorCode
from content.principal import SYSTEM, Principal
from content.security.roles import Role
from content.users.admin import update_user
from content.users.cohorts import add_member, create_cohort, list_cohorts, members_of, remove_member
from content.users.models import User, UserUpdate
from content.users.service import add_user, principal_for
from tests.content import factories as f


def _person(session: Session, username: str, role: str) -> User:
    return add_user(username, roles=[role], password=None, session=session, principal=SYSTEM)


def _as(session: Session, user: User) -> Principal:
    return principal_for(user, session=session)  # reloaded: cohort membership is read at sign-in


def _code(call: object, *args: object, **kwargs: object) -> ErrorCode:
    with pytest.raises(DomainError) as err:
        call(*args, **kwargs)  # type: ignore[operator]
    return err.value.code


@pytest.fixture
def people(session: Session) -> dict[str, User]:
    return {
        name: _person(session, name, role)
        for name, role in (
            ("adam", "administrator"),
            ("tess", "trainer"),
            ("tom", "trainer"),
            ("ann", "trainee"),
            ("bea", "trainee"),
            ("val", "validator"),
        )
    }


def test_a_trainer_who_creates_a_cohort_joins_it_an_administrator_does_not(
    session: Session, people: dict[str, User]
) -> None:
    mine = create_cohort(" ST1 2026 ", session=session, principal=_as(session, people["tess"]))
    theirs = create_cohort("ST2", session=session, principal=_as(session, people["adam"]))
    assert mine.title == "ST1 2026"
    members = members_of([mine.uid, theirs.uid], session=session)
    assert [u.username for u in members[mine.uid]] == ["tess"] and members[theirs.uid] == []
    assert _code(create_cohort, "ST2", session=session, principal=_as(session, people["adam"])) is ErrorCode.DUPLICATE
    assert _code(create_cohort, "", session=session, principal=_as(session, people["adam"])) is ErrorCode.INVALID_INPUT
    for who in ("ann", "val"):
        assert _code(create_cohort, "Mine", session=session, principal=_as(session, people[who])) is ErrorCode.FORBIDDEN
    actions = session.exec(select(AuditEvent.action).where(AuditEvent.object_uid == mine.uid)).all()
    assert actions == ["cohort.add", "cohort.member.add"]


def test_administrators_see_every_cohort_trainers_their_own(session: Session, people: dict[str, User]) -> None:
    mine = create_cohort("Mine", session=session, principal=_as(session, people["tess"]))
    create_cohort("Other", session=session, principal=_as(session, people["tom"]))
    assert [c.title for c in list_cohorts(session=session, principal=_as(session, people["adam"]))] == ["Mine", "Other"]
    assert [c.uid for c in list_cohorts(session=session, principal=_as(session, people["tess"]))] == [mine.uid]
    assert _code(list_cohorts, session=session, principal=_as(session, people["ann"])) is ErrorCode.FORBIDDEN


def test_a_trainer_changes_the_trainees_of_their_own_cohorts_only(session: Session, people: dict[str, User]) -> None:
    tess = _as(session, people["tess"])
    mine = create_cohort("Mine", session=session, principal=tess)
    other = create_cohort("Other", session=session, principal=_as(session, people["tom"]))
    tess = _as(session, people["tess"])
    add_member(mine.uid, people["ann"].uid, session=session, principal=tess)
    add_member(mine.uid, people["ann"].uid, session=session, principal=tess)  # already in: nothing changes
    assert _code(add_member, other.uid, people["bea"].uid, session=session, principal=tess) is ErrorCode.FORBIDDEN
    assert _code(add_member, mine.uid, people["val"].uid, session=session, principal=tess) is ErrorCode.FORBIDDEN
    assert (
        _code(remove_member, mine.uid, people["tess"].uid, session=session, principal=tess) is ErrorCode.FORBIDDEN
    )  # trainers are not removed by trainers
    assert _code(add_member, mine.uid, "nobody", session=session, principal=tess) is ErrorCode.NOT_FOUND
    assert _code(add_member, "nothing", people["ann"].uid, session=session, principal=tess) is ErrorCode.NOT_FOUND
    update_user(people["bea"].uid, UserUpdate(active=False), session=session, principal=SYSTEM)
    assert _code(add_member, mine.uid, people["bea"].uid, session=session, principal=tess) is ErrorCode.INVALID_INPUT
    assert [u.username for u in members_of([mine.uid], session=session)[mine.uid]] == ["ann", "tess"]
    remove_member(mine.uid, people["ann"].uid, session=session, principal=tess)
    assert _code(remove_member, mine.uid, people["ann"].uid, session=session, principal=tess) is ErrorCode.NOT_FOUND
    # An administrator changes anyone in any cohort.
    admin = _as(session, people["adam"])
    add_member(other.uid, people["val"].uid, session=session, principal=admin)
    add_member(other.uid, people["bea"].uid, session=session, principal=admin)
    remove_member(other.uid, people["tom"].uid, session=session, principal=admin)
    assert [u.username for u in members_of([other.uid], session=session)[other.uid]] == ["bea", "val"]
    for who in ("ann", "val"):
        assert (
            _code(add_member, mine.uid, people["ann"].uid, session=session, principal=_as(session, people[who]))
            is ErrorCode.FORBIDDEN
        )
    actions = session.exec(select(AuditEvent.action).where(AuditEvent.object_uid == mine.uid)).all()
    assert actions == ["cohort.add", "cohort.member.add", "cohort.member.add", "cohort.member.remove"]


def test_joining_a_cohort_brings_its_local_roles_and_leaving_takes_them(
    session: Session, people: dict[str, User]
) -> None:
    north = f.collection(session, "North")
    admin = _as(session, people["adam"])
    cohort = create_cohort("Readers", session=session, principal=admin)
    grant_local_role(north, role="contributor", cohort_uid=cohort.uid, session=session, principal=admin)
    add_member(cohort.uid, people["ann"].uid, session=session, principal=admin)
    assert ("/north", Role.CONTRIBUTOR) in _as(session, people["ann"]).local_roles
    remove_member(cohort.uid, people["ann"].uid, session=session, principal=admin)
    assert _as(session, people["ann"]).local_roles == ()
