"""/dicomweb (QIDO-RS, WADO-RS) over a real app, on SQLite and PostgreSQL, and against real peers.

Rows come from the public imaging service (`attach_study`, as an import does) over real pydicom
test files whose UIDs and dates are rewritten to match the rows; cases go through the real
workflow (submit by the author, validate by another person). The peers are a real Orthanc with
its DICOMweb plugin, retrieving through its own DICOMweb client, and the `dicomweb-client` package.
"""

from __future__ import annotations

import io
import json
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import httpx
import pydicom
import pytest
import uvicorn
from dicomweb_client.api import DICOMwebClient
from fastapi import FastAPI
from fastapi.testclient import TestClient
from PIL import Image
from sqlmodel import Session, select

from api.app import create_app
from api.db import SessionFactory
from api.dicomweb import dicomweb_router
from api.settings import Settings
from content.cases.service import create_case
from content.cases.transitions import transition
from content.collections.models import Collection
from content.imaging import dicomweb as service
from content.imaging.models import Instance, Study
from content.imaging.service import NewInstance, NewSeries, NewStudy, attach_study
from content.principal import SYSTEM, Principal
from content.security.api_tokens import create_api_token
from content.users.models import User
from content.users.service import add_user, principal_for
from media.store import ContentStore
from tests.content import factories as f
from tests.helpers import free_port, serving

PYDICOM = Path(pydicom.__file__).parent / "data" / "test_files"
ORTHANC = "/usr/sbin/Orthanc"
DICOMWEB_PLUGIN = "/usr/share/orthanc/plugins/libOrthancDicomWeb.so"
PREFIX = "/dicomweb"


def _uid() -> str:
    return f"2.25.{uuid.uuid4().int}"


@dataclass
class Archive:
    """What the fixture built: tokens by name, and the UIDs the tests ask for."""

    client: TestClient
    app: FastAPI
    token: dict[str, str]
    ct_study: str  # validated, 2020-03-04: one CT series, one instance
    mr_study: str  # validated, 2021-06-10: an MR series (2 servable + 1 quarantined) and a 2-frame OT series
    draft_study: str  # a draft case's CT study
    series: dict[str, str] = field(default_factory=dict)  # "ct", "mr", "ot", "draft"
    sops: dict[str, list[str]] = field(default_factory=dict)  # servable SOP Instance UIDs per series
    quarantined: str = ""

    def get(self, path: str, who: str | None = "trainee", **params: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token[who]}"} if who else {}
        accept = params.pop("accept_header", None)
        if accept:
            headers["Accept"] = accept
        return self.client.get(PREFIX + path, params=params, headers=headers)


def _stored(store: ContentStore, name: str, study: str, series: str, sop: str, day: date) -> NewInstance:
    """A real file with its UIDs and date rewritten to the rows', stored content-addressed."""
    ds = pydicom.dcmread(PYDICOM / name)
    ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.SOPInstanceUID = study, series, sop
    ds.file_meta.MediaStorageSOPInstanceUID = pydicom.uid.UID(sop)
    ds.StudyDate = day.strftime("%Y%m%d")
    buffer = io.BytesIO()
    ds.save_as(buffer, enforce_file_format=True)
    data = buffer.getvalue()
    return NewInstance(
        sop_instance_uid=sop,
        sop_class_uid=str(ds.SOPClassUID),
        file_key=store.put(data),
        size_bytes=len(data),
        position=0,
        instance_number=int(ds.get("InstanceNumber") or 1),
        frames=int(ds.get("NumberOfFrames") or 1),
        rows=int(ds.Rows),
        columns=int(ds.Columns),
    )


def _study(
    store: ContentStore,
    day: date,
    series: dict[str, tuple[str, list[str]]],
    uids: dict[str, str],
    sops: dict[str, list[str]],
) -> NewStudy:
    """series: label -> (modality, files). Fills `uids` (label -> Series UID) and `sops`."""
    study_uid = _uid()
    new = NewStudy(
        study_instance_uid=study_uid,
        description="Teaching study",
        study_date=day,
        modality=next(iter(series.values()))[0],
    )
    for number, (label, (modality, files)) in enumerate(series.items(), start=1):
        uids[label] = _uid()
        item = NewSeries(
            series_instance_uid=uids[label],
            modality=modality,
            series_number=number,
            description=f"{label} series",
            body_part="HEAD",
        )
        for position, name in enumerate(files):
            stored = _stored(store, name, study_uid, uids[label], _uid(), day)
            item.instances.append(replace(stored, position=position, instance_number=position + 1))
        sops[label] = [i.sop_instance_uid for i in item.instances]
        new.series.append(item)
    return new


def _case_with(session: Session, collection: str, title: str, study: NewStudy, author: Principal) -> str:
    case = create_case(collection_uid=collection, fields={"title": title}, session=session, principal=author)
    attach_study(study, case=case, session=session)
    session.commit()
    return case.uid


def _path(session: Session, collection_uid: str) -> str:
    row = session.get(Collection, collection_uid)
    assert row is not None
    return row.path


def with_router(settings: Settings) -> FastAPI:
    """The app as the lead wires it; the router is added here only until api/app.py includes it."""
    app = create_app(settings)
    if not any(getattr(r, "path", "").startswith(PREFIX) for r in app.routes):
        app.include_router(dicomweb_router)
    return app


@pytest.fixture
def archive(app_settings: Settings, sessions: SessionFactory) -> Iterator[Archive]:
    store = ContentStore(app_settings.media_dir)
    secret = app_settings.secret()
    series: dict[str, str] = {}
    sops: dict[str, list[str]] = {}
    with sessions.scope() as session:
        people: dict[str, Principal] = {}
        token: dict[str, str] = {}
        users = {}
        for name, role in (
            ("author", "trainer"),
            ("checker", "validator"),
            ("trainee", "trainee"),
            ("partner", "partner"),
        ):
            # No password: hashing one costs half a second, and these people sign in by token.
            users[name] = add_user(name, roles=[role], password=None, session=session, principal=SYSTEM)
            people[name] = principal_for(users[name], session=session)
            token[name] = f.bearer(session, users[name], secret=secret)
        leeds, york = f.collection(session, "Leeds"), f.collection(session, "York")
        for name, coll in (("partner_leeds", leeds), ("partner_york", york)):
            token[name], _ = create_api_token(
                name,
                scope="read",
                acting_user=users["partner"],
                collection_path=_path(session, coll),
                session=session,
                principal=SYSTEM,
            )
        ct = _study(store, date(2020, 3, 4), {"ct": ("CT", ["CT_small.dcm"])}, series, sops)
        mr = _study(
            store,
            date(2021, 6, 10),
            {"mr": ("MR", ["MR_small.dcm"] * 3), "ot": ("OT", ["SC_rgb_rle_2frame.dcm"])},
            series,
            sops,
        )
        draft = _study(store, date(2022, 1, 1), {"draft": ("CT", ["CT_small.dcm"])}, series, sops)
        author = people["author"]
        validated = [
            _case_with(session, leeds, "Head CT", ct, author),
            _case_with(session, leeds, "Brain MR", mr, author),
        ]
        _case_with(session, leeds, "Draft CT", draft, author)
        for case_uid in validated:
            transition(case_uid, "SUBMIT", session=session, principal=author)
            transition(case_uid, "VALIDATE", session=session, principal=people["checker"])
        # Flagged after validation (burned-in text spotted later): still never served over DICOMweb.
        quarantined = sops["mr"].pop()
        row = session.exec(select(Instance).where(Instance.sop_instance_uid == quarantined)).one()
        row.quarantined, row.quarantine_reason = True, "burned-in text suspected"
        session.add(row)
        session.commit()
    app = with_router(app_settings)
    with TestClient(app) as client:
        yield Archive(
            client,
            app,
            token,
            ct.study_instance_uid,
            mr.study_instance_uid,
            draft.study_instance_uid,
            series,
            sops,
            quarantined,
        )


def _values(item: dict[str, Any], tag: str) -> list[Any]:
    return list(item.get(tag, {}).get("Value", []))


def _study_uids(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [_values(item, "0020000D")[0] for item in response.json()]


def _parts(response: httpx.Response) -> list[tuple[str, bytes]]:
    """(Content-Type, body) of each part of a multipart/related response, by the stdlib's parser."""
    head = f"Content-Type: {response.headers['content-type']}\r\n\r\n".encode()
    message = message_from_bytes(head + response.content)
    assert message.is_multipart()
    parts: list[Message] = message.get_payload()  # type: ignore[assignment]  # a list when multipart
    return [(str(part["Content-Type"]), bytes(part.get_payload(decode=True))) for part in parts]


# QIDO-RS ----------------------------------------------------------------------------------


def test_qido_studies_json_shape(archive: Archive) -> None:
    response = archive.get("/studies")
    assert response.headers["content-type"] == "application/dicom+json"
    by_uid = {_values(i, "0020000D")[0]: i for i in response.json()}
    assert set(by_uid) == {archive.ct_study, archive.mr_study}  # the draft's study is not listed
    mr = by_uid[archive.mr_study]
    assert all(len(tag) == 8 and tag == tag.upper() and "vr" in attr for tag, attr in mr.items())
    assert mr["0020000D"]["vr"] == "UI" and mr["00080020"] == {"vr": "DA", "Value": ["20210610"]}
    assert _values(mr, "00080061") == ["MR", "OT"]
    # The quarantined instance is not counted: 2 MR + 1 OT.
    assert _values(mr, "00201206") == [2] and _values(mr, "00201208") == [3]
    assert _values(mr, "00081190") == [f"http://testserver{PREFIX}/studies/{archive.mr_study}"]
    assert mr["00100010"] == {"vr": "PN"}  # de-identified: present, empty
    assert "00081030" not in mr


def test_qido_study_parameters(archive: Archive) -> None:
    assert _study_uids(archive.get("/studies", StudyInstanceUID=archive.ct_study)) == [archive.ct_study]
    assert _study_uids(archive.get("/studies", **{"0020000D": archive.mr_study})) == [archive.mr_study]
    both = f"{archive.ct_study},{archive.mr_study}"
    assert set(_study_uids(archive.get("/studies", StudyInstanceUID=both))) == {archive.ct_study, archive.mr_study}
    assert _study_uids(archive.get("/studies", StudyInstanceUID=archive.draft_study)) == []
    assert _study_uids(archive.get("/studies", ModalitiesInStudy="OT")) == [archive.mr_study]
    assert set(_study_uids(archive.get("/studies", ModalitiesInStudy="CT,MR"))) == {archive.ct_study, archive.mr_study}
    assert _study_uids(archive.get("/studies", StudyDate="20200101-20201231")) == [archive.ct_study]
    assert _study_uids(archive.get("/studies", StudyDate="20210101-")) == [archive.mr_study]
    assert _study_uids(archive.get("/studies", StudyDate="-20200304")) == [archive.ct_study]
    assert _study_uids(archive.get("/studies", StudyDate="20210610")) == [archive.mr_study]
    # Sorted by date: limit and offset walk the same order.
    assert _study_uids(archive.get("/studies", limit=1)) == [archive.ct_study]
    assert _study_uids(archive.get("/studies", limit=1, offset=1)) == [archive.mr_study]
    assert _study_uids(archive.get("/studies", offset=2)) == []
    described = archive.get("/studies", includefield="StudyDescription,00081030").json()
    assert all(_values(i, "00081030") == ["Teaching study"] for i in described)
    # Keys we cannot match on are ignored with a warning, as PS3.18 asks; bad values are refused.
    warned = archive.get("/studies", PatientID="X", _="1700000000")
    assert len(_study_uids(warned)) == 2 and "PatientID, _" in warned.headers["warning"]
    assert len(_study_uids(archive.get("/studies", StudyDate=""))) == 2  # universal matching
    for bad in (
        {"StudyDate": "2020-01-01"},
        {"limit": "-1"},
        {"includefield": "NoSuchKeyword"},
        {"StudyInstanceUID": "1.2.abc"},
    ):
        assert archive.get("/studies", **bad).status_code == 400, bad


def test_qido_warns_when_the_server_cuts_results(archive: Archive, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(service, "MAX_RESULTS", 1)
    cut = archive.get("/studies", limit=50)
    assert _study_uids(cut) == [archive.ct_study]
    assert "Additional results can be requested" in cut.headers["warning"]
    assert "warning" not in archive.get("/studies", offset=1).headers


def test_qido_series_and_instances(archive: Archive) -> None:
    listed = archive.get(f"/studies/{archive.mr_study}/series").json()
    assert [_values(s, "0020000E")[0] for s in listed] == [archive.series["mr"], archive.series["ot"]]
    assert [_values(s, "00201209")[0] for s in listed] == [2, 1]
    assert _values(listed[0], "00080060") == ["MR"] and listed[0]["00200011"] == {"vr": "IS", "Value": [1]}
    found = archive.get("/series", Modality="CT").json()
    assert [_values(s, "0020000E")[0] for s in found] == [archive.series["ct"]]
    assert archive.get("/series", SeriesInstanceUID=archive.series["draft"]).json() == []
    body = archive.get("/series", SeriesInstanceUID=archive.series["mr"], includefield="all").json()
    assert _values(body[0], "00180015") == ["HEAD"]

    instances = archive.get(f"/studies/{archive.mr_study}/series/{archive.series['mr']}/instances").json()
    assert [_values(i, "00080018")[0] for i in instances] == archive.sops["mr"]
    assert archive.quarantined not in archive.get("/instances").text
    first = instances[0]
    assert _values(first, "00280010") == [64] and first["00280010"]["vr"] == "US"
    assert _values(first, "00080016") == [pydicom.uid.MRImageStorage]
    one = archive.get("/instances", SOPInstanceUID=archive.sops["ot"][0]).json()
    assert _values(one[0], "00280008") == [2]
    assert len(archive.get(f"/studies/{archive.mr_study}/instances", limit=2, offset=1).json()) == 2
    assert archive.get("/instances", SOPInstanceUID=archive.quarantined).json() == []
    # The path and a contradicting query parameter match nothing.
    assert archive.get(f"/studies/{archive.mr_study}/series", StudyInstanceUID=archive.ct_study).json() == []


# WADO-RS ----------------------------------------------------------------------------------


def test_retrieve_study_series_instance_as_multipart(archive: Archive) -> None:
    study = archive.get(f"/studies/{archive.mr_study}", accept_header='multipart/related; type="application/dicom"')
    assert study.status_code == 200
    content_type = study.headers["content-type"]
    assert content_type.startswith('multipart/related; type="application/dicom"; boundary=')
    boundary = content_type.rsplit("boundary=", 1)[1]
    assert study.content.startswith(f"--{boundary}\r\n".encode()) and study.content.endswith(
        f"\r\n--{boundary}--\r\n".encode()
    )
    parts = _parts(study)
    assert len(parts) == 3
    assert all(kind.startswith("application/dicom; transfer-syntax=") for kind, _ in parts)
    datasets = [pydicom.dcmread(io.BytesIO(body)) for _, body in parts]
    assert {ds.SOPInstanceUID for ds in datasets} == set(archive.sops["mr"] + archive.sops["ot"])
    assert all(ds.StudyInstanceUID == archive.mr_study for ds in datasets)
    assert datasets[0].pixel_array.shape == (64, 64)  # whole files, pixels included

    series = archive.get(f"/studies/{archive.mr_study}/series/{archive.series['ot']}")
    ((kind, _),) = _parts(series)
    assert kind == f"application/dicom; transfer-syntax={pydicom.uid.RLELossless}"
    sop = archive.sops["mr"][0]
    instance = archive.get(f"/studies/{archive.mr_study}/series/{archive.series['mr']}/instances/{sop}")
    assert [pydicom.dcmread(io.BytesIO(b)).SOPInstanceUID for _, b in _parts(instance)] == [sop]
    refused = archive.get(f"/studies/{archive.mr_study}", accept_header="application/pdf")
    assert refused.status_code == 406


def test_metadata(archive: Archive) -> None:
    response = archive.get(f"/studies/{archive.mr_study}/metadata")
    assert response.status_code == 200 and response.headers["content-type"] == "application/dicom+json"
    items = response.json()
    assert {_values(i, "00080018")[0] for i in items} == set(archive.sops["mr"] + archive.sops["ot"])
    assert all(set(i["7FE00010"]) == {"vr", "BulkDataURI"} for i in items)  # pixels named, not inlined
    mr = next(i for i in items if _values(i, "00080060") == ["MR"])
    assert _values(mr, "0020000D") == [archive.mr_study] and mr["00280010"] == {"vr": "US", "Value": [64]}
    sop = archive.sops["ct"][0]
    one = archive.get(f"/studies/{archive.ct_study}/series/{archive.series['ct']}/instances/{sop}/metadata").json()
    assert len(one) == 1 and _values(one[0], "00080060") == ["CT"]
    assert len(archive.get(f"/studies/{archive.mr_study}/series/{archive.series['mr']}/metadata").json()) == 2


def test_rendered(archive: Archive) -> None:
    base = f"/studies/{archive.ct_study}/series/{archive.series['ct']}/instances/{archive.sops['ct'][0]}"
    jpeg = archive.get(f"{base}/rendered", accept_header="image/jpeg")
    assert jpeg.status_code == 200 and jpeg.headers["content-type"] == "image/jpeg"
    assert Image.open(io.BytesIO(jpeg.content)).size == (128, 128)
    png = archive.get(f"{base}/rendered", accept_header="image/png", viewport="64,64", window="40,400,LINEAR")
    assert png.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(png.content)).size == (64, 64)
    ot = f"/studies/{archive.mr_study}/series/{archive.series['ot']}/instances/{archive.sops['ot'][0]}"
    frame = archive.get(f"{ot}/frames/2/rendered", accept="image/png")
    assert frame.status_code == 200 and Image.open(io.BytesIO(frame.content)).mode == "RGB"
    assert archive.get(f"{ot}/frames/3/rendered").status_code == 404
    assert archive.get(f"{ot}/frames/1,2/rendered").status_code == 400
    assert archive.get(f"{base}/rendered", accept_header="image/gif").status_code == 406


def test_a_missing_file_fails_before_any_byte(
    archive: Archive, sessions: SessionFactory, app_settings: Settings
) -> None:
    sop = archive.sops["ct"][0]
    with sessions.scope() as session:
        row = session.exec(select(Instance).where(Instance.sop_instance_uid == sop)).one()
        ContentStore(app_settings.media_dir).path_for(row.file_key).unlink()
    for suffix in ("", "/metadata"):
        refused = archive.get(f"/studies/{archive.ct_study}{suffix}")
        assert refused.status_code == 404 and refused.headers["content-type"] == "application/json", suffix
    assert archive.get(f"/studies/{archive.mr_study}").status_code == 200


# Permissions ---------------------------------------------------------------------------------


def test_anonymous_and_bad_tokens_are_401(archive: Archive) -> None:
    for path in ("/studies", f"/studies/{archive.ct_study}", f"/studies/{archive.ct_study}/metadata"):
        refused = archive.get(path, who=None)
        assert refused.status_code == 401, path
        assert refused.headers["www-authenticate"] == "Bearer"
    bad = archive.client.get(f"{PREFIX}/studies", headers={"Authorization": "Bearer lbx_not-a-token"})
    assert bad.status_code == 401


def test_who_sees_what(archive: Archive) -> None:
    validated = {archive.ct_study, archive.mr_study}
    for who in ("trainee", "partner", "partner_leeds", "author", "checker"):
        # Editors too: a draft's images are for the UI, not for partners' systems.
        assert set(_study_uids(archive.get("/studies", who=who))) == validated, who
    assert _study_uids(archive.get("/studies", who="partner_york")) == []
    assert archive.get("/instances", who="partner_york").json() == []
    assert archive.get(f"/studies/{archive.ct_study}", who="partner_york").status_code == 404
    assert archive.get(f"/studies/{archive.ct_study}", who="partner_leeds").status_code == 200
    draft_paths = [
        f"/studies/{archive.draft_study}",
        f"/studies/{archive.draft_study}/metadata",
        f"/studies/{archive.draft_study}/series",
    ]
    for who in ("trainee", "author"):
        assert archive.get(draft_paths[0], who=who).status_code == 404, who
        assert archive.get(draft_paths[1], who=who).status_code == 404, who
        assert archive.get(draft_paths[2], who=who).json() == [], who
    quarantined = f"/studies/{archive.mr_study}/series/{archive.series['mr']}/instances/{archive.quarantined}"
    for suffix in ("", "/metadata", "/rendered"):
        assert archive.get(quarantined + suffix, who="author").status_code == 404, suffix
    assert archive.get(f"/studies/{'9' * 10}", who="trainee").status_code == 404
    assert archive.get("/studies/not-a-uid", who="trainee").status_code == 404


def test_a_retired_case_leaves_dicomweb(archive: Archive, sessions: SessionFactory) -> None:
    with sessions.scope() as session:
        study = session.exec(select(Study).where(Study.study_instance_uid == archive.ct_study)).one()
        author = principal_for(session.exec(select(User).where(User.username == "author")).one(), session=session)
        transition(study.case_uid, "RETIRE", session=session, principal=author)
    for who in ("partner_leeds", "author"):
        assert _study_uids(archive.get("/studies", who=who)) == [archive.mr_study], who
        assert archive.get(f"/studies/{archive.ct_study}", who=who).status_code == 404, who


# Real peers ----------------------------------------------------------------------------------


@dataclass
class Live:
    url: str
    server: uvicorn.Server
    thread: threading.Thread


@pytest.fixture
def live(archive: Archive) -> Iterator[str]:
    """The archive's app over real HTTP (uvicorn in a thread), for peers that speak HTTP themselves."""
    # Peers keep connections alive; when the tests are over, do not wait for them to close.
    with serving(archive.app, force_exit=True, timeout_graceful_shutdown=2) as url:
        yield url


@pytest.fixture
def orthanc(tmp_path: Path, live: str, archive: Archive) -> Iterator[str]:
    """A real Orthanc whose DICOMweb client knows Lightbox as server "lightbox" (partner token)."""
    folder = tmp_path / "orthanc"
    folder.mkdir()
    port = free_port()
    config = {
        "Name": "PartnerPacs",
        "StorageDirectory": str(folder / "storage"),
        "IndexDirectory": str(folder / "index"),
        "HttpPort": port,
        "RemoteAccessAllowed": False,
        "AuthenticationEnabled": False,
        "DicomServerEnabled": False,
        "StorageCompression": False,
        "Plugins": [DICOMWEB_PLUGIN],
        "DicomWeb": {
            "Enable": True,
            "Root": "/dicom-web/",
            "Servers": {
                "lightbox": {
                    "Url": f"{live}{PREFIX}/",
                    "HttpHeaders": {"Authorization": f"Bearer {archive.token['partner_leeds']}"},
                }
            },
        },
    }
    (folder / "orthanc.json").write_text(json.dumps(config))
    log = (folder / "orthanc.log").open("wb")
    process = subprocess.Popen([ORTHANC, str(folder / "orthanc.json")], stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, (folder / "orthanc.log").read_text()[-2000:]
            try:
                if httpx.get(f"{url}/system", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                assert time.monotonic() < deadline, "Orthanc did not start"
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def test_orthanc_retrieves_a_validated_study(orthanc: str, archive: Archive) -> None:
    http = httpx.Client(base_url=orthanc, timeout=60)
    found = http.post(
        "/dicom-web/servers/lightbox/qido", json={"Uri": "/studies", "Arguments": {"ModalitiesInStudy": "MR"}}
    )
    assert found.status_code == 200, found.text
    # Orthanc answers in its simplified form: one value as a string (and it drops numeric ones).
    assert [i["0020000D"]["Value"] for i in found.json()] == [archive.mr_study]

    retrieved = http.post("/dicom-web/servers/lightbox/retrieve", json={"Resources": [{"Study": archive.mr_study}]})
    assert retrieved.status_code == 200, retrieved.text
    held = {
        http.get(f"/instances/{oid}/simplified-tags").json()["SOPInstanceUID"] for oid in http.get("/instances").json()
    }
    assert held == set(archive.sops["mr"] + archive.sops["ot"])  # the quarantined one never left
    # The draft is not there to be had.
    missing = http.post("/dicom-web/servers/lightbox/retrieve", json={"Resources": [{"Study": archive.draft_study}]})
    assert len(http.get("/instances").json()) == 3, missing.text


def test_dicomweb_client_searches_and_retrieves(live: str, archive: Archive) -> None:
    client = DICOMwebClient(
        url=f"{live}{PREFIX}", headers={"Authorization": f"Bearer {archive.token['partner_leeds']}"}
    )
    studies = client.search_for_studies(search_filters={"ModalitiesInStudy": "CT"})
    assert [s["0020000D"]["Value"][0] for s in studies] == [archive.ct_study]
    series = client.search_for_series(archive.mr_study)
    assert {s["0020000E"]["Value"][0] for s in series} == {archive.series["mr"], archive.series["ot"]}
    instances = client.retrieve_study(archive.mr_study)
    assert {ds.SOPInstanceUID for ds in instances} == set(archive.sops["mr"] + archive.sops["ot"])
    metadata = client.retrieve_series_metadata(archive.mr_study, archive.series["mr"])
    assert len(metadata) == 2
    sop = archive.sops["ct"][0]
    frame = client.retrieve_instance_frames_rendered(
        archive.ct_study, archive.series["ct"], sop, [1], media_types=("image/png",)
    )
    assert Image.open(io.BytesIO(frame)).size == (128, 128)
    anonymous = DICOMwebClient(url=f"{live}{PREFIX}")
    with pytest.raises(Exception, match="401"):
        anonymous.search_for_studies()
