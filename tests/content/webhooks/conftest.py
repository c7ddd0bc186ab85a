"""A school with partners, on a real Runtime (outbox wired on its bus) and a real HTTP receiver."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from sqlmodel import Session, col, select

from api.runtime import Runtime
from api.settings import Settings
from content.cases.models import Case
from content.cases.service import create_case
from content.cases.transitions import transition
from content.collections.models import Collection
from content.principal import Principal
from content.unit_of_work import unit_of_work
from content.users.models import User
from content.users.service import principal_for
from content.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from content.webhooks.service import create_subscription
from content.workflow import Transition
from integrations.webhooks.dispatcher import DispatchConfig, WebhookDispatcher
from tests.content import factories as f
from tests.content.webhooks.receiver import Receiver

ALL_EVENTS = ("CASE_VALIDATED", "CASE_RETIRED", "WORKLIST_ASSIGNED", "REPORT_SUBMITTED")
# Fast, bounded retries for tests: no backoff, three attempts. The thread is off unless a test starts it.
FAST = {
    "webhook_dispatch": False,
    "webhook_allow_internal_targets": True,
    "webhook_retry_base_seconds": 0.0,
    "webhook_max_attempts": 3,
    "webhook_poll_seconds": 0.2,
    "webhook_timeout_seconds": 5.0,
}


@dataclass
class School:
    runtime: Runtime
    session: Session
    leeds: str
    york: str
    people: dict[str, tuple[User, Principal]]

    def __getattr__(self, name: str) -> Principal:
        try:
            return self.people[name][1]
        except KeyError:
            raise AttributeError(name) from None

    def uid(self, name: str) -> str:
        return self.people[name][0].uid

    @property
    def dispatcher(self) -> WebhookDispatcher:
        return self.runtime.dispatcher

    def another_dispatcher(self, **config: Any) -> WebhookDispatcher:
        """A second dispatcher on the same database, as another worker process would run."""
        base = self.runtime.dispatcher.config
        values = {**base.__dict__, **config}
        return WebhookDispatcher(
            self.runtime.sessions.scope, server_key=self.runtime.settings.secret(), config=DispatchConfig(**values)
        )

    def case(self, title: str = "Left pneumothorax", *, coll: str | None = None, validate: bool = True) -> Case:
        fields = {
            "title": title,
            "diagnosis": "Tension pneumothorax",
            "findings": "Deep sulcus sign",
            "clinical_history": "Sudden dyspnoea",
            "curriculum_codes": ["CHEST.PLEURA.PNEUMOTHORAX"],
        }
        case = create_case(
            collection_uid=coll or self.leeds, fields=fields, session=self.session, principal=self.trainer
        )
        if validate:
            transition(case.uid, Transition.SUBMIT, session=self.session, principal=self.trainer)
            case = transition(case.uid, Transition.VALIDATE, session=self.session, principal=self.validator)
        return case

    def subscribe(
        self, who: Principal, url: str, events: Sequence[str] = ALL_EVENTS
    ) -> tuple[str, WebhookSubscription]:
        with unit_of_work(self.session):  # as the mutation does: the edge owns the commit
            return create_subscription(
                url=url,
                events=list(events),
                server_key=self.runtime.settings.secret(),
                targets=self.dispatcher.config.targets,
                session=self.session,
                principal=who,
            )

    def token_principal(self, name: str, *, collection: str | None = None) -> Principal:
        """As authentication builds it for a read API token acting as `name`, scoped to a collection."""
        path = self.session.get(Collection, collection).path if collection else None  # type: ignore[union-attr]
        return principal_for(self.people[name][0], session=self.session, token_scope="read", token_collection_path=path)

    def deliveries(self, subscription: WebhookSubscription | None = None) -> list[WebhookDelivery]:
        with self.runtime.sessions.scope() as s:
            stmt = select(WebhookDelivery).order_by(col(WebhookDelivery.created), col(WebhookDelivery.uid))
            if subscription is not None:
                stmt = stmt.where(WebhookDelivery.subscription_uid == subscription.uid)
            return list(s.exec(stmt))

    def attempts(self, delivery: WebhookDelivery) -> list[WebhookAttempt]:
        with self.runtime.sessions.scope() as s:
            return list(
                s.exec(
                    select(WebhookAttempt)
                    .where(WebhookAttempt.delivery_uid == delivery.uid)
                    .order_by(col(WebhookAttempt.id))
                )
            )

    def drain(self, dispatcher: WebhookDispatcher | None = None, rounds: int = 10) -> int:
        """Run dispatch rounds until one finds nothing due; the attempts made."""
        made = 0
        for _ in range(rounds):
            n = (dispatcher or self.dispatcher).run_once()
            if not n:
                break
            made += n
        return made


@contextmanager
def open_school(settings: Settings) -> Iterator[School]:
    runtime = Runtime.open(settings)
    try:
        with runtime.sessions.scope() as session:
            f.curriculum(session)
            people = {
                name: f.person(session, name, role)
                for name, role in (
                    ("admin", "administrator"),
                    ("trainer", "trainer"),
                    ("validator", "validator"),
                    ("ann", "trainee"),
                    ("acme", "partner"),
                    ("globex", "partner"),
                )
            }
            yield School(
                runtime=runtime,
                session=session,
                leeds=f.collection(session, "Leeds"),
                york=f.collection(session, "York"),
                people=people,
            )
    finally:
        runtime.close()


@pytest.fixture
def school_settings(app_settings: Settings) -> Settings:
    return app_settings.model_copy(update=FAST)


@pytest.fixture
def school(school_settings: Settings) -> Iterator[School]:
    with open_school(school_settings) as s:
        yield s


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()
