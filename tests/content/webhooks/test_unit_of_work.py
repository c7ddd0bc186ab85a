"""The unit of work (content.unit_of_work): the edge commits or rolls back, the webhook services only
write; shown on subscriptions, the first domain moved over."""

from __future__ import annotations

import pytest
from sqlmodel import select

from content.errors import DomainError, ErrorCode
from content.unit_of_work import unit_of_work
from content.webhooks.models import WebhookSubscription
from content.webhooks.service import create_subscription, delete_subscription
from tests.content.webhooks.conftest import School


def _stored(school: School) -> list[tuple[str, bool]]:
    """What another session (another request, the dispatcher) sees."""
    with school.runtime.sessions.scope() as s:
        return [(r.url, r.active) for r in s.exec(select(WebhookSubscription))]


def _create(school: School, url: str) -> WebhookSubscription:
    return create_subscription(
        url=url,
        events=["CASE_VALIDATED"],
        server_key=school.runtime.settings.secret(),
        targets=school.dispatcher.config.targets,
        session=school.session,
        principal=school.acme,
    )[1]


def test_the_services_do_not_commit_the_unit_of_work_does(school: School) -> None:
    _create(school, "https://acme.example/one")
    assert _stored(school) == []  # written, not committed: nobody else sees it
    school.session.rollback()
    assert _stored(school) == []
    with unit_of_work(school.session):
        sub = _create(school, "https://acme.example/two")
        assert _stored(school) == []
    assert _stored(school) == [("https://acme.example/two", True)]
    with unit_of_work(school.session):
        delete_subscription(sub.uid, session=school.session, principal=school.acme)
    assert _stored(school) == [("https://acme.example/two", False)]


def test_a_refusal_inside_the_unit_of_work_leaves_nothing(school: School) -> None:
    with pytest.raises(DomainError) as err, unit_of_work(school.session):
        _create(school, "https://acme.example/kept-until-the-refusal")
        _create(school, "ftp://acme.example/refused")
    assert err.value.code is ErrorCode.INVALID_INPUT
    assert _stored(school) == []
