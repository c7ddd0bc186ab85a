"""PACS ways in against real peers: DICOMweb from a real Orthanc, C-STORE pushed by dcmtk's storescu."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pydicom
import pytest
import typer
from sqlmodel import select
from typer.testing import CliRunner

from api.db import SessionFactory
from api.imports import import_app, study_importer
from api.settings import Settings
from content.cases.models import Case
from content.imaging.models import Study
from content.principal import SYSTEM
from importers.dicomweb import DicomWebClient, pacs_sources, parse_multipart
from importers.pipeline import ImportTarget, import_sources
from importers.receiver import CallingPeer, Receiver
from importers.synth import SynthPatient, SynthStudy, synth_ct_series, write_series
from media.store import ContentStore
from tests.helpers import free_port
from tests.importers.importing import SECRET, copy_real, counts, make_collection, settings_with_media
from tests.importers.orthanc import Orthanc, start_orthanc


@pytest.fixture(scope="module")
def pacs_files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("pacs-files")
    study = SynthStudy(patient=SynthPatient(name="PACS^PATIENT^ONE", patient_id="PX0000001"), seed=11)
    return [*write_series(synth_ct_series(12, 32, study=study), folder / "ct"), *copy_real(folder, "CT_small.dcm")]


@pytest.fixture(scope="module")
def orthanc(tmp_path_factory: pytest.TempPathFactory, pacs_files: list[Path]) -> Iterator[Orthanc]:
    server = start_orthanc(tmp_path_factory.mktemp("orthanc"))
    try:
        server.upload(pacs_files)
        yield server
    finally:
        server.stop()


def _study_uid(path: Path) -> str:
    return str(pydicom.dcmread(path, stop_before_pixels=True).StudyInstanceUID)


def test_multipart_related_parts_are_split_on_the_boundary() -> None:
    body = b"--XyZ\r\nContent-Type: application/dicom\r\n\r\nabc\r\n--XyZ\r\n\r\n--X\r\n--XyZ--\r\n"
    assert parse_multipart('multipart/related; type="application/dicom"; boundary=XyZ', body) == [b"abc", b"--X"]


def test_import_studies_from_orthanc_over_dicomweb(
    orthanc: Orthanc, pacs_files: list[Path], sessions: SessionFactory, tmp_path: Path
) -> None:
    collection = make_collection(sessions)
    store = ContentStore(tmp_path / "media")
    wanted = [_study_uid(pacs_files[0]), _study_uid(pacs_files[-1]), "1.2.3.4.5.404"]
    client = DicomWebClient(orthanc.dicomweb)
    with sessions.scope() as session:
        summary = import_sources(
            pacs_sources(client, wanted),
            target=ImportTarget(collection),
            session=session,
            principal=SYSTEM,
            store=store,
            secret=SECRET,
        )
    assert summary.imported == 13 and [s.status for s in summary.studies] == ["created", "created"]
    assert [p.reason for p in summary.failed] == ["study not found on the PACS"]
    with sessions.scope() as session:
        titles = {c.title for c in session.exec(select(Case))}
    assert "CT CHEST ABDOMEN PELVIS WITH CONTRAST" in titles
    with sessions.scope() as session:  # the same studies again: nothing new
        again = import_sources(
            pacs_sources(client, wanted[:2]),
            target=ImportTarget(collection),
            session=session,
            principal=SYSTEM,
            store=store,
            secret=SECRET,
        )
    assert again.imported == 0 and len(again.skipped) == 13
    client.close()


def test_cli_import_pacs(
    orthanc: Orthanc,
    pacs_files: list[Path],
    sessions: SessionFactory,
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    local = settings_with_media(settings, tmp_path / "data")
    monkeypatch.setenv("LIGHTBOX_DATA_DIR", str(local.data_dir))
    monkeypatch.setenv("LIGHTBOX_DATABASE_URL", local.db_url)
    monkeypatch.setenv("LIGHTBOX_SECRET_KEY", "c" * 40)
    make_collection(sessions, "Leeds")
    app = typer.Typer()
    app.add_typer(import_app, name="import")
    app.command("noop")(lambda: None)
    result = CliRunner().invoke(
        app,
        ["import", "pacs", "--url", orthanc.dicomweb, "--study", _study_uid(pacs_files[0]), "--collection", "/leeds"],
    )
    assert result.exit_code == 0, result.output
    assert "1 studies imported, 12 files imported" in result.output
    assert counts(sessions) == (1, 1, 12)


def test_c_store_receiver_imports_a_study_once_it_is_stable(sessions: SessionFactory, tmp_path: Path) -> None:
    files = write_series(synth_ct_series(8, 32, study=SynthStudy(seed=23)), tmp_path / "push")
    collection = make_collection(sessions)
    store = ContentStore(tmp_path / "media")
    port = free_port()
    receiver = Receiver(
        port=port,
        stable_age=1.0,
        peers=[CallingPeer("STORESCU")],
        spool_dir=tmp_path / "spool",
        on_study=study_importer(
            sessions, store, b"receiver-secret-0123456789abcdef", SYSTEM, collection, echo=lambda _: None
        ),
    )
    receiver.start()
    try:
        pushed = subprocess.run(
            ["/usr/bin/storescu", "-aec", "LIGHTBOX", "127.0.0.1", str(port), *map(str, files)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert pushed.returncode == 0, pushed.stderr
        assert receiver.received == 8
        deadline = time.monotonic() + 30  # the study becomes a case after 1 s of quiet, then imports
        while time.monotonic() < deadline:
            with sessions.scope() as session:
                if session.exec(select(Study)).first() is not None:
                    break
            time.sleep(0.2)
    finally:
        receiver.stop()
    assert counts(sessions) == (1, 1, 8)
    with sessions.scope() as session:
        assert session.exec(select(Case)).one().state == "DRAFT"
