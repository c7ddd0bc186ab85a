"""Retired curriculum codes: the report of cases still carrying them and the retag to their replacements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlmodel import Session, func, select

from content.audit import AuditEvent
from content.cases.models import Case, CaseVersion
from content.cases.service import create_case, update_case
from content.cases.transitions import transition
from content.cases.versions import visible_view
from content.curriculum.models import CurriculumNode
from content.curriculum.retired import retag_retired, retired_report
from content.curriculum.service import check_codes, load_tree
from content.errors import DomainError, ErrorCode
from content.principal import SYSTEM, Principal
from content.workflow import State, Transition
from tests.content import factories as f

NEW_CODES = [
    {"code": "NEURO.STROKE.INFARCT", "title": "Cerebral infarction (all ages)"},
    {"code": "CHEST.PLEURA.AIR", "title": "Air in the pleural space"},
]


def retire(session: Session, code: str, title: str, replaced_by: str | None) -> None:
    row: dict[str, Any] = {"code": code, "title": title, "deprecated": True}
    if replaced_by:
        row["replaced_by"] = replaced_by
    load_tree([row], session=session, principal=SYSTEM)


@dataclass
class School:
    session: Session
    coll: str
    trainer: Principal
    validator: Principal
    trainee: Principal

    def case(self, title: str, codes: list[str], *, validate: bool = True) -> Case:
        case = create_case(
            collection_uid=self.coll,
            fields={"title": title, "diagnosis": title, "curriculum_codes": codes},
            session=self.session,
            principal=self.trainer,
        )
        if validate:
            transition(case.uid, Transition.SUBMIT, session=self.session, principal=self.trainer)
            case = transition(case.uid, Transition.VALIDATE, session=self.session, principal=self.validator)
        return case


@pytest.fixture
def school(session: Session) -> School:
    f.curriculum(session)
    load_tree(NEW_CODES, session=session, principal=SYSTEM)
    return School(
        session,
        f.collection(session),
        f.person(session, "trainer", "trainer")[1],
        f.person(session, "validator", "validator")[1],
        f.person(session, "ann", "trainee")[1],
    )


def versions(session: Session, uid: str) -> int:
    return int(session.exec(select(func.count()).select_from(CaseVersion).where(CaseVersion.case_uid == uid)).one())


def test_the_report_lists_cases_tagged_with_retired_codes_and_a_retag_is_a_working_copy(school: School) -> None:
    s = school.session
    stroke = school.case("Old MCA infarct", ["NEURO.STROKE.ISCHAEMIC", "NEURO.STROKE.HAEMORRHAGIC"])
    ptx = school.case("Pneumothorax", ["CHEST.PLEURA.PNEUMOTHORAX"])
    draft = school.case("Draft stroke", ["NEURO.STROKE.ISCHAEMIC"], validate=False)
    retire(s, "NEURO.STROKE.ISCHAEMIC", "Acute ischaemic stroke", "NEURO.STROKE.INFARCT")
    with pytest.raises(DomainError) as err:  # new tags refuse it, old cases keep it
        check_codes(["NEURO.STROKE.ISCHAEMIC"], session=s)
    assert "NEURO.STROKE.INFARCT" in err.value.message

    # Each reader sees the cases they may see: the validator not the trainer's own draft.
    assert [e.case.uid for e in retired_report(session=s, principal=school.validator).entries] == [stroke.uid]
    report = retired_report(session=s, principal=school.trainer)
    assert report.total == 2
    assert [(e.case.uid, e.codes, e.awaiting_validation) for e in report.entries] == sorted(
        [(stroke.uid, ("NEURO.STROKE.ISCHAEMIC",), False), (draft.uid, ("NEURO.STROKE.ISCHAEMIC",), False)],
        key=lambda t: s.get(Case, t[0]).path,
    )  # type: ignore[union-attr]
    assert ptx.uid not in {e.case.uid for e in report.entries}

    published = stroke.published_version
    retagged = retag_retired(stroke.uid, expected_version=stroke.version, session=s, principal=school.trainer)
    assert retagged.curriculum_codes == ["NEURO.STROKE.INFARCT", "NEURO.STROKE.HAEMORRHAGIC"]
    assert retagged.state == State.DRAFT.value and retagged.published_version == published
    # Trainees keep the validated version (and its old code) until a second person validates the retag.
    assert visible_view(school.trainee, retagged) == "published"
    old = s.exec(select(CaseVersion).where(CaseVersion.case_uid == stroke.uid, CaseVersion.version == published)).one()
    assert old.data["curriculum_codes"][0] == "NEURO.STROKE.ISCHAEMIC"
    latest = s.exec(
        select(CaseVersion).where(CaseVersion.case_uid == stroke.uid, CaseVersion.version == retagged.version)
    ).one()
    assert (
        latest.changed_fields == ["curriculum_codes"]
        and "NEURO.STROKE.ISCHAEMIC -> NEURO.STROKE.INFARCT" in latest.comment
    )

    pending = {e.case.uid: e for e in retired_report(session=s, principal=school.trainer).entries}
    assert pending[stroke.uid].awaiting_validation and pending[stroke.uid].codes == ("NEURO.STROKE.ISCHAEMIC",)
    transition(stroke.uid, Transition.SUBMIT, session=s, principal=school.trainer)
    transition(stroke.uid, Transition.VALIDATE, session=s, principal=school.validator)
    assert {e.case.uid for e in retired_report(session=s, principal=school.trainer).entries} == {draft.uid}


def test_a_trainee_may_not_read_the_report(school: School) -> None:
    with pytest.raises(DomainError) as err:
        retired_report(session=school.session, principal=school.trainee)
    assert err.value.code is ErrorCode.FORBIDDEN


@pytest.mark.parametrize("problem", ["no_replacement", "replacement_retired", "stale", "nothing_retired", "trainee"])
def test_bad_retags_are_coded_and_write_nothing(school: School, problem: str) -> None:
    s = school.session
    case = school.case("Pneumothorax", ["CHEST.PLEURA.PNEUMOTHORAX"])
    expected_version, who = case.version, school.trainer
    code = {
        "no_replacement": ErrorCode.INVALID_CURRICULUM_CODE,
        "replacement_retired": ErrorCode.INVALID_CURRICULUM_CODE,
        "stale": ErrorCode.VERSION_CONFLICT,
        "nothing_retired": ErrorCode.INVALID_INPUT,
        "trainee": ErrorCode.FORBIDDEN,
    }[problem]
    if problem == "no_replacement":
        retire(s, "CHEST.PLEURA.PNEUMOTHORAX", "Pneumothorax", None)
    elif problem == "replacement_retired":
        retire(s, "CHEST.PLEURA.PNEUMOTHORAX", "Pneumothorax", "CHEST.PLEURA.AIR")
        retire(s, "CHEST.PLEURA.AIR", "Air in the pleural space", None)
    elif problem != "nothing_retired":
        retire(s, "CHEST.PLEURA.PNEUMOTHORAX", "Pneumothorax", "CHEST.PLEURA.AIR")
        if problem == "stale":
            expected_version -= 1
        else:
            who = school.trainee  # may read the validated case, not edit it
    before_versions = versions(s, case.uid)
    audits = int(s.exec(select(func.count()).select_from(AuditEvent)).one())
    with pytest.raises(DomainError) as err:
        retag_retired(case.uid, expected_version=expected_version, session=s, principal=who)
    assert err.value.code is code
    s.rollback()
    s.expire_all()
    after = s.get(Case, case.uid)
    assert after is not None and after.curriculum_codes == ["CHEST.PLEURA.PNEUMOTHORAX"]
    assert after.version == case.version and after.state == State.VALIDATED.value
    assert versions(s, case.uid) == before_versions
    assert int(s.exec(select(func.count()).select_from(AuditEvent)).one()) == audits


@pytest.mark.parametrize("replaced_by", ["NEURO.NOPE", "CHEST.PLEURA.PNEUMOTHORAX"])
def test_a_curriculum_file_must_name_a_known_replacement(school: School, replaced_by: str) -> None:
    with pytest.raises(DomainError) as err:
        retire(school.session, "CHEST.PLEURA.PNEUMOTHORAX", "Pneumothorax", replaced_by)
    assert err.value.code is ErrorCode.INVALID_CURRICULUM_CODE
    school.session.rollback()
    node = school.session.get(CurriculumNode, "CHEST.PLEURA.PNEUMOTHORAX")
    assert node is not None and not node.deprecated and node.replaced_by is None


def test_a_case_edit_keeps_a_retired_code_it_does_not_touch(school: School) -> None:
    """Retiring a code must not lock its cases: editing another field still saves."""
    case = school.case("Pneumothorax", ["CHEST.PLEURA.PNEUMOTHORAX"])
    retire(school.session, "CHEST.PLEURA.PNEUMOTHORAX", "Pneumothorax", "CHEST.PLEURA.AIR")
    edited = update_case(
        case.uid,
        expected_version=case.version,
        changes={"findings": "Lung edge"},
        session=school.session,
        principal=school.trainer,
    )
    assert edited.curriculum_codes == ["CHEST.PLEURA.PNEUMOTHORAX"] and edited.findings == "Lung edge"
