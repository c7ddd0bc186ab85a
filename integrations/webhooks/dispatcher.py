"""Sending webhook deliveries: one signed POST per attempt, every attempt logged, backoff between them.

`deliver(uid)` is the body of the job queue's `lightbox.deliver_webhook` task (jobs.tasks): one
job per delivery, deferred after the commit that wrote it (the outbox), on procrastinate's
PostgreSQL queue (`lightbox worker`) or on the in-process runner (the embedded default). It makes
one attempt and says where the delivery stands; the task raises so that procrastinate retries it
after this dispatcher's backoff, until the delivery's own attempts run out and it is FAILED.
`run_once` claims every due delivery and attempts each: the same attempt, for a caller that drains
the outbox by hand (tests, a maintenance shell). Claims (content.webhooks.claims) keep any two
senders, jobs or drains, in any process, from sending one row twice.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import timedelta

import httpx
from sqlmodel import Session

from content.base import utcnow
from content.webhooks import claims, keys, signing
from content.webhooks.models import DeliveryState, WebhookAttempt, WebhookDelivery, WebhookSubscription
from content.webhooks.targets import TargetPolicy
from integrations.webhooks import sender
from schema.core.ids import to_global_id

log = logging.getLogger(__name__)

Sessions = Callable[[], AbstractContextManager[Session]]
USER_AGENT = "Lightbox-Webhooks/1"
EARLY = timedelta(seconds=2)


@dataclass(frozen=True)
class DispatchConfig:
    timeout_seconds: float = 5.0
    retry_base_seconds: float = 30.0
    retry_max_seconds: float = 6 * 3600.0
    # How often the in-process runner looks for deliveries whose job was lost (jobs.runner).
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

    @property
    def lease_one(self) -> timedelta:
        return timedelta(seconds=self.timeout_seconds + 31)


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

    def deliver(self, uid: str) -> claims.Attempted | None:
        """One attempt at this delivery if it is pending and due; None when there was nothing to do.

        `EARLY` lets a job retried on another machine's clock attempt a little before the row's
        next_attempt_at, rather than find it not due and leave it to the sweep of overdue rows."""
        with self.sessions() as session:
            delivery = claims.claim_one(session, uid, now=utcnow() + EARLY, lease=self.config.lease_one)
            if delivery is None:
                return None
            return self._deliver(session, delivery)

    def run_once(self) -> int:
        """Claim what is due now and send it; the number of attempts made."""
        with self.sessions() as session:
            claimed = claims.claim_due(session, now=utcnow(), lease=self.config.lease, limit=self.config.batch)
            for delivery in claimed:
                self._deliver(session, delivery)
        return len(claimed)

    def _deliver(self, session: Session, delivery: WebhookDelivery) -> claims.Attempted:
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
        return claims.Attempted(state, next_at)

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

    def close(self) -> None:
        self._client.close()
