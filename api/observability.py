"""Operations: request ids, structured JSON logs, Prometheus metrics and security headers.

One pure-ASGI middleware does the per-request work (a BaseHTTPMiddleware would buffer
streamed media responses). Metrics use prometheus_client; with several uvicorn workers,
`lightbox serve` sets PROMETHEUS_MULTIPROC_DIR so /metrics aggregates every worker.
"""

from __future__ import annotations

import contextvars
import json
import logging
import os
import time
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest, multiprocess
from starlette.requests import Request
from starlette.responses import Response

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

REQUESTS = Counter("lightbox_http_requests_total", "HTTP requests", ["method", "route", "status"])
LATENCY = Histogram(
    "lightbox_http_request_seconds",
    "HTTP request latency",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)

SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
)
# The API and media answer JSON and images; pages that need more (the UI, GraphiQL) set their own.
DEFAULT_CSP = b"default-src 'none'; frame-ancestors 'none'"

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]], Awaitable[None]]

access_log = logging.getLogger("lightbox.access")
log = logging.getLogger(__name__)


def _route_of(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else "unmatched"


class RequestMiddleware:
    """Request id in and out, security headers, an access log line and metrics per request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(
        self, scope: Scope, receive: Callable[[], Awaitable[Message]], send: Callable[[Message], Awaitable[None]]
    ) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        incoming = headers.get(b"x-request-id", b"").decode("latin-1")
        rid = incoming if incoming and len(incoming) <= 64 and incoming.isprintable() else uuid.uuid4().hex
        token = request_id.set(rid)
        started = time.perf_counter()
        status = 500

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                out = list(message.get("headers") or [])
                present = {k.lower() for k, _ in out}
                out += [(k, v) for k, v in SECURITY_HEADERS if k not in present]
                if b"content-security-policy" not in present:
                    out.append((b"content-security-policy", DEFAULT_CSP))
                if b"x-request-id" not in present:
                    out.append((b"x-request-id", rid.encode()))
                message["headers"] = out
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            elapsed = time.perf_counter() - started
            route, method = _route_of(scope), scope.get("method", "")
            REQUESTS.labels(method, route, str(status)).inc()
            LATENCY.labels(method, route).observe(elapsed)
            access_log.info(
                "request",
                extra={
                    "method": method,
                    "path": scope.get("path"),
                    "route": route,
                    "status": status,
                    "ms": round(elapsed * 1000, 2),
                },
            )
            request_id.reset(token)


def metrics_response(request: Request) -> Response:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        body = generate_latest(registry)
    else:
        body = generate_latest()
    return Response(body + _job_lines(request), media_type=CONTENT_TYPE_LATEST)


def _job_lines(request: Request) -> bytes:
    """Jobs by status and by task. With the queue they are read from it at scrape time (it is shared
    by every node and worker, so a per-process counter would be wrong); with the in-process runner
    they are this process's own jobs (finished ones counted since it started)."""
    from jobs.queue import status_totals, task_counts

    runtime = getattr(request.app.state, "runtime", None)
    if runtime is None or runtime.jobs is None:
        return b""
    try:
        if runtime.queue is not None:
            with runtime.sessions.scope() as session:
                by_task = task_counts(session)
        else:
            by_task = runtime.jobs.counts()
        counts = status_totals(by_task)
    except Exception:  # a scrape must not fail because the database is busy; the gap shows it
        log.warning("job counts unavailable for /metrics", exc_info=True)
        return b""
    lines = ["# HELP lightbox_jobs Jobs in the queue by status.", "# TYPE lightbox_jobs gauge"]
    lines += [f'lightbox_jobs{{status="{status}"}} {n}' for status, n in counts.items()]
    lines += ["# HELP lightbox_task_jobs Jobs in the queue by task and status.", "# TYPE lightbox_task_jobs gauge"]
    lines += [
        f'lightbox_task_jobs{{task="{task}",status="{status}"}} {n}'
        for task, statuses in sorted(by_task.items())
        for status, n in statuses.items()
    ]
    return ("\n".join(lines) + "\n").encode()


class JsonFormatter(logging.Formatter):
    """One JSON object per line, with the request id of the request being served."""

    FIELDS = ("method", "path", "route", "status", "ms")

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
            "request_id": request_id.get(),
        }
        out.update({k: getattr(record, k) for k in self.FIELDS if hasattr(record, k)})
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out, default=str)


def configure_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    logging.getLogger("uvicorn.access").disabled = True  # our access line carries the request id
