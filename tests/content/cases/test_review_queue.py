"""The review queue pages in SQL: a full page whenever more validatable cases exist, the same cases
the Python rule (`available_transitions` holds VALIDATE) picks, for every kind of caller."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlmodel import Session, col, select

from content.cases.models import Case
from content.cases.service import create_case, update_case
from content.cases.transitions import available_transitions, review_queue, transition
from content.collections.service import get_collection
from content.errors import DomainError, ErrorCode
from content.principal import Principal
from content.security.roles import Role
from content.workflow import State, Transition
from tests.content import factories as f


def _case(session: Session, coll: str, author: Principal, title: str) -> Case:
    return create_case(collection_uid=coll, fields={"title": title}, session=session, principal=author)


def _reference(session: Session, principal: Principal, first: int) -> list[str]:
    """What the old resolver meant: every submitted case the caller may validate now, oldest first."""
    rows = session.exec(
        select(Case).where(Case.state == State.SUBMITTED.value).order_by(col(Case.modified), col(Case.uid))
    )
    return [
        r.uid for r in rows if Transition.VALIDATE in available_transitions(r, session=session, principal=principal)
    ][:first]


@pytest.fixture
def queue(session: Session) -> dict[str, object]:
    coll, other = f.collection(session, "Leeds"), f.collection(session, "York")
    _, admin = f.person(session, "admin", "administrator")
    _, trainer = f.person(session, "trainer", "trainer")
    _, checker = f.person(session, "checker", "validator")
    # The oldest four: the administrator's own work, which four eyes keeps from them.
    for n in range(4):
        case = _case(session, coll, admin, f"admin {n}")
        transition(case.uid, Transition.SUBMIT, session=session, principal=admin)
    # The administrator only submitted it (a version that changes no field): theirs to validate.
    case = _case(session, coll, trainer, "submitted by admin")
    transition(case.uid, Transition.SUBMIT, session=session, principal=admin)
    # The administrator edited it while submitted: four eyes again.
    case = _case(session, coll, trainer, "edited by admin")
    case = transition(case.uid, Transition.SUBMIT, session=session, principal=trainer)
    update_case(case.uid, expected_version=case.version, changes={"findings": "x"}, session=session, principal=admin)
    # The administrator wrote it, it was validated, the trainer changed it since: the administrator's
    # versions are before the published one, so they may validate the new one.
    case = _case(session, coll, admin, "republished")
    transition(case.uid, Transition.SUBMIT, session=session, principal=admin)
    case = transition(case.uid, Transition.VALIDATE, session=session, principal=checker)
    case = update_case(
        case.uid, expected_version=case.version, changes={"findings": "y"}, session=session, principal=trainer
    )
    transition(case.uid, Transition.SUBMIT, session=session, principal=trainer)
    for n in range(3):
        case = _case(session, other if n == 2 else coll, trainer, f"trainer {n}")
        transition(case.uid, Transition.SUBMIT, session=session, principal=trainer)
    _case(session, coll, trainer, "still a draft")
    return {"admin": admin, "trainer": trainer, "checker": checker, "coll": coll, "other": other}


def test_a_full_page_when_the_oldest_submitted_cases_are_the_callers_own(session: Session, queue: dict) -> None:
    # The old resolver fetched 2 * first rows and filtered them: the four oldest are the
    # administrator's, so it answered first=2 with an empty page although five cases were theirs to validate.
    page = review_queue(first=2, session=session, principal=queue["admin"])
    assert [c.title for c in page] == ["submitted by admin", "republished"]
    assert len(review_queue(first=100, session=session, principal=queue["admin"])) == 5


@pytest.mark.parametrize("first", [1, 2, 3, 5, 100])
def test_the_sql_page_is_the_python_rule_for_every_kind_of_caller(session: Session, queue: dict, first: int) -> None:
    leeds = get_collection(queue["coll"], session=session).path
    checker, admin = queue["checker"], queue["admin"]
    callers = {
        "validator": checker,
        "administrator": admin,
        "trainer": queue["trainer"],
        "read-only token": replace(checker, token_scope="read"),
        "token confined to Leeds": replace(admin, token_collection_path=leeds),
        "local validator on Leeds": replace(queue["trainer"], local_roles=((leeds, Role.VALIDATOR),)),
        "anonymous": replace(checker, authenticated=False),
        "must change password": replace(checker, must_change_password=True),
    }
    for name, principal in callers.items():
        got = [c.uid for c in review_queue(first=first, session=session, principal=principal)]
        assert got == _reference(session, principal, first), name
    assert len(review_queue(first=first, session=session, principal=checker)) == min(first, 10)


@pytest.mark.parametrize("first", [0, 101])
def test_first_out_of_range_is_refused(session: Session, queue: dict, first: int) -> None:
    with pytest.raises(DomainError) as err:
        review_queue(first=first, session=session, principal=queue["checker"])
    assert (err.value.code, err.value.field) == (ErrorCode.INVALID_INPUT, "first")
