"""WADO-RS frames on a real app, on SQLite and PostgreSQL: uncompressed and compressed files from
pydicom's test set, each frame byte-equal to pydicom's own frame data and decoding to its pixels,
parsed by the stdlib and by the `dicomweb-client` package against a live server.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

import httpx
import numpy as np
import pydicom
import pytest
from dicomweb_client.api import DICOMwebClient
from fastapi.testclient import TestClient
from pydicom.encaps import encapsulate, get_frame
from pydicom.uid import ExplicitVRBigEndian

from api.db import SessionFactory
from api.settings import Settings
from content.cases.transitions import transition
from content.principal import SYSTEM
from content.users.service import add_user, principal_for
from integrations.dicomweb.frames import image_types
from media.store import ContentStore
from tests.api.test_dicomweb import PREFIX, PYDICOM, _case_with, _study, with_router
from tests.content import factories as f
from tests.helpers import serving

# Transfer syntaxes a viewer meets: uncompressed in four envelopes, 1-bit, multi-frame, and the
# compressed ones (JPEG baseline and extended, JPEG-LS, JPEG 2000, RLE, multi-frame RLE).
FILES = (
    "CT_small.dcm",
    "MR_small_implicit.dcm",
    "MR_small_bigendian.dcm",
    "image_dfl.dcm",
    "liver_1frame.dcm",
    "rtdose.dcm",
    "SC_rgb_jpeg_dcmtk.dcm",
    "JPEG-lossy.dcm",
    "MR_small_jpeg_ls_lossless.dcm",
    "JPEG2000.dcm",
    "MR_small_RLE.dcm",
    "rtdose_rle.dcm",
)
# 12-bit JPEG Extended: neither Pillow nor pylibjpeg decodes it, so only its bytes are compared.
NO_DECODER = {"JPEG-lossy.dcm"}


@dataclass
class Frames:
    client: TestClient
    app: object
    token: str
    outsider: str
    study: str
    series: str
    sops: dict[str, str]  # file name -> SOP Instance UID

    def url(self, name: str) -> str:
        return f"{PREFIX}/studies/{self.study}/series/{self.series}/instances/{self.sops[name]}"

    def get(self, path: str, token: str | None = None, **headers: str) -> httpx.Response:
        return self.client.get(path, headers={"Authorization": f"Bearer {token or self.token}", **headers})


@contextmanager
def one_study(app_settings: Settings, sessions: SessionFactory, files: Sequence[str]) -> Iterator[Frames]:
    """A validated case with one study of one series of these files (names in pydicom's test set,
    or absolute paths), read by a trainee with no assignment; the app over a TestClient."""
    store = ContentStore(app_settings.media_dir)
    uids: dict[str, str] = {}
    sops: dict[str, list[str]] = {}
    with sessions.scope() as session:
        author = add_user("author", roles=["trainer"], password=None, session=session, principal=SYSTEM)
        checker = add_user("checker", roles=["validator"], password=None, session=session, principal=SYSTEM)
        reader = add_user("reader", roles=["trainee"], password=None, session=session, principal=SYSTEM)
        study = _study(store, date(2020, 1, 2), {"all": ("OT", list(files))}, uids, sops)
        case = _case_with(
            session, f.collection(session, "Leeds"), "Frames", study, principal_for(author, session=session)
        )
        transition(case, "SUBMIT", session=session, principal=principal_for(author, session=session))
        transition(case, "VALIDATE", session=session, principal=principal_for(checker, session=session))
        token = f.bearer(session, reader, secret=app_settings.secret())
        session.commit()
    app = with_router(app_settings)
    with TestClient(app) as client:
        yield Frames(
            client,
            app,
            token,
            "not-a-token",
            study.study_instance_uid,
            uids["all"],
            dict(zip(files, sops["all"], strict=True)),
        )


@pytest.fixture
def frames(app_settings: Settings, sessions: SessionFactory) -> Iterator[Frames]:
    with one_study(app_settings, sessions, FILES) as built:
        yield built


def _parts(response: httpx.Response) -> list[tuple[str, bytes]]:
    """(Content-Type, body) of each part, split strictly on the boundary (binary bodies stay exact)."""
    boundary = response.headers["content-type"].split("boundary=")[1].split(";")[0].strip('"').encode()
    chunks = response.content.split(b"--" + boundary)
    assert chunks[0] == b"" and chunks[-1] == b"--\r\n"
    out = []
    for chunk in chunks[1:-1]:
        head, _, body = chunk.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        assert body.endswith(b"\r\n")
        out.append((head.decode().removeprefix("Content-Type: "), body[:-2]))
    return out


def _expected(ds: pydicom.Dataset, index: int, count: int) -> bytes:
    """Frame `index` (0-based) as pydicom reads it out of the file."""
    syntax = ds.file_meta.TransferSyntaxUID
    if syntax.is_compressed:
        return get_frame(ds.PixelData, index, number_of_frames=count)
    frame = ds.pixel_array if count == 1 else ds.pixel_array[index]
    if ds.BitsAllocated == 1:
        return np.packbits(frame.ravel(), bitorder="little").tobytes()
    return np.ascontiguousarray(frame).astype(frame.dtype.newbyteorder("<")).tobytes()


@pytest.mark.parametrize("name", FILES)
def test_each_frame_is_the_stored_frame(frames: Frames, name: str) -> None:
    ds = pydicom.dcmread(PYDICOM / name)
    count = int(ds.get("NumberOfFrames") or 1)
    numbers = list(range(count, 0, -1))  # asked backwards: parts come in the order asked
    response = frames.get(
        f"{frames.url(name)}/frames/{','.join(map(str, numbers))}",
        Accept='multipart/related; type="application/octet-stream"; transfer-syntax=*',
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith('multipart/related; type="application/octet-stream"')
    parts = _parts(response)
    assert len(parts) == count
    syntax = ds.file_meta.TransferSyntaxUID
    label = syntax if syntax.is_compressed else "1.2.840.10008.1.2.1"
    for number, (content_type, body) in zip(numbers, parts, strict=True):
        assert content_type == f"application/octet-stream; transfer-syntax={label}"
        assert body == _expected(ds, number - 1, count), (name, number)
    if syntax.is_compressed and name not in NO_DECODER:
        # The served fragments, encapsulated again, decode to pydicom's pixels.
        served = [body for _, body in reversed(parts)]
        copy = pydicom.dcmread(PYDICOM / name)
        copy.PixelData = encapsulate(served)
        assert np.array_equal(copy.pixel_array, ds.pixel_array)
    elif syntax == ExplicitVRBigEndian:
        assert np.array_equal(np.frombuffer(parts[0][1], "<u2").reshape(ds.Rows, ds.Columns), ds.pixel_array)


def test_compressed_frames_as_their_image_type_and_refusals(frames: Frames) -> None:
    url = frames.url("SC_rgb_jpeg_dcmtk.dcm")
    jpeg = frames.get(f"{url}/frames/1", Accept='multipart/related; type="image/jpeg"')
    assert jpeg.status_code == 200
    [(content_type, body)] = _parts(jpeg)
    assert content_type == "image/jpeg; transfer-syntax=1.2.840.10008.1.2.4.50" and body[:2] == b"\xff\xd8"
    # Cornerstone's loader leaves the type unquoted; a bare */* gets the octet-stream too.
    for accept in ("multipart/related; type=application/octet-stream; transfer-syntax=*", "*/*"):
        plain = frames.get(f"{url}/frames/1", Accept=accept)
        assert plain.status_code == 200 and _parts(plain)[0][0].startswith("application/octet-stream;"), accept
    # Uncompressed pixels are not a JPEG: not offered as one.
    refused = frames.get(f"{frames.url('CT_small.dcm')}/frames/1", Accept='multipart/related; type="image/jpeg"')
    assert refused.status_code == 406
    assert frames.get(f"{url}/frames/2").status_code == 404  # past the last frame
    for bad in ("0", "1,x", "-1", "1,,2"):
        assert frames.get(f"{url}/frames/{bad}").status_code == 400, bad
    # Who may not read the instance learns nothing, not even that it exists.
    assert frames.get(f"{url}/frames/1", token=frames.outsider).status_code == 401
    assert frames.get(f"{url[: -len(frames.sops['SC_rgb_jpeg_dcmtk.dcm'])]}1.2.3/frames/1").status_code == 404


def test_frames_etag_and_304(frames: Frames) -> None:
    url = f"{frames.url('rtdose.dcm')}/frames/2"
    first = frames.get(url)
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "private, no-cache"
    again = frames.get(url, **{"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert frames.get(f"{frames.url('rtdose.dcm')}/frames/3", **{"If-None-Match": etag}).status_code == 200


def test_dicomweb_client_retrieves_frames(frames: Frames) -> None:
    with serving(frames.app, force_exit=True, timeout_graceful_shutdown=2) as url:
        client = DICOMwebClient(url=f"{url}{PREFIX}", headers={"Authorization": f"Bearer {frames.token}"})
        for name in ("CT_small.dcm", "rtdose.dcm", "JPEG2000.dcm", "SC_rgb_jpeg_dcmtk.dcm", "MR_small_RLE.dcm"):
            ds = pydicom.dcmread(PYDICOM / name)
            count = int(ds.get("NumberOfFrames") or 1)
            syntax = ds.file_meta.TransferSyntaxUID
            image_type = image_types(str(syntax))
            media = ((image_type[-1], str(syntax)),) if image_type else (("application/octet-stream", "*"),)
            got = client.retrieve_instance_frames(
                frames.study, frames.series, frames.sops[name], list(range(1, count + 1)), media_types=media
            )
            assert [bytes(g) for g in got] == [_expected(ds, i, count) for i in range(count)], name
        jpeg = client.retrieve_instance_frames(
            frames.study, frames.series, frames.sops["SC_rgb_jpeg_dcmtk.dcm"], [1], media_types=("image/jpeg",)
        )
        assert pydicom.dcmread(PYDICOM / "SC_rgb_jpeg_dcmtk.dcm").PixelData.find(jpeg[0][:64]) > 0


def test_an_unreadable_stored_file_is_a_coded_refusal(frames: Frames) -> None:
    url = frames.url("CT_small.dcm")
    stored = frames.get(url, Accept="application/dicom").content
    store = ContentStore(frames.app.state.settings.media_dir)  # type: ignore[attr-defined]
    path = store.path_for(store.put(stored))  # content-addressed: the same bytes name the same file
    path.chmod(0o644)
    path.write_bytes(stored[:-5000])  # cut short inside the pixel data
    broken = frames.get(f"{url}/frames/1")
    assert broken.status_code == 400 and broken.json()["error"]["code"] == "UNDECODABLE"
    # The header still reads: its metadata and bulk data are served, the whole study's too.
    assert frames.get(f"{url}/bulkdata/00431029").status_code == 200
    metadata = frames.get(f"{PREFIX}/studies/{frames.study}/metadata")
    assert metadata.status_code == 200 and len(metadata.json()) == len(FILES)
    path.write_bytes(b"\x00" * 10)  # nothing DICOM left at all
    assert frames.get(f"{url}/frames/1").status_code == 404  # no pixel data to be had, not a crash
    assert len(frames.get(f"{PREFIX}/studies/{frames.study}/metadata").json()) >= len(FILES) - 1
