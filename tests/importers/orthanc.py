"""A real Orthanc (Debian package, DICOMweb plugin) on free loopback ports, for tests and the benchmark."""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.helpers import free_port

ORTHANC = "/usr/sbin/Orthanc"
DICOMWEB_PLUGIN = "/usr/share/orthanc/plugins/libOrthancDicomWeb.so"


@dataclass
class Orthanc:
    process: subprocess.Popen[bytes]
    url: str
    dicom_port: int

    @property
    def dicomweb(self) -> str:
        return f"{self.url}/dicom-web"

    def upload(self, paths: Iterable[Path], client: httpx.Client | None = None) -> int:
        """POST /instances, Orthanc's own REST ingest; the number of bytes sent."""
        http = client or httpx.Client(timeout=60)
        sent = 0
        for path in paths:
            data = path.read_bytes()
            http.post(
                f"{self.url}/instances", content=data, headers={"Content-Type": "application/dicom"}
            ).raise_for_status()
            sent += len(data)
        return sent

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_orthanc(folder: Path, *, stable_age: int = 60) -> Orthanc:
    folder.mkdir(parents=True, exist_ok=True)
    http_port, dicom_port = free_port(), free_port()
    config = {
        "Name": "LightboxTest",
        "StorageDirectory": str(folder / "storage"),
        "IndexDirectory": str(folder / "index"),
        "HttpPort": http_port,
        "DicomPort": dicom_port,
        "RemoteAccessAllowed": False,
        "AuthenticationEnabled": False,
        "HttpServerEnabled": True,
        "DicomServerEnabled": True,
        "Plugins": [DICOMWEB_PLUGIN],
        "DicomWeb": {"Enable": True, "Root": "/dicom-web/"},
        "StableAge": stable_age,
        "StorageCompression": False,
        "HttpThreadsCount": 4,
    }
    (folder / "orthanc.json").write_text(json.dumps(config))
    log = (folder / "orthanc.log").open("wb")
    process = subprocess.Popen([ORTHANC, str(folder / "orthanc.json")], stdout=log, stderr=subprocess.STDOUT)
    orthanc = Orthanc(process, f"http://127.0.0.1:{http_port}", dicom_port)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Orthanc exited: {(folder / 'orthanc.log').read_text()[-2000:]}")
        try:
            if httpx.get(f"{orthanc.url}/system", timeout=1).status_code == 200:
                return orthanc
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    orthanc.stop()
    raise RuntimeError("Orthanc did not start in 30 s")
