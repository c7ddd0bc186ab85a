"""How a failed job is retried: when the task says (RetryIn), never (GaveUp), else exponential backoff.

A webhook delivery carries its own schedule (base * 2**(n-1) seconds, capped, and a number of
attempts, the partner-visible contract of content.webhooks): its task raises RetryIn with the
delay the dispatcher computed, so procrastinate retries it exactly then, and GaveUp once the
delivery is FAILED. Every other exception (a platform down, the database away) gets the queue's
exponential backoff, up to its attempt limit.
"""

from __future__ import annotations

from procrastinate import BaseRetryStrategy, RetryDecision, RetryStrategy
from procrastinate.jobs import Job


class RetryIn(Exception):
    """Run this job again in `seconds` (its own schedule, not the queue's)."""

    def __init__(self, seconds: float, why: str) -> None:
        super().__init__(f"{why}; next attempt in {seconds:.3g} s")
        self.seconds = max(0.0, seconds)


class GaveUp(Exception):
    """Stop: the work failed for good (the job ends failed and is listed by `lightbox jobs`)."""


def exponential(*, max_attempts: int = 9, wait: int = 2) -> RetryStrategy:
    """wait, wait**2, wait**3... seconds between attempts (2, 4, 8 ... 512 s: ~17 minutes in all)."""
    return RetryStrategy(max_attempts=max_attempts, exponential_wait=wait)


class Backoff(BaseRetryStrategy):
    """RetryIn and GaveUp as they say; anything else as `fallback` decides."""

    def __init__(self, fallback: RetryStrategy) -> None:
        self.fallback = fallback

    def get_retry_decision(self, *, exception: BaseException, job: Job) -> RetryDecision | None:
        if isinstance(exception, RetryIn):
            return RetryDecision(retry_in={"milliseconds": int(exception.seconds * 1000)})
        if isinstance(exception, GaveUp):
            return None
        return self.fallback.get_retry_decision(exception=exception, job=job)
