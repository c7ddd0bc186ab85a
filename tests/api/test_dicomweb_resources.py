"""DICOMweb for viewers, on SQLite and PostgreSQL: metadata BulkDataURIs read back byte for byte (also
by `dicomweb-client` on a live server), TransferSyntaxUID, includefield at each level, single-part
application/dicom, gzip, ETag/304, CORS preflight, thumbnails and rendered resources.
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pydicom
import pytest
from dicomweb_client.api import DICOMwebClient
from fastapi.testclient import TestClient
from PIL import Image
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence as DicomSequence

from api.db import SessionFactory
from api.settings import Settings
from tests.api.test_dicomweb import PREFIX, PYDICOM
from tests.api.test_dicomweb_frames import Frames, _parts, one_study, with_router
from tests.helpers import serving

LUT_ENTRIES = 4096


def _with_luts(folder: Path) -> str:
    """CT_small with a 4096-entry VOI LUT (inside a sequence) and a 128x128 overlay: both over 1 KiB."""
    ds = pydicom.dcmread(PYDICOM / "CT_small.dcm")
    item = Dataset()
    item.LUTDescriptor = [LUT_ENTRIES, 0, 16]
    item.LUTExplanation = "RAMP"
    item.LUTData = np.arange(LUT_ENTRIES, dtype="<u2").tobytes()
    item["LUTData"].VR = "OW"
    ds.VOILUTSequence = DicomSequence([item])
    ds.add_new(0x60000010, "US", 128)
    ds.add_new(0x60000011, "US", 128)
    ds.add_new(0x60000100, "US", 1)
    ds.add_new(0x60000102, "US", 0)
    ds.add_new(0x60000040, "CS", "G")
    ds.add_new(0x60000050, "SS", [1, 1])
    ds.add_new(0x60003000, "OW", np.packbits(np.eye(128, dtype=np.uint8).ravel(), bitorder="little").tobytes())
    path = folder / "ct_luts.dcm"
    ds.save_as(path, enforce_file_format=True)
    return str(path)


FILES = ("CT_small.dcm", "examples_palette.dcm", "MR_small_RLE.dcm")


@pytest.fixture
def archive(app_settings: Settings, sessions: SessionFactory, tmp_path: Path) -> Iterator[Frames]:
    with one_study(app_settings, sessions, (*FILES, _with_luts(tmp_path))) as built:
        yield built


def _bulk_uris(attrs: dict[str, Any], path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    """(tag path, BulkDataURI) of every bulk value at any depth."""
    for tag, attr in attrs.items():
        if "BulkDataURI" in attr:
            yield (*path, tag), attr["BulkDataURI"]
        if attr.get("vr") == "SQ":
            for number, item in enumerate(attr.get("Value", [])):
                yield from _bulk_uris(item, (*path, tag, number))


def _value(ds: Dataset, path: tuple[Any, ...]) -> bytes:
    current: Any = ds
    for step in path:
        current = current.value[step] if isinstance(step, int) else current[int(step, 16)]
    return bytes(current.value)


def _local(uri: str) -> str:
    return uri[uri.index(PREFIX) :]


def test_metadata_names_every_long_binary_value_and_bulkdata_returns_its_bytes(archive: Frames) -> None:
    response = archive.get(f"{PREFIX}/studies/{archive.study}/metadata")
    assert response.status_code == 200, response.text
    by_sop = {item["00080018"]["Value"][0]: item for item in response.json()}
    luts = next(name for name in archive.sops if name.endswith("ct_luts.dcm"))
    for name, sop in archive.sops.items():
        ds = pydicom.dcmread(PYDICOM / name)
        item = by_sop[sop]
        assert item["00020010"] == {"vr": "UI", "Value": [str(ds.file_meta.TransferSyntaxUID)]}
        uris = dict(_bulk_uris(item))
        assert ("7FE00010",) in uris
        for path, uri in uris.items():
            got = archive.get(_local(uri))
            assert got.status_code == 200, (name, path, got.text)
            parts = _parts(got)
            if path == ("7FE00010",):
                if not ds.file_meta.TransferSyntaxUID.is_compressed:
                    assert b"".join(b for _, b in parts) == ds.PixelData
                continue
            assert parts == [("application/octet-stream", _value(ds, path))], (name, path)
    # The long values that the old metadata dropped: a LUT inside a sequence, an overlay, a private OB.
    assert {("00283010", 0, "00283006"), ("60003000",)} <= {p for p, _ in _bulk_uris(by_sop[archive.sops[luts]])}
    assert ("00431029",) in {p for p, _ in _bulk_uris(by_sop[archive.sops["CT_small.dcm"]])}
    # Short ones stay inline: the palette's 512-byte tables.
    palette = by_sop[archive.sops["examples_palette.dcm"]]
    assert "InlineBinary" in palette["00281201"]
    # A path that names nothing, or a non-binary value, is not there.
    base = _local(uris[("7FE00010",)]).removesuffix("/7FE00010")
    for bad in ("00100010", "00283010.5.00283006", "nonsense", "00283010.0"):
        assert archive.get(f"{base}/{bad}").status_code == 404, bad


def test_dicomweb_client_reads_metadata_and_bulkdata(archive: Frames) -> None:
    luts = next(name for name in archive.sops if name.endswith("ct_luts.dcm"))
    with serving(archive.app, force_exit=True, timeout_graceful_shutdown=2) as url:
        client = DICOMwebClient(url=f"{url}{PREFIX}", headers={"Authorization": f"Bearer {archive.token}"})
        item = client.retrieve_instance_metadata(archive.study, archive.series, archive.sops[luts])
        uri = item["00283010"]["Value"][0]["00283006"]["BulkDataURI"]
        # dicomweb-client sends `Host` without the port (its own quirk), so the URI we built from
        # that Host names port 80: put the port back, as a client that sends a full Host gets it.
        assert uri.startswith("http://127.0.0.1/dicomweb/studies/")
        uri = uri.replace("http://127.0.0.1/", f"{url}/", 1)
        [data] = client.retrieve_bulkdata(uri)
        assert data == np.arange(LUT_ENTRIES, dtype="<u2").tobytes()
        ds = pydicom.dataset.Dataset.from_json(item, bulk_data_uri_handler=lambda *a: b"")
        assert ds.Rows == 128 and ds.VOILUTSequence[0].LUTDescriptor == [LUT_ENTRIES, 0, 16]
        found = client.search_for_instances(archive.study, fields=["ImagePositionPatient"])
        assert any("00200032" in i for i in found)


def _tags(response: Any) -> list[set[str]]:
    assert response.status_code == 200, response.text
    return [set(item) for item in response.json()]


def test_includefield_at_every_level(archive: Frames) -> None:
    study = f"{PREFIX}/studies"
    series = f"{PREFIX}/studies/{archive.study}/series"
    instances = f"{PREFIX}/studies/{archive.study}/series/{archive.series}/instances"
    # Study: from the index (StudyDescription) and from a file (PatientAge, by keyword or tag).
    [plain] = _tags(archive.get(study))
    [asked] = _tags(archive.get(f"{study}?includefield=StudyDescription&includefield=00101010"))
    assert asked - plain == {"00081030", "00101010"}
    [every] = _tags(archive.get(f"{study}?includefield=all"))
    assert {"00081030", "00101010", "00080090", "00101030"} <= every and len(every) > 16
    # Series: Manufacturer and ProtocolName from the file, BodyPartExamined from the index.
    [plain] = _tags(archive.get(series))
    [asked] = _tags(archive.get(f"{series}?includefield=Manufacturer,BodyPartExamined"))
    assert asked - plain == {"00080070", "00180015"}
    [every] = _tags(archive.get(f"{series}?includefield=all"))
    assert {"00080070", "00180015", "00200052"} <= every
    # Instance: what a viewer sorts and places slices by.
    plain_list = _tags(archive.get(instances))
    asked_list = _tags(archive.get(f"{instances}?includefield=ImagePositionPatient&includefield=00280030"))
    assert all("00200032" not in p for p in plain_list)
    ct = archive.get(f"{instances}?includefield=ImagePositionPatient").json()
    positions = [i["00200032"]["Value"] for i in ct if "00200032" in i]
    assert [-158.135803, -179.035797, -75.699997] in positions
    assert any({"00200032", "00280030"} <= a for a in asked_list)
    every_list = _tags(archive.get(f"{instances}?includefield=all"))
    assert all(len(e) > 40 for e in every_list) and all("7FE00010" not in e for e in every_list)


def test_single_part_instance_and_etags(archive: Frames) -> None:
    url = archive.url("MR_small_RLE.dcm")
    one = archive.get(url, Accept="application/dicom")
    assert one.status_code == 200
    assert one.headers["content-type"] == "application/dicom; transfer-syntax=1.2.840.10008.1.2.5"
    assert pydicom.dcmread(io.BytesIO(one.content)).SOPInstanceUID == archive.sops["MR_small_RLE.dcm"]
    multi = archive.get(url, Accept='multipart/related; type="application/dicom"')
    assert multi.headers["content-type"].startswith("multipart/related")
    assert multi.headers["etag"] != one.headers["etag"]
    for response, path in ((one, url), (multi, url), (archive.get(f"{url}/metadata"), f"{url}/metadata")):
        etag = response.headers["etag"]
        assert response.headers["cache-control"] == "private, no-cache"
        accept = response.request.headers["accept"]
        again = archive.get(path, Accept=accept, **{"If-None-Match": etag})
        assert again.status_code == 304 and again.headers["etag"] == etag and again.content == b""
        assert archive.get(path, Accept=accept, **{"If-None-Match": '"other"'}).status_code == 200


def test_dicom_json_is_gzipped_when_allowed(archive: Frames) -> None:
    url = f"{PREFIX}/studies/{archive.study}/metadata"
    zipped = archive.client.get(url, headers={"Authorization": f"Bearer {archive.token}", "Accept-Encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip"
    raw_size = int(zipped.headers["content-length"])
    plain = archive.client.get(url, headers={"Authorization": f"Bearer {archive.token}", "Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and zipped.json() == plain.json()
    assert raw_size * 3 < len(plain.content)
    assert gzip.decompress(gzip.compress(plain.content)) == plain.content
    refused = archive.client.get(
        url, headers={"Authorization": f"Bearer {archive.token}", "Accept-Encoding": "gzip;q=0"}
    )
    assert "content-encoding" not in refused.headers
    assert zipped.headers["etag"] != plain.headers["etag"]


def test_cors_preflight_for_configured_origins(app_settings: Settings, archive: Frames) -> None:
    settings = app_settings.model_copy(update={"cors_origins": ["https://viewer.example"]})
    url = f"{archive.url('CT_small.dcm')}/frames/1"
    asks = {
        "access-control-request-method": "GET",
        "access-control-request-headers": "authorization,accept,if-none-match",
    }
    with TestClient(with_router(settings)) as client:
        ok = client.options(url, headers={"origin": "https://viewer.example", **asks})
        assert ok.status_code == 200
        assert ok.headers["access-control-allow-origin"] == "https://viewer.example"
        allowed = ok.headers["access-control-allow-headers"].lower()
        assert {"authorization", "accept", "if-none-match"} <= {h.strip() for h in allowed.split(",")}
        got = client.get(
            url,
            headers={"origin": "https://viewer.example", "Authorization": f"Bearer {archive.token}"},
        )
        assert got.status_code == 200 and "etag" in got.headers["access-control-expose-headers"].lower()
        other = client.options(url, headers={"origin": "https://evil.example", **asks})
        assert other.status_code == 400 and "access-control-allow-origin" not in other.headers
    with TestClient(with_router(app_settings)) as client:  # none configured: no CORS at all
        none = client.options(url, headers={"origin": "https://viewer.example", **asks})
        assert "access-control-allow-origin" not in none.headers


def test_thumbnails_and_rendered(archive: Frames) -> None:
    study = f"{PREFIX}/studies/{archive.study}"
    series = f"{study}/series/{archive.series}"
    instance = archive.url("CT_small.dcm")
    for url in (f"{study}/thumbnail", f"{series}/thumbnail", f"{instance}/thumbnail", f"{instance}/frames/1/thumbnail"):
        got = archive.get(url)
        assert got.status_code == 200 and got.headers["content-type"] == "image/jpeg", url
        assert max(Image.open(io.BytesIO(got.content)).size) == 128, url
    png = archive.get(f"{instance}/thumbnail?viewport=64,64", Accept="image/png")
    assert Image.open(io.BytesIO(png.content)).size == (64, 64)
    many = archive.get(f"{series}/rendered", Accept='multipart/related; type="image/png"')
    assert many.status_code == 200
    parts = _parts(many)
    assert len(parts) == len(archive.sops) and all(t == "image/png" for t, _ in parts)
    assert Image.open(io.BytesIO(parts[0][1])).format == "PNG"
    assert len(_parts(archive.get(f"{study}/rendered"))) == len(archive.sops)
    assert archive.get(f"{study}/rendered", Accept="application/pdf").status_code == 406
    assert archive.get(f"{series}/rendered?viewport=0,x").status_code == 400
    assert archive.get(f"{PREFIX}/studies/1.2.3/thumbnail").status_code == 404
