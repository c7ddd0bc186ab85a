"""The `dicomweb-client` npm package (OHIF's) against a live Lightbox, on SQLite and PostgreSQL:
search with includefield, instance metadata with TransferSyntaxUID, frames (uncompressed,
multi-frame, JPEG 2000) byte-equal to pydicom's, and every BulkDataURI read back."""

from __future__ import annotations

import hashlib
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pydicom
import pytest

from api.db import SessionFactory
from api.settings import Settings
from tests.api.test_dicomweb import PREFIX, PYDICOM
from tests.api.test_dicomweb_frames import Frames, _expected, one_study
from tests.helpers import serving

TOOL = Path(__file__).resolve().parents[1] / "tooling" / "dicomweb-js"
FILES = ("CT_small.dcm", "rtdose.dcm", "JPEG2000.dcm")


@pytest.fixture
def archive(app_settings: Settings, sessions: SessionFactory) -> Iterator[Frames]:
    with one_study(app_settings, sessions, FILES) as built:
        yield built


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_the_npm_dicomweb_client_reads_what_a_viewer_needs(archive: Frames) -> None:
    assert (TOOL / "node_modules" / "dicomweb-client").is_dir(), "scripts/setup.sh installs tests/tooling/dicomweb-js"
    with serving(archive.app, force_exit=True, timeout_graceful_shutdown=2) as url:
        for name in FILES:
            ds = pydicom.dcmread(PYDICOM / name)
            count = int(ds.get("NumberOfFrames") or 1)
            numbers = list(range(1, count + 1))
            args = [url + PREFIX, archive.token, archive.study, archive.series, archive.sops[name]]
            run = subprocess.run(
                ["node", "check.mjs", *args, ",".join(map(str, numbers))],
                cwd=TOOL,
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert run.returncode == 0, run.stderr[-2000:]
            got = json.loads(run.stdout.strip().splitlines()[-1])
            assert got["studies"] == [archive.study]
            assert got["positions"] == sum("ImagePositionPatient" in pydicom.dcmread(PYDICOM / f) for f in FILES)
            assert got["transferSyntax"] == ds.file_meta.TransferSyntaxUID
            assert got["frames"] == [_sha(_expected(ds, n - 1, count)) for n in numbers], name
            for item in got["bulk"]:
                assert item["sha"] == _sha(bytes(ds[int(item["tag"], 16)].value)), (name, item["tag"])
            if name == "CT_small.dcm":
                assert {i["tag"] for i in got["bulk"]} == {"00431029"}  # the long private OB value
