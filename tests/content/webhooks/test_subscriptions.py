"""Who may subscribe, who sees which subscription and delivery, and what a subscription must say."""

from __future__ import annotations

import pytest

from content.errors import DomainError, ErrorCode
from content.principal import ANONYMOUS, Principal
from content.webhooks.deliveries import list_deliveries, redeliver
from content.webhooks.models import DeliveryState
from content.webhooks.service import delete_subscription, get_subscription, list_subscriptions
from schema.core.ids import to_global_id
from tests.content.webhooks.conftest import School


def _code(call) -> ErrorCode:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as err:
        call()
    return err.value.code


def test_only_administrators_and_partners_subscribe(school: School) -> None:
    for who in (school.trainer, school.validator, school.ann):
        assert _code(lambda w=who: school.subscribe(w, "https://x.example/hook")) is ErrorCode.FORBIDDEN
    assert _code(lambda: school.subscribe(ANONYMOUS, "https://x.example/hook")) is ErrorCode.UNAUTHENTICATED
    secret, sub = school.subscribe(school.token_principal("acme"), "https://acme.example/hook")
    assert secret.startswith("whsec_") and sub.owner_uid == school.uid("acme") and sub.token_scope == "read"
    assert school.subscribe(school.admin, "https://admin.example/hook")[1].owner_uid == school.uid("admin")


def test_a_partner_sees_only_its_own_subscriptions_and_deliveries(school: School) -> None:
    _, acme = school.subscribe(school.acme, "https://acme.example/hook")
    _, globex = school.subscribe(school.globex, "https://globex.example/hook")
    school.case()

    def uids(who: Principal) -> list[str]:
        return [s.uid for s in list_subscriptions(session=school.session, principal=who)]

    assert uids(school.acme) == [acme.uid] and uids(school.globex) == [globex.uid]
    assert uids(school.admin) == [acme.uid, globex.uid]
    assert _code(lambda: list_subscriptions(session=school.session, principal=school.trainer)) is ErrorCode.FORBIDDEN
    for call in (
        lambda: get_subscription(globex.uid, session=school.session, principal=school.acme),
        lambda: delete_subscription(globex.uid, session=school.session, principal=school.acme),
        lambda: list_deliveries(subscription_uid=globex.uid, session=school.session, principal=school.acme),
    ):
        assert _code(call) is ErrorCode.NOT_FOUND
    mine = list_deliveries(session=school.session, principal=school.acme)
    assert mine.total == 1 and [d.subscription_uid for d in mine.deliveries] == [acme.uid]
    assert list_deliveries(session=school.session, principal=school.admin).total == 2
    theirs = school.deliveries(globex)[0]
    assert _code(lambda: redeliver(theirs.uid, session=school.session, principal=school.acme)) is ErrorCode.NOT_FOUND
    assert get_subscription(globex.uid, session=school.session, principal=school.admin).uid == globex.uid


@pytest.mark.parametrize(
    ("url", "events", "field"),
    [
        ("ftp://acme.example/hook", ["CASE_VALIDATED"], "url"),
        ("/relative/hook", ["CASE_VALIDATED"], "url"),
        ("https://user:pass@acme.example/hook", ["CASE_VALIDATED"], "url"),
        ("https://acme.example/" + "x" * 2000, ["CASE_VALIDATED"], "url"),
        ("https://acme.example/hook", [], "events"),
        ("https://acme.example/hook", ["CASE_DELETED"], "events"),
    ],
)
def test_bad_subscriptions_are_refused(school: School, url: str, events: list[str], field: str) -> None:
    with pytest.raises(DomainError) as err:
        school.subscribe(school.acme, url, events)
    assert err.value.code is ErrorCode.INVALID_INPUT and err.value.field == field
    school.session.rollback()
    assert list_subscriptions(session=school.session, principal=school.admin) == []


def test_deleting_stops_recording_and_fails_what_was_pending(school: School) -> None:
    _, sub = school.subscribe(school.acme, "https://acme.example/hook", ["CASE_VALIDATED"])
    school.case("First")
    delete_subscription(sub.uid, session=school.session, principal=school.acme)
    school.case("Second")
    (row,) = school.deliveries(sub)
    assert row.state == DeliveryState.FAILED.value and row.last_error == "subscription deleted"
    assert list_subscriptions(session=school.session, principal=school.acme) == []
    assert (
        _code(lambda: delete_subscription(sub.uid, session=school.session, principal=school.acme))
        is ErrorCode.NOT_FOUND
    )
    assert school.drain() == 0


def test_deliveries_page_newest_first_and_filter_by_state(school: School) -> None:
    _, sub = school.subscribe(school.acme, "https://acme.example/hook", ["CASE_VALIDATED"])
    cases = [school.case(f"Case {n}") for n in range(3)]
    first = list_deliveries(first=2, session=school.session, principal=school.acme)
    assert first.total == 3 and first.has_next and len(first.deliveries) == 2
    rest = list_deliveries(first=2, after=first.cursors[-1], session=school.session, principal=school.acme)
    assert not rest.has_next and len(rest.deliveries) == 1
    seen = [d.payload["data"]["case"] for d in first.deliveries + rest.deliveries]
    assert seen == [to_global_id("Case", c.uid) for c in reversed(cases)]
    assert list_deliveries(state="DELIVERED", session=school.session, principal=school.acme).total == 0
    assert (
        list_deliveries(state="PENDING", subscription_uid=sub.uid, session=school.session, principal=school.acme).total
        == 3
    )
    for bad in (
        lambda: list_deliveries(first=101, session=school.session, principal=school.acme),
        lambda: list_deliveries(after="junk", session=school.session, principal=school.acme),
        lambda: list_deliveries(state="LOST", session=school.session, principal=school.acme),
    ):
        assert _code(bad) is ErrorCode.INVALID_INPUT
