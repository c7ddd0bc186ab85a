"""The workflow: every state x transition x role from the declared table, four eyes, working copies."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session

from content.cases.history import case_diff, revert_case
from content.cases.models import Case
from content.cases.service import create_case, get_case, update_case
from content.cases.transitions import available_transitions, transition
from content.cases.versions import visible_view
from content.errors import DomainError, ErrorCode
from content.imaging.models import Instance, Series, Study
from content.principal import SYSTEM
from content.security.roles import ASSIGNABLE_ROLES, ROLE_PERMISSIONS, Permission, Role
from content.workflow import STATE_RULES, TRANSITIONS, State, Transition
from tests.content import factories as f

PATH_TO = {
    State.DRAFT: [],
    State.SUBMITTED: [Transition.SUBMIT],
    State.VALIDATED: [Transition.SUBMIT, Transition.VALIDATE],
    State.RETIRED: [Transition.SUBMIT, Transition.VALIDATE, Transition.RETIRE],
}


@pytest.fixture
def team(session: Session) -> dict[str, Any]:
    f.curriculum(session)
    out: dict[str, Any] = {"coll": f.collection(session)}
    for name, role in (("author", "trainer"), ("checker", "validator"), ("checker2", "validator")):
        out[name] = f.person(session, name, role)[1]
    return out


def make_case(session: Session, team: dict, state: State) -> Case:
    case = create_case(
        collection_uid=team["coll"],
        fields={"title": "Pneumothorax", "diagnosis": "PTX"},
        session=session,
        principal=team["author"],
    )
    actors = {Transition.SUBMIT: team["author"], Transition.VALIDATE: team["checker"], Transition.RETIRE: SYSTEM}
    for t in PATH_TO[state]:
        case = transition(case.uid, t, session=session, principal=actors[t])
    return case


def expected(state: State, t: Transition, role: Role) -> ErrorCode | None:
    """The outcome the declared data implies for a person holding only `role`, who authored nothing."""
    visible = role in STATE_RULES[state][Permission.VIEW]
    rule = TRANSITIONS[t]
    if not visible:
        return ErrorCode.NOT_FOUND
    if rule.source is not state:
        return ErrorCode.INVALID_TRANSITION
    if rule.permission not in ROLE_PERMISSIONS[role]:
        return ErrorCode.FORBIDDEN
    return None


@pytest.mark.parametrize("state", list(State))
@pytest.mark.parametrize("role", sorted(ASSIGNABLE_ROLES, key=str))
def test_transition_table(session: Session, team: dict, state: State, role: Role) -> None:
    actor = f.person(session, f"actor-{role.value}", str(role.value))[1]
    for t in Transition:
        case = make_case(session, team, state)
        want = expected(state, t, role)
        if want is None:
            moved = transition(case.uid, t, comment="needs work", session=session, principal=actor)
            assert moved.state == TRANSITIONS[t].target.value
        else:
            with pytest.raises(DomainError) as err:
                transition(case.uid, t, comment="needs work", session=session, principal=actor)
            session.rollback()
            assert err.value.code is want, (state, t, role)
            assert session.get(Case, case.uid).state == state.value  # type: ignore[union-attr]


def test_four_eyes_and_required_comment(session: Session, team: dict) -> None:
    validator_author = team["checker"]
    case = create_case(
        collection_uid=team["coll"], fields={"title": "SAH"}, session=session, principal=validator_author
    )
    transition(case.uid, "SUBMIT", session=session, principal=validator_author)
    assert Transition.VALIDATE not in available_transitions(case, session=session, principal=validator_author)
    with pytest.raises(DomainError) as err:
        transition(case.uid, "VALIDATE", session=session, principal=validator_author)
    assert err.value.code is ErrorCode.FORBIDDEN and "four eyes" in err.value.message
    session.rollback()
    with pytest.raises(DomainError) as err:
        transition(case.uid, "REQUEST_CHANGES", comment="  ", session=session, principal=team["checker2"])
    assert err.value.code is ErrorCode.INVALID_INPUT
    session.rollback()
    transition(case.uid, "REQUEST_CHANGES", comment="add findings", session=session, principal=team["checker2"])
    transition(case.uid, "SUBMIT", session=session, principal=validator_author)
    done = transition(case.uid, "VALIDATE", session=session, principal=team["checker2"])
    assert done.state == "VALIDATED" and done.published_version == done.version


def test_working_copy_keeps_published_version_for_trainees(session: Session, team: dict) -> None:
    trainee = f.person(session, "registrar", "trainee")[1]
    case = make_case(session, team, State.VALIDATED)
    published = case.version
    edited = update_case(
        case.uid,
        expected_version=case.version,
        changes={"diagnosis": "Tension PTX"},
        session=session,
        principal=team["author"],
    )
    assert edited.state == "DRAFT" and edited.published_version == published
    assert visible_view(trainee, get_case(case.uid, session=session, principal=trainee)) == "published"
    assert visible_view(team["author"], edited) == "current"
    transition(case.uid, "SUBMIT", session=session, principal=team["author"])
    final = transition(case.uid, "VALIDATE", session=session, principal=team["checker2"])
    assert final.published_version == final.version > published


def test_diff_and_revert(session: Session, team: dict) -> None:
    case = make_case(session, team, State.DRAFT)
    update_case(
        case.uid,
        expected_version=1,
        changes={"tags": ["a", "b"], "findings": "x"},
        session=session,
        principal=team["author"],
    )
    update_case(
        case.uid,
        expected_version=2,
        changes={"tags": ["b", "a"], "findings": "y"},
        session=session,
        principal=team["author"],
    )
    changes = case_diff(case.uid, 2, 3, session=session, principal=team["author"])
    assert [(c.field, c.before, c.after) for c in changes] == [("findings", "x", "y")]  # tags compared as sets
    reverted = revert_case(case.uid, to_version=1, expected_version=3, session=session, principal=team["author"])
    assert reverted.version == 4 and reverted.findings == "" and reverted.tags == []
    with pytest.raises(DomainError) as err:
        revert_case(case.uid, to_version=99, expected_version=4, session=session, principal=team["author"])
    assert err.value.code is ErrorCode.NOT_FOUND


def test_quarantined_image_blocks_submit(session: Session, team: dict) -> None:
    case = make_case(session, team, State.DRAFT)
    study = Study(case_uid=case.uid, study_instance_uid="2.25.1")
    series = Series(study_uid=study.uid, series_instance_uid="2.25.2")
    for row in (
        study,
        series,
        Instance(series_uid=series.uid, sop_instance_uid="2.25.3", sop_class_uid="1.2", file_key="k", quarantined=True),
    ):
        session.add(row)
        session.flush()
    session.commit()
    with pytest.raises(DomainError) as err:
        transition(case.uid, "SUBMIT", session=session, principal=team["author"])
    assert err.value.code is ErrorCode.FORBIDDEN and "burned-in" in err.value.message
