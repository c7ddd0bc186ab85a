"""The dispatcher: a thread that claims due deliveries, POSTs them signed, and logs every attempt.

It wakes when a commit has queued deliveries (an after-commit bus handler), when the earliest
retry falls due, and every `poll_seconds` anyway, so rows queued by another process (a CLI
command, another app worker) or left claimed by a crashed one are picked up too. Failed attempts
are retried with exponential backoff until the delivery's attempts run out; then it is FAILED.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from sqlmodel import Session

from content import events
from content.base import utcnow
from content.webhooks import claims, keys, signing
from content.webhooks.models import DeliveryState, WebhookAttempt, WebhookDelivery, WebhookSubscription
from content.webhooks.targets import TargetPolicy
from integrations.webhooks import sender
from schema.core.ids import to_global_id

log = logging.getLogger(__name__)

Sessions = Callable[[], AbstractContextManager[Session]]
WAKE_ON: tuple[type, ...] = (
    events.CaseTransitioned,
    events.WorklistAssigned,
    events.ReportSubmitted,
    events.WebhooksDue,
)
USER_AGENT = "Lightbox-Webhooks/1"


@dataclass(frozen=True)
class DispatchConfig:
    timeout_seconds: float = 5.0
    retry_base_seconds: float = 30.0
    retry_max_seconds: float = 6 * 3600.0
    poll_seconds: float = 5.0
    batch: int = 10
    allow_internal_targets: bool = False
    https_only: bool = False

    @property
    def targets(self) -> TargetPolicy:
        return TargetPolicy(allow_internal=self.allow_internal_targets, https_only=self.https_only)

    def backoff(self, attempts: int) -> float:
        """Seconds before the next try after `attempts` failed ones: base, 2*base, 4*base... capped."""
        return float(min(self.retry_max_seconds, self.retry_base_seconds * 2 ** max(0, attempts - 1)))

    @property
    def lease(self) -> timedelta:
        # Long enough to send a whole batch at the worst timeout, with a margin.
        return timedelta(seconds=self.batch * (self.timeout_seconds + 1) + 30)


def body_of(delivery: WebhookDelivery) -> bytes:
    """The exact bytes sent and signed: the stored payload, compact and key-sorted (stable across retries)."""
    return json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()


class WebhookDispatcher:
    def __init__(self, sessions: Sessions, *, server_key: bytes, config: DispatchConfig | None = None) -> None:
        self.sessions = sessions
        self.server_key = server_key
        self.key_id = keys.key_id(server_key)
        self.config = config or DispatchConfig()
        self._client = httpx.Client(
            timeout=self.config.timeout_seconds, follow_redirects=False, headers={"user-agent": USER_AGENT}
        )
        self._wake = threading.Event()
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None

    def subscribe(self, bus: events.EventBus) -> None:
        for event_type in WAKE_ON:
            bus.subscribe(event_type, self._on_event)

    def _on_event(self, _event: events.Event) -> None:
        self.wake()

    def wake(self) -> None:
        self._wake.set()

    # -- one round -----------------------------------------------------------------------------

    def run_once(self) -> int:
        """Claim what is due now and send it; the number of attempts made."""
        with self.sessions() as session:
            claimed = claims.claim_due(session, now=utcnow(), lease=self.config.lease, limit=self.config.batch)
            for delivery in claimed:
                self._deliver(session, delivery)
        return len(claimed)

    def _deliver(self, session: Session, delivery: WebhookDelivery) -> None:
        token = delivery.claim_token
        assert token is not None
        sub = session.get(WebhookSubscription, delivery.subscription_uid)
        session.commit()  # hold no transaction open while waiting on the partner
        number = delivery.attempts + 1
        if sub is None or not sub.active:
            outcome = sender.Outcome(None, "not sent: subscription deleted", 0)
        elif sub.key_id != self.key_id:
            outcome = sender.Outcome(
                None, "not sent: the server's secret key changed since the subscription was made; subscribe again", 0
            )
        else:
            outcome = self._post(sub, delivery, number)
        now = utcnow()
        if outcome.ok:
            state, next_at = DeliveryState.DELIVERED, None
        elif number >= delivery.max_attempts or sub is None or not sub.active:
            state, next_at = DeliveryState.FAILED, None
        else:
            state, next_at = DeliveryState.PENDING, now + timedelta(seconds=self.config.backoff(number))
        attempt = WebhookAttempt(
            delivery_uid=delivery.uid,
            number=number,
            at=now,
            status_code=outcome.status_code,
            error=outcome.error,
            duration_ms=outcome.duration_ms,
        )
        if not claims.finish(session, delivery, token=token, attempt=attempt, state=state, next_attempt_at=next_at):
            log.warning("webhook delivery %s: the claim ran out before the attempt was recorded", delivery.uid)

    def _post(self, sub: WebhookSubscription, delivery: WebhookDelivery, number: int) -> sender.Outcome:
        body = body_of(delivery)
        secret = keys.derive_secret(self.server_key, sub.uid, sub.secret_salt)
        headers = {
            "content-type": "application/json",
            signing.HEADER: signing.signature_header(secret, body, timestamp=int(time.time())),
            "Lightbox-Event": delivery.event_type,
            "Lightbox-Delivery": to_global_id("WebhookDelivery", delivery.uid),
            "Lightbox-Attempt": str(number),
        }
        return sender.post(self._client, sub.url, body, headers, policy=self.config.targets)

    # -- the thread ----------------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="webhook-dispatcher", daemon=True)
            self._thread.start()

    def _loop(self) -> None:
        failing = False
        while not self._stopped.is_set():
            self._wake.clear()
            try:
                if self.run_once():
                    failing = False
                    continue
                wait, failing = self._until_next_due(), False
            except Exception:
                # Logged in full once per outage (a database away, a schema behind), not every poll.
                (log.debug if failing else log.exception)("webhook dispatch round failed; trying again later")
                wait, failing = self.config.poll_seconds, True
            self._wake.wait(wait)

    def _until_next_due(self) -> float:
        with self.sessions() as session:
            due: datetime | None = claims.next_due(session)
        if due is None:
            return self.config.poll_seconds
        return max(0.01, min(self.config.poll_seconds, (due - utcnow()).total_seconds()))

    def close(self, timeout: float = 10.0) -> None:
        self._stopped.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
        self._client.close()
