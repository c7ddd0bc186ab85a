"""A real HTTP endpoint for deliveries: http.server on 127.0.0.1, an ephemeral port, scripted answers."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Hit:
    path: str
    headers: dict[str, str]  # lower-cased names
    body: bytes
    status: int

    @property
    def json(self) -> dict[str, Any]:
        return json.loads(self.body)  # type: ignore[no-any-return]


class Receiver:
    """Answers each POST with the next scripted status, then `default`; records everything it got."""

    def __init__(self, statuses: Sequence[int] = (), default: int = 200) -> None:
        self.script, self.default = list(statuses), default
        self.hits: list[Hit] = []
        self._cond = threading.Condition()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/lightbox"
        self._thread = threading.Thread(target=self.server.serve_forever, name="webhook-receiver", daemon=True)
        self._thread.start()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", "0")))
                with receiver._cond:
                    status = receiver.script.pop(0) if receiver.script else receiver.default
                    receiver.hits.append(Hit(self.path, {k.lower(): v for k, v in self.headers.items()}, body, status))
                    receiver._cond.notify_all()
                answer = b"busy, try later" if status >= 400 else b"thanks"
                self.send_response(status)
                self.send_header("content-length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler

    def wait_for(self, count: int, timeout: float = 30.0) -> list[Hit]:
        """The hits once there are `count` of them (or what came before the deadline)."""
        with self._cond:
            self._cond.wait_for(lambda: len(self.hits) >= count, timeout)
            return list(self.hits)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@contextmanager
def receiving(statuses: Sequence[int] = (), default: int = 200) -> Iterator[Receiver]:
    receiver = Receiver(statuses, default)
    try:
        yield receiver
    finally:
        receiver.close()
