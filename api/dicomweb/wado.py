"""WADO-RS (PS3.18 10.4): instances as stored, and their frames, as multipart/related bodies.

Transfer syntaxes: the stored (de-identified) files are served as they are, each part labelled
with its own transfer syntax; nothing is transcoded, so a client asking for one syntax may get
another, as Orthanc and most archives do for stored objects. A blind caller's copy of an
instance is the stored file without its answer-bearing attributes; frames carry no attributes,
so they are the same for everyone who may read the instance.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from io import BytesIO
from pathlib import Path
from typing import Final

import pydicom
from fastapi import Request
from fastapi.responses import FileResponse, Response, StreamingResponse
from pydicom.filereader import read_file_meta_info

from api.deps import PrincipalDep, SessionDep
from api.dicomweb.common import (
    DICOM,
    Selected,
    cache_headers,
    dicomweb_router,
    etag_of,
    fresh,
    negotiate,
    not_acceptable,
    not_modified,
    refusal,
    selected,
    selected_withholding,
    stored_paths,
)
from content.errors import DomainError
from content.imaging.answer_attributes import Withholding, strip_dataset
from integrations.dicomweb.frames import OCTET_STREAM, Frames, frame_numbers, image_types, read_frames, read_syntax

CHUNK: Final = 1 << 20


def _withheld_copy(path: Path) -> bytes:
    """The stored file without its answer-bearing attributes, pixels untouched (a blind caller's copy)."""
    ds = pydicom.dcmread(path, force=True)
    strip_dataset(ds)
    out = BytesIO()
    ds.save_as(out, enforce_file_format=True)
    return out.getvalue()


def _syntax_label(path: Path) -> str:
    syntax = read_file_meta_info(path).get("TransferSyntaxUID")
    return f"{DICOM}; transfer-syntax={syntax}" if syntax else DICOM


def _parts(paths: Sequence[Path], boundary: str, withheld: Sequence[bool]) -> Iterator[bytes]:
    """The multipart/related body, streamed file by file (a study may be far larger than memory)."""
    for path, blind in zip(paths, withheld, strict=True):
        yield f"--{boundary}\r\nContent-Type: {_syntax_label(path)}\r\n\r\n".encode("ascii")
        if blind:
            yield _withheld_copy(path)
        else:
            with path.open("rb") as fh:
                while chunk := fh.read(CHUNK):
                    yield chunk
        yield b"\r\n"
    yield f"--{boundary}--\r\n".encode("ascii")


def retrieve(request: Request, selection: tuple[Selected, Withholding]) -> Response:
    """A study, series or instance as stored: multipart/related, or one bare application/dicom
    when a single instance is asked for without multipart."""
    rows, hold = selection
    if isinstance(rows, Response):
        return rows
    asked = negotiate(request, DICOM)
    if asked is None:
        return not_acceptable('multipart/related; type="application/dicom"')
    paths = stored_paths(request, rows)
    if isinstance(paths, Response):
        return paths
    withheld = [hold.applies(r.study.case_uid) for r in rows]
    multipart = asked[1] or len(rows) > 1
    etag = etag_of("instances", multipart, *(f"{r.instance.file_key}:{w}" for r, w in zip(rows, withheld, strict=True)))
    if fresh(request, etag):
        return not_modified(etag)
    if not multipart:
        headers = cache_headers(etag)
        if withheld[0]:
            return Response(_withheld_copy(paths[0]), media_type=_syntax_label(paths[0]), headers=headers)
        return FileResponse(paths[0], media_type=_syntax_label(paths[0]), headers=headers)
    boundary = uuid.uuid4().hex
    media_type = f'multipart/related; type="{DICOM}"; boundary={boundary}'
    return StreamingResponse(_parts(paths, boundary, withheld), media_type=media_type, headers=cache_headers(etag))


@dicomweb_router.get("/studies/{study}", response_model=None)
def retrieve_study(request: Request, study: str, session: SessionDep, principal: PrincipalDep) -> Response:
    return retrieve(request, selected_withholding(session, principal, study))


@dicomweb_router.get("/studies/{study}/series/{series}", response_model=None)
def retrieve_series(
    request: Request, study: str, series: str, session: SessionDep, principal: PrincipalDep
) -> Response:
    return retrieve(request, selected_withholding(session, principal, study, series))


@dicomweb_router.get("/studies/{study}/series/{series}/instances/{sop}", response_model=None)
def retrieve_instance(
    request: Request, study: str, series: str, sop: str, session: SessionDep, principal: PrincipalDep
) -> Response:
    return retrieve(request, selected_withholding(session, principal, study, series, sop))


# Frames -----------------------------------------------------------------------------------


def multipart_frames(frames: Frames, media_type: str) -> Response:
    """The frames as multipart/related, each part labelled with its type and transfer syntax."""
    boundary = uuid.uuid4().hex
    label = f"{media_type}; transfer-syntax={frames.transfer_syntax}"
    body = b"".join(
        f"--{boundary}\r\nContent-Type: {label}\r\n\r\n".encode("ascii") + part + b"\r\n" for part in frames.parts
    )
    body += f"--{boundary}--\r\n".encode("ascii")
    return Response(body, media_type=f'multipart/related; type="{media_type}"; boundary={boundary}')


def frames_response(request: Request, rows: Selected, frames_text: str) -> Response:
    """Some frames of one instance, as their stored bytes (PS3.18 10.4.1.1.3)."""
    if isinstance(rows, Response):
        return rows
    try:
        numbers = frame_numbers(frames_text)
    except DomainError as exc:
        return refusal(exc)
    paths = stored_paths(request, rows[:1])
    if isinstance(paths, Response):
        return paths
    offered = [OCTET_STREAM, *image_types(read_syntax(paths[0]))]
    media_type = negotiate(request, *offered)
    if media_type is None:
        return not_acceptable(" or ".join(f'multipart/related; type="{m}"' for m in offered))
    etag = etag_of("frames", rows[0].instance.file_key, media_type[0], *numbers)
    if fresh(request, etag):
        return not_modified(etag)
    try:
        response = multipart_frames(read_frames(paths[0], numbers), media_type[0])
    except DomainError as exc:
        return refusal(exc)
    response.headers.update(cache_headers(etag))
    return response


@dicomweb_router.get("/studies/{study}/series/{series}/instances/{sop}/frames/{frames}", response_model=None)
def retrieve_frames(
    request: Request, study: str, series: str, sop: str, frames: str, session: SessionDep, principal: PrincipalDep
) -> Response:
    return frames_response(request, selected(session, principal, study, series, sop), frames)
