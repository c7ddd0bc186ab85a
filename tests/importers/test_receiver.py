"""The C-STORE receiver against dcmtk's real storescu: only allowed peers may send (calling AE title,
called AE title, address), objects spool to a private folder on disk with size caps, and the
`lightbox receive` command needs an allow list or configured PACS peers."""

from __future__ import annotations

import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pydicom
import pytest
import typer
from typer.testing import CliRunner

from api.db import SessionFactory
from api.imports import receive, study_importer
from api.settings import Settings
from content.principal import SYSTEM
from importers.receiver import CallingPeer, Receiver
from importers.synth import SynthStudy, synth_ct_series, write_series
from media.store import ContentStore
from tests.helpers import free_port
from tests.importers.importing import counts, make_collection

STORESCU = "/usr/bin/storescu"


@pytest.fixture
def files(tmp_path: Path) -> list[Path]:
    return write_series(synth_ct_series(4, 32, study=SynthStudy(seed=31)), tmp_path / "push")


class Collected:
    def __init__(self) -> None:
        self.studies: list[list[Any]] = []

    def __call__(self, files: list[Any]) -> None:
        self.studies.append([f.open().read() for f in files])


def _receiver(tmp_path: Path, peers: list[CallingPeer], on_study: Any, **options: Any) -> Receiver:
    return Receiver(
        port=free_port(),
        stable_age=options.pop("stable_age", 600.0),
        peers=peers,
        spool_dir=tmp_path / "spool",
        on_study=on_study,
        **options,
    )


@pytest.fixture
def running(request: pytest.FixtureRequest) -> Iterator[list[Receiver]]:
    started: list[Receiver] = []
    yield started
    for receiver in started:
        receiver.stop()


def _push(receiver: Receiver, files: list[Path], *, calling: str = "STORESCU", called: str = "LIGHTBOX") -> int:
    done = subprocess.run(
        [STORESCU, "-aet", calling, "-aec", called, "127.0.0.1", str(receiver.address[1]), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    return done.returncode


def test_objects_spool_to_a_private_folder_on_disk_then_are_imported_and_removed(
    tmp_path: Path, files: list[Path], running: list[Receiver]
) -> None:
    collected = Collected()
    receiver = _receiver(tmp_path, [CallingPeer("STORESCU")], collected)
    receiver.start()
    running.append(receiver)
    assert _push(receiver, files) == 0 and receiver.received == 4
    spool = tmp_path / "spool"
    spooled = sorted(spool.glob("*.dcm"))
    assert len(spooled) == 4 and stat.S_IMODE(spool.stat().st_mode) == 0o700
    assert receiver.spooled_bytes == sum(p.stat().st_size for p in spooled)
    sent = {pydicom.dcmread(f).SOPInstanceUID for f in files}
    assert {pydicom.dcmread(p).SOPInstanceUID for p in spooled} == sent
    running.remove(receiver)
    receiver.stop()  # imports what is waiting
    assert len(collected.studies) == 1 and len(collected.studies[0]) == 4
    assert list(spool.glob("*.dcm")) == [] and receiver.spooled_bytes == 0


@pytest.mark.parametrize("calling, called", [("INTRUDER", "LIGHTBOX"), ("STORESCU", "SOMEONE_ELSE")])
def test_associations_from_unknown_peers_or_to_another_title_are_rejected(
    tmp_path: Path, files: list[Path], running: list[Receiver], calling: str, called: str
) -> None:
    receiver = _receiver(tmp_path, [CallingPeer("STORESCU"), CallingPeer("ORTHANC")], Collected())
    receiver.start()
    running.append(receiver)
    assert _push(receiver, files, calling=calling, called=called) != 0
    assert receiver.received == 0 and list((tmp_path / "spool").glob("*")) == []
    assert _push(receiver, files[:1]) == 0 and receiver.received == 1  # the allowed peer still sends


def test_a_peer_bound_to_an_address_is_refused_from_another(
    tmp_path: Path, files: list[Path], running: list[Receiver]
) -> None:
    receiver = _receiver(tmp_path, [CallingPeer.parse("STORESCU@10.20.30.40")], Collected())
    receiver.start()
    running.append(receiver)
    _push(receiver, files)
    assert receiver.received == 0 and list((tmp_path / "spool").glob("*")) == []


def test_objects_above_the_caps_are_refused_and_not_kept(
    tmp_path: Path, files: list[Path], running: list[Receiver]
) -> None:
    size = files[0].stat().st_size
    small = _receiver(tmp_path / "a", [CallingPeer("STORESCU")], Collected(), max_object_bytes=size // 2)
    small.start()
    running.append(small)
    _push(small, files[:2])
    assert small.received == 0 and list((tmp_path / "a" / "spool").glob("*")) == []
    # A spool with room for about two objects takes two, refuses the rest, and stays under its cap.
    full = _receiver(tmp_path / "b", [CallingPeer("STORESCU")], Collected(), max_spool_bytes=int(size * 2.5))
    full.start()
    running.append(full)
    _push(full, files)
    assert full.received == 2 and len(list((tmp_path / "b" / "spool").glob("*.dcm"))) == 2
    assert full.spooled_bytes <= int(size * 2.5)


def test_a_receiver_without_peers_does_not_start(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no peer may send"):
        _receiver(tmp_path, [], Collected())
    assert CallingPeer.parse(" ORTHANC@10.0.0.5 ") == CallingPeer("ORTHANC", "10.0.0.5")
    with pytest.raises(ValueError):
        CallingPeer.parse("A_TITLE_FAR_TOO_LONG@10.0.0.5")


def test_objects_left_by_a_crash_are_imported_at_the_next_start(
    sessions: SessionFactory, tmp_path: Path, files: list[Path]
) -> None:
    spool = tmp_path / "spool"
    spool.mkdir()
    for n, path in enumerate(files):
        (spool / f"left{n}.dcm").write_bytes(path.read_bytes())
    collection = make_collection(sessions)
    receiver = _receiver(
        tmp_path,
        [CallingPeer("STORESCU")],
        study_importer(
            sessions,
            ContentStore(tmp_path / "media"),
            b"receiver-secret-0123456789abcdef",
            SYSTEM,
            collection,
            echo=lambda _: None,
        ),
        stable_age=0.2,
    )
    receiver.start()
    receiver.stop()
    assert counts(sessions) == (1, 1, 4)
    assert list(spool.glob("*")) == []


def _cli() -> typer.Typer:
    app = typer.Typer()
    app.command("receive")(receive)
    app.command("noop")(lambda: None)
    return app


def test_receive_needs_an_allow_list_or_configured_peers(
    settings: Settings, sessions: SessionFactory, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    make_collection(sessions)
    for key, value in (
        ("DATA_DIR", str(settings.data_dir)),
        ("DATABASE_URL", settings.db_url),
        ("SECRET_KEY", "r" * 40),
    ):
        monkeypatch.setenv(f"LIGHTBOX_{key}", value)
    monkeypatch.delenv("LIGHTBOX_PACS_PEERS", raising=False)
    started: list[Receiver] = []
    monkeypatch.setattr(Receiver, "serve_forever", lambda self: started.append(self))
    runner = CliRunner()
    refused = runner.invoke(_cli(), ["receive", "--collection", "/leeds"])
    assert refused.exit_code == 1 and "--allow-calling-ae" in refused.output and started == []
    allowed = runner.invoke(
        _cli(),
        ["receive", "--collection", "/leeds", "--allow-calling-ae", "ORTHANC", "--allow-calling-ae", "MODALITY1"],
    )
    assert allowed.exit_code == 0, allowed.output
    assert {p.ae_title for p in started[0].peers} == {"ORTHANC", "MODALITY1"}
    assert started[0].ae.require_called_aet is True
    monkeypatch.setenv("LIGHTBOX_PACS_PEERS", "PACS1@10.0.0.5,PACS2")
    configured = runner.invoke(_cli(), ["receive", "--collection", "/leeds"])
    assert configured.exit_code == 0, configured.output
    assert started[1].peers == (CallingPeer("PACS1", "10.0.0.5"), CallingPeer("PACS2"))
    assert started[1].spool_dir == settings.data_dir / "receiving"
