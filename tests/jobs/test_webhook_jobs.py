"""Webhook deliveries as jobs: on PostgreSQL with the queue a worker sends them, otherwise the
in-process runner does (both databases); a failing partner is retried on the delivery's own
backoff until its attempts run out, and a restart loses nothing (the outbox is swept at start)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from api.cli import app as cli
from api.observability import metrics_response
from api.runtime import Runtime
from api.settings import Settings
from content.webhooks import signing
from content.webhooks.deliveries import redeliver
from content.webhooks.models import DeliveryState, WebhookDelivery
from jobs.queue import WEBHOOK
from tests.content.webhooks.conftest import FAST, School, open_school, receiver  # noqa: F401  (the fixture)
from tests.content.webhooks.receiver import Receiver, receiving
from tests.jobs.running import empty_queue_table, run_jobs_until, task_counts

BASE = 0.2  # the first retry's wait, in seconds (then 0.4, 0.8 ...)
# A clock tick's worth of rounding between the attempt's timestamp and the job's schedule.
TICK = timedelta(milliseconds=5)


@pytest.fixture
def job_settings(app_settings: Settings) -> Settings:
    """Deliveries sent by jobs: the queue on PostgreSQL, the in-process runner on SQLite."""
    empty_queue_table(app_settings)
    return app_settings.model_copy(
        update={
            **FAST,
            "webhook_dispatch": True,
            "webhook_retry_base_seconds": BASE,
            "job_queue": app_settings.is_postgres,
            "job_retry_wait": 0,
        }
    )


@pytest.fixture
def school(job_settings: Settings) -> Iterator[School]:
    with open_school(job_settings) as s:
        yield s


def test_a_failing_receiver_is_retried_on_the_delivery_backoff_until_it_accepts(
    school: School,
    receiver: Receiver,  # noqa: F811
) -> None:
    receiver.script = [500, 502]
    secret, sub = school.subscribe(school.acme, receiver.url, ["CASE_VALIDATED"])
    school.case()
    if school.runtime.queue is not None:  # deferred after the commit; nothing is sent until a worker runs
        assert receiver.hits == [] and task_counts(school.runtime, WEBHOOK)["todo"] == 1

    run_jobs_until(school.runtime, lambda: school.deliveries(sub)[0].state == DeliveryState.DELIVERED.value)

    assert [h.status for h in receiver.hits] == [500, 502, 200]
    assert [h.headers["lightbox-attempt"] for h in receiver.hits] == ["1", "2", "3"]
    assert all(signing.verify(secret, h.headers["lightbox-signature"], h.body) for h in receiver.hits)
    (delivery,) = school.deliveries(sub)
    log = school.attempts(delivery)
    assert [(a.number, a.status_code) for a in log] == [(1, 500), (2, 502), (3, 200)]
    # Each retry waited at least the delivery's backoff (base, then 2 * base), not the queue's own.
    assert log[1].at - log[0].at >= timedelta(seconds=BASE) - TICK
    assert log[2].at - log[1].at >= timedelta(seconds=2 * BASE) - TICK
    counts = task_counts(school.runtime, WEBHOOK)
    assert counts["succeeded"] == 1 and counts["failed"] == 0 and counts["todo"] == 0
    # /metrics as the app serves it (its runtime on app.state): the shared queue's, or this process's jobs.
    scrape = SimpleNamespace(app=SimpleNamespace(state=SimpleNamespace(runtime=school.runtime)))
    body = metrics_response(scrape).body.decode()  # type: ignore[arg-type]
    assert f'lightbox_task_jobs{{task="{WEBHOOK}",status="succeeded"}} 1' in body
    assert 'lightbox_jobs{status="succeeded"} 1' in body and 'lightbox_jobs{status="failed"} 0' in body


def test_a_delivery_out_of_attempts_is_failed_and_so_is_its_job(
    school: School, monkeypatch: pytest.MonkeyPatch
) -> None:
    with receiving(default=503) as down:
        _, sub = school.subscribe(school.acme, down.url, ["CASE_VALIDATED"])
        school.case()
        run_jobs_until(school.runtime, lambda: task_counts(school.runtime, WEBHOOK).get("failed") == 1)
        (delivery,) = school.deliveries(sub)
        assert delivery.state == DeliveryState.FAILED.value and delivery.attempts == 3  # FAST: three attempts
        assert [a.status_code for a in school.attempts(delivery)] == [503, 503, 503] and len(down.hits) == 3
    if school.runtime.queue is None:
        return  # `lightbox jobs` reads the shared queue; the in-process runner's jobs are its own (counted above)
    settings = school.runtime.settings
    monkeypatch.setenv("LIGHTBOX_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("LIGHTBOX_DATABASE_URL", settings.db_url)
    monkeypatch.setenv("LIGHTBOX_SECRET_KEY", "t" * 40)
    result = CliRunner().invoke(cli, ["jobs"])
    assert result.exit_code == 0, result.output
    assert f"{WEBHOOK}  failed: 1" in result.output
    assert f"{WEBHOOK} webhook:{delivery.uid} attempts=3" in result.output
    assert "webhook deliveries: pending: 0  delivered: 0  failed: 1" in result.output


def test_a_redelivery_is_sent_now_not_when_the_waiting_retry_falls_due(
    job_settings: Settings,
    receiver: Receiver,  # noqa: F811
) -> None:
    receiver.script = [500]
    slow = job_settings.model_copy(update={"webhook_retry_base_seconds": 3600.0})  # the retry waits an hour
    with open_school(slow) as school:
        _, sub = school.subscribe(school.acme, receiver.url, ["CASE_VALIDATED"])
        school.case()
        run_jobs_until(school.runtime, lambda: len(receiver.hits) == 1)
        (delivery,) = school.deliveries(sub)
        assert delivery.state == DeliveryState.PENDING.value and delivery.attempts == 1
        redeliver(delivery.uid, session=school.session, principal=school.acme)
        run_jobs_until(school.runtime, lambda: school.deliveries(sub)[0].state == DeliveryState.DELIVERED.value)
        assert [h.status for h in receiver.hits] == [500, 200]
        assert [a.number for a in school.attempts(delivery)] == [1, 2]


def test_the_in_process_runner_sends_what_the_outbox_held_at_start(app_settings: Settings) -> None:
    """A process that stopped with deliveries pending (or only wrote them) loses none: the next one sends them."""
    quiet = app_settings.model_copy(update=FAST)  # writes deliveries, sends nothing
    with receiving() as partner:
        with open_school(quiet) as school:
            _, sub = school.subscribe(school.acme, partner.url, ["CASE_VALIDATED"])
            school.case()
            (delivery,) = school.deliveries(sub)
            assert delivery.state == DeliveryState.PENDING.value
            delivery_uid = delivery.uid
        assert partner.hits == []
        runtime = Runtime.open(app_settings.model_copy(update={**FAST, "webhook_dispatch": True}))
        try:

            def delivered() -> bool:
                with runtime.sessions.scope() as s:
                    row = s.get(WebhookDelivery, delivery_uid)
                    return row is not None and row.state == DeliveryState.DELIVERED.value

            run_jobs_until(runtime, delivered)
            assert [h.status for h in partner.hits] == [200]
            assert task_counts(runtime, WEBHOOK)["succeeded"] == 1
        finally:
            runtime.close()
