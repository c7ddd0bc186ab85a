"""Dispatching to a real HTTP receiver: signatures, retries with backoff, failure, claims, the thread."""

from __future__ import annotations

import json
import threading
from datetime import timedelta

from content.cases.transitions import transition
from content.webhooks import signing
from content.webhooks.deliveries import redeliver
from content.webhooks.models import DeliveryState
from content.workflow import Transition
from integrations.webhooks.dispatcher import DispatchConfig, WebhookDispatcher
from schema.core.ids import to_global_id
from tests.content.webhooks.conftest import School, open_school
from tests.content.webhooks.receiver import Receiver, receiving


def test_a_delivery_is_signed_with_the_secret_shown_once(school: School, receiver: Receiver) -> None:
    secret, sub = school.subscribe(school.acme, receiver.url, ["CASE_VALIDATED"])
    case = school.case()
    assert school.drain() == 1
    (hit,) = receiver.hits
    assert hit.path == "/hooks/lightbox" and hit.headers["content-type"] == "application/json"
    assert signing.verify(secret, hit.headers["lightbox-signature"], hit.body)
    assert not signing.verify(secret, hit.headers["lightbox-signature"], hit.body + b" ")
    assert not signing.verify(secret[:-1] + "x", hit.headers["lightbox-signature"], hit.body)
    stamp = int(hit.headers["lightbox-signature"].split(",")[0].removeprefix("t="))
    assert not signing.verify(secret, hit.headers["lightbox-signature"], hit.body, now=stamp + 301), "replay"
    (delivery,) = school.deliveries(sub)
    assert hit.headers["lightbox-event"] == "case.validated"
    assert hit.headers["lightbox-delivery"] == to_global_id("WebhookDelivery", delivery.uid)
    assert hit.json == {
        "id": delivery.event_id,
        "type": "case.validated",
        "occurredAt": hit.json["occurredAt"],
        "data": {
            "case": to_global_id("Case", case.uid),
            "version": case.published_version,
            "collection": to_global_id("Collection", school.leeds),
        },
    }
    assert delivery.state == DeliveryState.DELIVERED.value and delivery.delivered_at is not None
    assert [(a.number, a.status_code, a.error) for a in school.attempts(delivery)] == [(1, 200, "")]
    assert sub.secret_hint == secret[-4:] and secret not in json.dumps(sub.model_dump(mode="json"))


def test_a_500_is_retried_and_the_next_200_delivers(school: School, receiver: Receiver) -> None:
    receiver.script = [500]
    secret, sub = school.subscribe(school.acme, receiver.url, ["CASE_VALIDATED"])
    school.case()
    assert school.drain() == 2
    first, second = receiver.hits
    assert (first.status, second.status) == (500, 200) and first.body == second.body
    assert all(signing.verify(secret, h.headers["lightbox-signature"], h.body) for h in receiver.hits)
    assert [h.headers["lightbox-attempt"] for h in receiver.hits] == ["1", "2"]
    (delivery,) = school.deliveries(sub)
    assert delivery.state == DeliveryState.DELIVERED.value and delivery.attempts == 2
    log = school.attempts(delivery)
    assert [(a.number, a.status_code) for a in log] == [(1, 500), (2, 200)]
    assert log[0].error == "HTTP 500: busy, try later" and log[1].error == ""
    assert all(a.duration_ms >= 0 for a in log)


def test_a_delivery_fails_after_its_last_attempt_and_can_be_sent_again(school: School) -> None:
    with receiving(default=503) as down:
        _, sub = school.subscribe(school.acme, down.url, ["CASE_VALIDATED"])
        school.case()
        assert school.drain() == 3 and school.drain() == 0
        (delivery,) = school.deliveries(sub)
        assert delivery.state == DeliveryState.FAILED.value and delivery.attempts == 3
        assert delivery.last_status_code == 503 and len(down.hits) == 3
        assert [a.number for a in school.attempts(delivery)] == [1, 2, 3]
        down.default = 200
        redeliver(delivery.uid, session=school.session, principal=school.acme)
        assert school.drain() == 1 and school.drain() == 0
        (delivery,) = school.deliveries(sub)
        assert delivery.state == DeliveryState.DELIVERED.value and delivery.attempts == 4
        assert [a.status_code for a in school.attempts(delivery)] == [503, 503, 503, 200]


def test_unreachable_endpoints_are_logged_and_retried(school: School) -> None:
    with receiving() as gone:
        url = gone.url
    _, sub = school.subscribe(school.acme, url, ["CASE_VALIDATED"])
    school.case()
    assert school.drain() == 3
    (delivery,) = school.deliveries(sub)
    assert delivery.state == DeliveryState.FAILED.value and delivery.last_status_code is None
    assert all(a.status_code is None and a.error.startswith("ConnectError") for a in school.attempts(delivery))


def test_backoff_doubles_up_to_a_cap_and_a_retry_waits_for_it(school: School) -> None:
    config = DispatchConfig(retry_base_seconds=30, retry_max_seconds=300)
    assert [config.backoff(n) for n in (1, 2, 3, 4, 5, 6)] == [30, 60, 120, 240, 300, 300]
    slow = school.another_dispatcher(retry_base_seconds=30.0)
    try:
        with receiving(default=500) as busy:
            _, sub = school.subscribe(school.acme, busy.url, ["CASE_VALIDATED"])
            school.case()
            assert slow.run_once() == 1 and slow.run_once() == 0, "the retry is not due yet"
            (delivery,) = school.deliveries(sub)
            (attempt,) = school.attempts(delivery)
            assert delivery.state == DeliveryState.PENDING.value and delivery.claim_token is None
            assert delivery.next_attempt_at >= attempt.at + timedelta(seconds=30)
    finally:
        slow.close()


def test_targets_inside_the_network_are_refused_by_default(school: School, receiver: Receiver) -> None:
    careful = school.another_dispatcher(allow_internal_targets=False)
    try:
        _, sub = school.subscribe(school.acme, receiver.url, ["CASE_VALIDATED"])
        school.case()
        assert school.drain(careful) == 3
        assert receiver.hits == []
        (delivery,) = school.deliveries(sub)
        assert delivery.state == DeliveryState.FAILED.value
        assert "127.0.0.1, an internal address" in delivery.last_error
    finally:
        careful.close()


def test_a_rotated_server_key_fails_deliveries_instead_of_mis_signing(school: School, receiver: Receiver) -> None:
    _, sub = school.subscribe(school.acme, receiver.url, ["CASE_VALIDATED"])
    school.case()
    rotated = WebhookDispatcher(school.runtime.sessions.scope, server_key=b"r" * 40, config=school.dispatcher.config)
    try:
        assert school.drain(rotated) == 3 and receiver.hits == []
        assert "secret key changed" in school.deliveries(sub)[0].last_error
    finally:
        rotated.close()


def test_two_dispatchers_never_send_the_same_delivery_twice(school: School, receiver: Receiver) -> None:
    _, sub = school.subscribe(school.acme, receiver.url, ["CASE_VALIDATED"])
    for n in range(8):
        school.case(f"Case {n}")
    workers = [school.another_dispatcher(batch=2) for _ in range(2)]
    start = threading.Barrier(len(workers))
    errors: list[BaseException] = []

    def work(dispatcher: WebhookDispatcher) -> None:
        try:
            start.wait()
            school.drain(dispatcher, rounds=20)
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(w,)) for w in workers]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    finally:
        for w in workers:
            w.close()
    assert errors == []
    sent = [h.headers["lightbox-delivery"] for h in receiver.hits]
    assert len(sent) == len(set(sent)) == 8
    rows = school.deliveries(sub)
    assert all(r.state == DeliveryState.DELIVERED.value and r.attempts == 1 for r in rows)
    assert sum(len(school.attempts(r)) for r in rows) == 8


def test_the_runtime_thread_delivers_after_the_commit(school_settings, receiver: Receiver) -> None:  # type: ignore[no-untyped-def]
    """Runtime.open starts the dispatcher; the after-commit bus wakes it, a 500 is retried by itself."""
    receiver.script = [500]
    settings = school_settings.model_copy(update={"webhook_dispatch": True, "webhook_retry_base_seconds": 0.01})
    with open_school(settings) as school:
        secret, _ = school.subscribe(school.acme, receiver.url, ["CASE_VALIDATED", "CASE_RETIRED"])
        case = school.case()
        transition(case.uid, Transition.RETIRE, session=school.session, principal=school.validator)
        hits = receiver.wait_for(3)
        assert sorted(h.status for h in hits) == [200, 200, 500]
        assert sorted(h.json["type"] for h in hits if h.status == 200) == ["case.retired", "case.validated"]
        assert all(signing.verify(secret, h.headers["lightbox-signature"], h.body) for h in hits)
