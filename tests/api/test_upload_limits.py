"""Limits before work on POST /api/uploads, over real HTTP (uvicorn): the caller and their right to
import are decided from the headers before the body is read; a configured cap refuses larger bodies
(413), announced or streamed; an empty zip is a coded refusal; zip members are typed from their first
bytes."""

from __future__ import annotations

import contextlib
import http.client
import io
import json
import os
import socket
import tracemalloc
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from api.db import SessionFactory
from api.settings import Settings
from content.principal import SYSTEM
from content.users.service import add_user
from importers.sources import SourceFile, iter_sources
from tests.conftest import LiveServer
from tests.content import factories as f
from tests.importers.importing import copy_real, counts

CAP = 200_000
BOUNDARY = "lightboxboundary"
ANNOUNCED = 150 * 1024 * 1024  # what the client claims to send; only the first chunk is ever sent


@pytest.fixture
def app_settings(sessions: SessionFactory, settings: Settings) -> Settings:
    return settings.model_copy(update={"upload_max_bytes": CAP})


@pytest.fixture
def bearers(sessions: SessionFactory, settings: Settings) -> dict[str, str]:
    with sessions.scope() as session:
        f.collection(session, "Leeds")
        out = {}
        for name, role in (("trainer", "trainer"), ("registrar", "trainee")):
            user = add_user(name, roles=[role], password=None, session=session, principal=SYSTEM)
            out[role] = f.bearer(session, user, secret=settings.secret(), ttl_seconds=600)
    return out


def _multipart_head(filename: str) -> bytes:
    return (
        f'--{BOUNDARY}\r\ncontent-disposition: form-data; name="collection"\r\n\r\n/leeds\r\n'
        f'--{BOUNDARY}\r\ncontent-disposition: form-data; name="files"; filename="{filename}"\r\n'
        "content-type: application/zip\r\n\r\n"
    ).encode()


def _multipart(filename: str, data: bytes) -> bytes:
    return _multipart_head(filename) + data + f"\r\n--{BOUNDARY}--\r\n".encode()


def _send(server: LiveServer, headers: dict[str, str], body: bytes, *, chunked: bool = False) -> tuple[int, Any]:
    """A raw request over a socket: only `body` is sent, whatever Content-Length announces; the answer is
    read while the rest of an announced body is still unsent (the 30 s timeout only guards a hang)."""
    url = urlparse(server.url)
    with socket.create_connection((url.hostname, url.port), timeout=30) as sock:
        lines = [
            "POST /api/uploads HTTP/1.1",
            f"host: {url.hostname}",
            f"content-type: multipart/form-data; boundary={BOUNDARY}",
            *(f"{k}: {v}" for k, v in headers.items()),
        ]
        head = ("\r\n".join(lines) + "\r\n\r\n").encode()
        if chunked:
            step = 16 * 1024
            body = b"".join(
                b"%x\r\n%s\r\n" % (len(body[i : i + step]), body[i : i + step]) for i in range(0, len(body), step)
            )
        # The server may answer and close before taking everything: that answer is still read.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(head + body)
        response = http.client.HTTPResponse(sock)
        response.begin()
        return response.status, json.loads(response.read())


def _auth(bearers: dict[str, str], role: str | None) -> dict[str, str]:
    return {"authorization": f"Bearer {bearers[role]}"} if role else {}


@pytest.mark.parametrize("caller, status, code", [(None, 401, "UNAUTHENTICATED"), ("trainee", 403, "FORBIDDEN")])
def test_a_caller_who_may_not_upload_is_refused_before_the_body_is_read(
    live_server: LiveServer,
    sessions: SessionFactory,
    bearers: dict[str, str],
    caller: str | None,
    status: int,
    code: str,
) -> None:
    # 150 MB announced, 64 kB sent: the refusal can only arrive if the server did not wait for the rest.
    headers = {"content-length": str(ANNOUNCED), **_auth(bearers, caller)}
    answered, body = _send(live_server, headers, _multipart_head("big.zip") + os.urandom(64 * 1024))
    assert (answered, body["error"]["code"]) == (status, code)
    assert counts(sessions) == (0, 0, 0)


def test_an_upload_announced_above_the_cap_is_413_before_reading(
    live_server: LiveServer, bearers: dict[str, str]
) -> None:
    headers = {"content-length": str(ANNOUNCED), **_auth(bearers, "trainer")}
    answered, body = _send(live_server, headers, _multipart_head("big.zip") + os.urandom(64 * 1024))
    assert (answered, body["error"]["code"]) == (413, "TOO_LARGE")
    assert str(CAP) in body["error"]["message"]


def test_a_streamed_upload_is_cut_off_at_the_cap(
    live_server: LiveServer, sessions: SessionFactory, bearers: dict[str, str]
) -> None:
    # Chunked, so no Content-Length to refuse on: the running count does it.
    body = _multipart("big.zip", os.urandom(CAP + 100_000))
    answered, answer = _send(
        live_server, {"transfer-encoding": "chunked", **_auth(bearers, "trainer")}, body, chunked=True
    )
    assert (answered, answer["error"]["code"]) == (413, "TOO_LARGE")
    assert counts(sessions) == (0, 0, 0)


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_an_empty_zip_is_a_coded_refusal_and_a_real_one_under_the_cap_imports(
    live_server: LiveServer, sessions: SessionFactory, bearers: dict[str, str], tmp_path: Path
) -> None:
    empty = _multipart("empty.zip", _zip({}))
    answered, body = _send(live_server, {"content-length": str(len(empty)), **_auth(bearers, "trainer")}, empty)
    assert (answered, body["error"]["code"], body["error"]["field"]) == (400, "INVALID_INPUT", "files")
    assert "nothing to import" in body["error"]["message"]
    assert counts(sessions) == (0, 0, 0)
    real = _multipart("ct.zip", _zip({"ct.dcm": copy_real(tmp_path, "CT_small.dcm")[0].read_bytes()}))
    assert len(real) < CAP
    answered, body = _send(live_server, {"content-length": str(len(real)), **_auth(bearers, "trainer")}, real)
    assert answered == 200 and body["imported"] == 1, body
    assert counts(sessions) == (1, 1, 1)


def test_zip_members_are_typed_from_their_first_bytes(tmp_path: Path) -> None:
    """A 48 MB member is sniffed (and found not DICOM) without inflating it: peak memory stays far below it."""
    archive = tmp_path / "big.zip"
    dicom = copy_real(tmp_path, "CT_small.dcm")[0].read_bytes()
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("junk.bin", os.urandom(48 * 1024 * 1024))
        zf.writestr("ct.dcm", dicom)
    tracemalloc.start()
    try:
        found = list(iter_sources([archive]))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [type(x).__name__ for x in found] == ["Skipped", "SourceFile"]
    assert "not DICOM" in found[0].reason  # type: ignore[union-attr]
    assert peak < 4 * 1024 * 1024, peak
    source = found[1]
    assert isinstance(source, SourceFile) and source.open().read() == dicom
