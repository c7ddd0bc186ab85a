"""The outbox: deliveries written in the transaction of the change, only for subscribers who may see it."""

from __future__ import annotations

import json

import pytest
from sqlalchemy.exc import IntegrityError

from content import events
from content.cases.transitions import transition
from content.users.models import User
from content.webhooks.models import DeliveryState
from content.workflow import Transition
from content.worklists.assignments import assign_worklist
from content.worklists.report_fields import ReportFields
from content.worklists.reports import submit_report
from content.worklists.service import WorklistSpec, create_worklist
from schema.core.ids import to_global_id
from tests.content.webhooks.conftest import School

SECRET_WORDS = (
    "Tension pneumothorax",
    "Deep sulcus",
    "Sudden dyspnoea",
    "Left pneumothorax",
    "PNEUMOTHORAX",
    "my observations",
    "my diagnosis",
)


def test_validate_retire_assign_and_submit_each_record_one_delivery(school: School) -> None:
    _, sub = school.subscribe(school.admin, "https://partner.example/hook")
    case = school.case()
    worklist = create_worklist(
        WorklistSpec("Chest", "LONG_CASE", (case.uid,)), session=school.session, principal=school.trainer
    )
    (assignment,) = assign_worklist(
        worklist.uid, trainee_uids=[school.uid("ann")], session=school.session, principal=school.trainer
    )
    report = submit_report(
        assignment.uid,
        case.uid,
        ReportFields(observations="my observations", principal_diagnosis="my diagnosis"),
        session=school.session,
        principal=school.ann,
    )
    transition(case.uid, Transition.RETIRE, session=school.session, principal=school.validator)

    rows = school.deliveries(sub)
    assert [r.event_type for r in rows] == ["case.validated", "worklist.assigned", "report.submitted", "case.retired"]
    assert all(r.state == DeliveryState.PENDING.value and r.attempts == 0 and r.max_attempts == 3 for r in rows)
    validated, assigned, submitted, retired = (r.payload for r in rows)
    case_id = to_global_id("Case", case.uid)
    assert validated["data"] == {
        "case": case_id,
        "collection": to_global_id("Collection", school.leeds),
        "version": case.published_version,
    }
    assert assigned["data"] == {
        "worklist": to_global_id("Worklist", worklist.uid),
        "assignment": to_global_id("Assignment", assignment.uid),
        "trainee": to_global_id("User", school.uid("ann")),
    }
    assert submitted["data"] == {
        "report": to_global_id("Report", report.uid),
        "assignment": to_global_id("Assignment", assignment.uid),
        "case": case_id,
        "trainee": to_global_id("User", school.uid("ann")),
    }
    assert retired["data"] == {"case": case_id, "collection": to_global_id("Collection", school.leeds)}
    for row in rows:
        assert set(row.payload) == {"id", "type", "occurredAt", "data"} and row.payload["id"] == row.event_id
        text = json.dumps(row.payload)
        assert not any(word in text for word in SECRET_WORDS), "no patient data and no model answer"


def test_submit_and_request_changes_are_not_published(school: School) -> None:
    _, sub = school.subscribe(school.admin, "https://partner.example/hook")
    case = school.case(validate=False)
    transition(case.uid, Transition.SUBMIT, session=school.session, principal=school.trainer)
    transition(
        case.uid, Transition.REQUEST_CHANGES, comment="more views", session=school.session, principal=school.validator
    )
    assert school.deliveries(sub) == []


def test_each_subscriber_hears_only_of_cases_it_may_view(school: School) -> None:
    _, everything = school.subscribe(school.acme, "https://acme.example/hook")
    york_only = school.token_principal("globex", collection=school.york)
    _, scoped = school.subscribe(york_only, "https://globex.example/hook")
    _, admin = school.subscribe(school.admin, "https://admin.example/hook")

    leeds_case = school.case("Leeds case")
    york_case = school.case("York case", coll=school.york)

    def cases_in(sub: object) -> list[str]:
        return [d.payload["data"]["case"] for d in school.deliveries(sub)]  # type: ignore[arg-type]

    leeds_id, york_id = to_global_id("Case", leeds_case.uid), to_global_id("Case", york_case.uid)
    assert cases_in(everything) == [leeds_id, york_id]
    assert cases_in(scoped) == [york_id], "a token scoped to York hears nothing of Leeds"
    assert cases_in(admin) == [leeds_id, york_id]
    # One event, one id, whoever receives it.
    assert {d.event_id for d in school.deliveries() if d.payload["data"]["case"] == york_id} == {
        school.deliveries(scoped)[0].event_id
    }


def test_partners_do_not_hear_of_worklists_or_reports(school: School) -> None:
    _, partner = school.subscribe(school.acme, "https://acme.example/hook")
    _, trainee_admin = school.subscribe(school.admin, "https://admin.example/hook")
    case = school.case()
    worklist = create_worklist(
        WorklistSpec("Chest", "LONG_CASE", (case.uid,)), session=school.session, principal=school.trainer
    )
    (assignment,) = assign_worklist(
        worklist.uid, trainee_uids=[school.uid("ann")], session=school.session, principal=school.trainer
    )
    submit_report(
        assignment.uid, case.uid, ReportFields(observations="seen"), session=school.session, principal=school.ann
    )
    assert [d.event_type for d in school.deliveries(partner)] == ["case.validated"]
    assert [d.event_type for d in school.deliveries(trainee_admin)] == [
        "case.validated",
        "worklist.assigned",
        "report.submitted",
    ]


def test_a_retirement_reaches_those_who_could_see_the_case(school: School) -> None:
    """A partner may not view a retired case, but could view it until now: it is told, by id only."""
    _, sub = school.subscribe(school.acme, "https://acme.example/hook", ["CASE_RETIRED"])
    case = school.case()
    draft = school.case("Never published", validate=False)
    transition(case.uid, Transition.RETIRE, session=school.session, principal=school.validator)
    assert [(d.event_type, d.payload["data"]["case"]) for d in school.deliveries(sub)] == [
        ("case.retired", to_global_id("Case", case.uid))
    ]
    assert draft.uid not in json.dumps([d.payload for d in school.deliveries()])


def test_a_rolled_back_change_records_nothing(school: School) -> None:
    _, sub = school.subscribe(school.admin, "https://admin.example/hook")
    case = school.case(validate=False)
    transitioned = events.CaseTransitioned(case.uid, "VALIDATE", "SUBMITTED", "VALIDATED")
    with school.runtime.sessions.scope() as s:
        events.emit(s, transitioned)
        s.rollback()
        s.commit()  # the pending event went with the rollback
    with school.runtime.sessions.scope() as s:
        events.emit(s, transitioned)
        s.add(User(uid=school.uid("ann"), username="clash", display_name="Clash"))  # the commit itself fails
        with pytest.raises(IntegrityError):
            s.commit()
        s.rollback()
    assert school.deliveries(sub) == []
    with school.runtime.sessions.scope() as s:  # the same event in a transaction that commits is recorded
        events.emit(s, transitioned)
        s.commit()
    assert [d.event_type for d in school.deliveries(sub)] == ["case.validated"]
