"""Helpers the test folders share: a free loopback port, the app over real HTTP, a GraphQL call, npm folders."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import sqlalchemy as sa
import uvicorn


def free_port() -> int:
    """A loopback TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(app: Any, *, force_exit: bool = False, **config: Any) -> Iterator[str]:
    """`app` served by uvicorn in a thread on a free loopback port; yields its base URL.

    `force_exit` closes kept-alive connections at the end instead of waiting for peers to drop them;
    `config` goes to uvicorn.Config (e.g. proxy_headers=False, as `lightbox serve` runs).
    """
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error", **config))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        server.force_exit = force_exit
        thread.join(timeout=10)


def graphql_response(
    target: str | httpx.Client, query: str, variables: dict[str, Any] | None = None, token: str | None = None
) -> httpx.Response:
    """POST one GraphQL request to /graphql of a live server (its base URL) or of a client (e.g. a TestClient)."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    body = {"query": query, "variables": variables or {}}
    if isinstance(target, str):
        return httpx.post(f"{target}/graphql", json=body, headers=headers, timeout=30)
    return target.post("/graphql", json=body, headers=headers)


def graphql(
    target: str | httpx.Client, query: str, variables: dict[str, Any] | None = None, token: str | None = None
) -> dict[str, Any]:
    """One GraphQL request (see graphql_response); the decoded JSON response, errors and all."""
    body: dict[str, Any] = graphql_response(target, query, variables, token).json()
    return body


def graphql_data(
    target: str | httpx.Client, query: str, variables: dict[str, Any] | None = None, token: str | None = None
) -> dict[str, Any]:
    """One GraphQL request that must succeed: a 200 without errors; its `data`."""
    response = graphql_response(target, query, variables, token)
    body: dict[str, Any] = response.json()
    assert response.status_code == 200 and "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


def npm_installed_by_setup(setup: str) -> list[str]:
    """The folders scripts/setup.sh installs with `npm ci` from their lock files."""
    (loop,) = [line for line in setup.splitlines() if line.startswith("for dir in ")]
    assert 'npm ci --prefix "$dir"' in setup
    return loop.removeprefix("for dir in ").removesuffix("; do").split()


class FakeClock:
    """A monotonic clock the test moves by hand (`clock.now += 5`)."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@contextmanager
def counting(sessions: Any) -> Iterator[list[str]]:
    """The SQL statements run on `sessions.engine` inside the block, in order."""
    statements: list[str] = []

    def note(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    sa.event.listen(sessions.engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        sa.event.remove(sessions.engine, "before_cursor_execute", note)
