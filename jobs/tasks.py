"""The queue's tasks: what each job does, the same code whichever runner runs it.

Every task is idempotent and keyed by the uid it works on: jobs of one key run one at a time (their
lock), and, but for LTI scores (see JobQueue.defer_scores), at most one waits (their queueing lock:
a second defer while one waits is a no-op). What they need
from the rest of Lightbox comes in a JobEnv, wired by api/runtime.py, so jobs/ stays below the
integrations that do the I/O.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from procrastinate import App, BaseRetryStrategy
from sqlmodel import Session

from content.base import utcnow
from content.webhooks.claims import Attempted
from content.webhooks.models import DeliveryState
from importers.deferred import render_study_previews
from jobs.retry import GaveUp, RetryIn
from media.store import ContentStore

log = logging.getLogger(__name__)

QUEUE = "lightbox"
PREVIEWS = "lightbox.study_previews"
REINDEX = "lightbox.reindex_cases"
WEBHOOK = "lightbox.deliver_webhook"
LTI_SCORES = "lightbox.lti_scores"
TASKS = (PREVIEWS, REINDEX, WEBHOOK, LTI_SCORES)

Sessions = Callable[[], AbstractContextManager[Session]]


def _no_delivery(uid: str) -> Attempted | None:
    return None


def _no_scores(assignment_uid: str) -> None:
    return None


def _no_overdue(seconds: float) -> list[str]:
    return []


@dataclass(frozen=True)
class JobEnv:
    """What tasks need: the database, the media store, the catalog's re-projection, and the senders.

    deliver: one attempt at a webhook delivery (integrations.webhooks.dispatcher), None if not due.
    pass_back: send an assignment's score to its VLEs (integrations.lti.grades), raising to retry.
    overdue: deliveries due for more than so many seconds with no job to send them (a lost job);
    the default finds none, for a process that must not send webhooks (webhook_dispatch off).
    """

    sessions: Sessions
    store: ContentStore
    reindex: Callable[[Sequence[str]], None]
    deliver: Callable[[str], Attempted | None] = _no_delivery
    pass_back: Callable[[str], None] = _no_scores
    overdue: Callable[[float], list[str]] = _no_overdue


def register(app: App, env: JobEnv, retry: BaseRetryStrategy) -> None:
    """Declare every task on `app`, with one retry strategy."""

    def study_previews(study_instance_uid: str) -> None:
        with env.sessions() as session:
            done = render_study_previews(study_instance_uid, session=session, store=env.store)
        log.info("previews of %d series rendered", done)

    def reindex_cases(case_uids: list[str]) -> None:
        env.reindex(case_uids)

    def deliver_webhook(delivery_uid: str) -> None:
        attempted = env.deliver(delivery_uid)
        if attempted is None:  # delivered, failed, not due or held elsewhere: nothing for this job
            return
        if attempted.state is DeliveryState.PENDING and attempted.next_attempt_at is not None:
            wait = (attempted.next_attempt_at - utcnow()).total_seconds()
            raise RetryIn(wait, f"webhook delivery {delivery_uid} not accepted")
        if attempted.state is DeliveryState.FAILED:
            raise GaveUp(f"webhook delivery {delivery_uid} failed its last attempt")

    def lti_scores(assignment_uid: str) -> None:
        env.pass_back(assignment_uid)

    options: dict[str, Any] = {"queue": QUEUE, "retry": retry, "pass_context": False}
    declare: Any = app.task  # overloaded decorator factory, untyped for mypy
    declare(name=PREVIEWS, **options)(study_previews)
    declare(name=REINDEX, **options)(reindex_cases)
    declare(name=WEBHOOK, **options)(deliver_webhook)
    declare(name=LTI_SCORES, **options)(lti_scores)
