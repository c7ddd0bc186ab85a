"""Rendering: Lightbox's /media endpoint against a local Orthanc, in one run.

1. Every reference test file (tests/media/reference.py) rendered at 256 px through
   Lightbox's HTTP endpoint (live uvicorn, first render: the rendition cache is emptied
   before each sample) and through Orthanc's `/instances/{id}/rendered?width=256&height=256`
   (uploaded afresh before each sample, so both are first renders). Both answer PNG.
   Prints per-file median milliseconds and the ratio Lightbox / Orthanc. Then re-windowing:
   the same image (already opened) in windows not rendered before, against Orthanc's
   /rendered of an instance it holds (rendered once already).
2. A synthesised 500-slice 512x512 CT: time to build its three previews, then the rate at
   which the cached thumbnail is served over HTTP (with auth and permission check).

Run: .venv/bin/python bench/render.py [--repeat 5] [--requests 4000] [--clients 4]
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import httpx
import pydicom
from sqlmodel import select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from api import migrate
from api.db import SessionFactory, make_engine
from api.media_routes import GRANT_TTL_SECONDS
from api.settings import Settings
from content import events
from content.cases.models import Case
from content.cases.service import create_case
from content.collections.service import create_collection
from content.imaging.models import Series, Study
from content.principal import SYSTEM
from content.security.sessions import open_session
from content.users.models import User
from content.users.service import add_user, principal_for
from importers.series_previews import build_previews
from importers.synth import synth_ct_series, write_series
from media import urls
from media.render import RenderOptions
from media.store import ContentStore
from tests.media.imaging_rows import add_series
from tests.media.reference import REFERENCE

ORTHANC = "/usr/sbin/Orthanc"
SECRET = "b" * 40
SIZE = 256

# The server runs in its own process so the load generator does not share its GIL.
SERVER = """
import sys, uvicorn
sys.path.insert(0, {root!r})
from api.app import create_app
from api.media_routes import media_router
from api.settings import Settings
app = create_app(Settings())
if not any(getattr(r, "path", "").startswith("/media/") for r in app.routes):
    app.include_router(media_router)
uvicorn.run(app, host="127.0.0.1", port={port}, log_level="warning", access_log=False)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


@dataclass
class Lightbox:
    url: str
    token: str
    store: ContentStore
    process: subprocess.Popen[bytes]


def start_lightbox(folder: Path) -> tuple[Lightbox, Settings, SessionFactory]:
    settings = Settings(data_dir=folder / "lightbox", secret_key=SECRET)
    engine = make_engine(settings)
    migrate.upgrade(engine)
    sessions = SessionFactory(engine, events.EventBus())
    with sessions.scope() as session:
        user = add_user("bench", roles=["trainer"], password="bench password", session=session, principal=SYSTEM)
        token = open_session(user, session=session, secret=settings.secret(), ttl_seconds=3600)
        session.commit()
    port = free_port()
    # The per-token rate limit (api.ratelimit, 1200/min by default) would turn the serving-rate
    # run into a measurement of 429s; it is lifted here, and only here.
    env = {
        **os.environ,
        "LIGHTBOX_DATA_DIR": str(settings.data_dir),
        "LIGHTBOX_SECRET_KEY": SECRET,
        "LIGHTBOX_RATE_LIMIT_PER_MINUTE": "100000000",
    }
    env.pop("LIGHTBOX_DATABASE_URL", None)
    root = str(Path(__file__).resolve().parents[1])
    log = (folder / "lightbox.log").open("wb")  # placeholders log their reasons there
    process = subprocess.Popen(
        [sys.executable, "-W", "ignore", "-c", SERVER.format(root=root, port=port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    wait_for(f"http://127.0.0.1:{port}/healthz")
    return Lightbox(f"http://127.0.0.1:{port}", token, ContentStore(settings.media_dir), process), settings, sessions


def start_orthanc(folder: Path) -> tuple[str, subprocess.Popen[bytes]]:
    port = free_port()
    config = {
        "Name": "bench",
        "StorageDirectory": str(folder / "orthanc"),
        "IndexDirectory": str(folder / "orthanc"),
        "HttpPort": port,
        "DicomPort": free_port(),
        "RemoteAccessAllowed": False,
        "AuthenticationEnabled": False,
        "Plugins": [],
        "StorageCompression": False,
    }
    path = folder / "orthanc.json"
    path.write_text(json.dumps(config))
    log = (folder / "orthanc.log").open("wb")
    process = subprocess.Popen([ORTHANC, str(path)], stdout=log, stderr=subprocess.STDOUT, cwd=folder)
    wait_for(f"http://127.0.0.1:{port}/system")
    return f"http://127.0.0.1:{port}", process


def timed_get(client: httpx.Client, url: str, **kwargs: object) -> tuple[float, httpx.Response]:
    start = time.perf_counter()
    response = client.get(url, **kwargs)  # type: ignore[arg-type]
    return (time.perf_counter() - start) * 1000, response


def header(path: Path) -> tuple[str, str]:
    ds = pydicom.dcmread(path, stop_before_pixels=True, force=True)
    return str(ds.get("Modality", "?")), f"{ds.get('Columns', '?')}x{ds.get('Rows', '?')}"


@dataclass
class Row:
    file: str
    modality: str
    dims: str
    lightbox: float  # first render, median ms
    cached: float  # cached rendition, median ms
    orthanc: float | None  # None: Orthanc refused the file or could not render it
    placeholder: bool
    rewindow: float | None = None  # an already opened image in a new window, median ms
    orthanc_open: float | None = None  # Orthanc's /rendered of an instance it already holds, median ms

    @property
    def longest(self) -> int:
        return max((int(x) for x in self.dims.split("x") if x.isdigit()), default=0)


def settle(rendition: Path, placeholder: bool) -> None:
    """Wait for the rendition the server stores after answering, so the next sample's
    unlink cannot race it (placeholders are not stored)."""
    deadline = time.monotonic() + 5
    while not placeholder and not rendition.exists() and time.monotonic() < deadline:
        time.sleep(0.001)


def orthanc_first(client: httpx.Client, orthanc: str, path: Path, repeat: int) -> float | None:
    """Orthanc's first render of `path`: uploaded afresh for every sample, so its parsed-DICOM
    cache is cold as Lightbox's rendition cache is; deleting also lets twins that share a
    SOP Instance UID each be rendered. None when Orthanc refuses the file or cannot render it."""
    samples = []
    data = path.read_bytes()
    for _ in range(repeat):
        upload = client.post(f"{orthanc}/instances", content=data)
        if upload.status_code != 200:
            return None
        oid = upload.json()["ID"]
        ms, response = timed_get(client, f"{orthanc}/instances/{oid}/rendered?width={SIZE}&height={SIZE}")
        client.delete(f"{orthanc}/instances/{oid}")
        if response.status_code != 200:
            return None
        samples.append(ms)
    return statistics.median(samples)


def compare_files(lightbox: Lightbox, orthanc: str, sessions: SessionFactory, repeat: int) -> list[Row]:
    files = [ref.path for ref in REFERENCE]
    with sessions.scope() as session:
        principal = principal_for(session.exec(select(User)).one(), session=session)
        coll = create_collection(title="Bench", parent_uid=None, slug=None, session=session, principal=SYSTEM)
        case = create_case(
            collection_uid=coll.uid, fields={"title": "Reference files"}, session=session, principal=principal
        )
        _, instances = add_series(session, lightbox.store, case_uid=case.uid, files=files, previews=False)
    options = RenderOptions(size=SIZE, format="png")
    rows = []
    auth = {"Authorization": f"Bearer {lightbox.token}"}
    with httpx.Client(timeout=120) as ours, httpx.Client(timeout=120) as theirs:
        # Warm both servers (lazy imports of pixel handlers, Orthanc's first request).
        ours.get(f"{lightbox.url}{urls.rendered_url(instances[-1])}?size=64", headers=auth)
        orthanc_first(theirs, orthanc, files[-1], 1)
        for path, instance in zip(files, instances, strict=True):
            modality, dims = header(path)
            url = f"{lightbox.url}{urls.rendered_url(instance)}?size={SIZE}&format=png"
            cached = lightbox.store.rendition_path(options.cache_key(instance.file_key))
            first = []
            for _ in range(repeat):
                cached.unlink(missing_ok=True)  # a first render every time
                ms, response = timed_get(ours, url, headers=auth)
                first.append(ms)
                placeholder = "x-lightbox-placeholder" in response.headers
                settle(cached, placeholder)
            hot = statistics.median(timed_get(ours, url, headers=auth)[0] for _ in range(repeat))
            # Re-windowing: a window not rendered before (so not in the rendition store) of an image
            # just opened (its decoded frame is in memory).
            rewindow = [
                timed_get(ours, f"{url}&window={40 + 7 * i + 1000 * len(rows)},{350 + i}", headers=auth)[0]
                for i in range(repeat)
            ]
            orthanc_ms = orthanc_first(theirs, orthanc, path, repeat)
            rows.append(
                Row(
                    path.name,
                    modality,
                    dims,
                    statistics.median(first),
                    hot,
                    orthanc_ms,
                    placeholder,
                    statistics.median(rewindow),
                    orthanc_open(theirs, orthanc, path, repeat),
                )
            )
    return rows


def orthanc_open(client: httpx.Client, orthanc: str, path: Path, repeat: int) -> float | None:
    """Orthanc's /rendered of an instance it holds and has rendered once (its parsed DICOM cached)."""
    upload = client.post(f"{orthanc}/instances", content=path.read_bytes())
    if upload.status_code != 200:
        return None
    oid = upload.json()["ID"]
    try:
        url = f"{orthanc}/instances/{oid}/rendered?width={SIZE}&height={SIZE}"
        if client.get(url).status_code != 200:
            return None
        return statistics.median(timed_get(client, url)[0] for _ in range(repeat))
    finally:
        client.delete(f"{orthanc}/instances/{oid}")


def _summary(label: str, group: list[Row]) -> None:
    if not group:
        print(f"{label}: no file rendered by both")
        return
    ratios = [r.lightbox / r.orthanc for r in group if r.orthanc]
    print(
        f"{label}: {len(group)} files, lightbox {statistics.median(r.lightbox for r in group):.1f} ms, "
        f"orthanc {statistics.median(r.orthanc or 0.0 for r in group):.1f} ms, "
        f"median ratio {statistics.median(ratios):.2f}, geometric mean {statistics.geometric_mean(ratios):.2f}"
    )
    again = [r.rewindow / r.orthanc_open for r in group if r.rewindow and r.orthanc_open]
    if again:
        print(
            f"  re-windowed (image already open): lightbox {statistics.median(r.rewindow or 0.0 for r in group):.1f} "
            f"ms, orthanc /rendered of a held instance {statistics.median(r.orthanc_open or 0.0 for r in group):.1f} "
            f"ms, median ratio {statistics.median(again):.2f}, geometric mean {statistics.geometric_mean(again):.2f}"
        )


def print_table(rows: list[Row]) -> None:
    print(
        f"{'file':44} {'mod':6} {'dims':>10} {'lightbox ms':>11} {'cached ms':>9} {'orthanc ms':>10} {'ratio':>6} "
        f"{'rewin ms':>8} {'orth open':>9} {'ratio':>6}"
    )
    for row in rows:
        ratio = f"{row.lightbox / row.orthanc:6.2f}" if row.orthanc else "   n/a"
        orthanc = f"{row.orthanc:10.1f}" if row.orthanc else "    failed"
        note = " (placeholder)" if row.placeholder else ""
        again = f"{row.rewindow:8.1f}" if row.rewindow else "     n/a"
        held = f"{row.orthanc_open:9.1f}" if row.orthanc_open else "      n/a"
        again_ratio = f"{row.rewindow / row.orthanc_open:6.2f}" if row.rewindow and row.orthanc_open else "   n/a"
        print(
            f"{row.file[:44]:44} {row.modality[:6]:6} {row.dims:>10} {row.lightbox:11.1f} {row.cached:9.1f} "
            f"{orthanc} {ratio} {again} {held} {again_ratio}{note}"
        )
    both = [r for r in rows if r.orthanc and not r.placeholder]
    print(f"\nfiles: {len(rows)}, rendered by both: {len(both)}")
    _summary("all", both)
    _summary("512x512 CT", [r for r in both if r.modality == "CT" and r.dims == "512x512"])
    films = [r for r in both if r.modality in ("CR", "DX", "MG", "RG") and r.longest >= 1500]
    _summary("plain films ~2k (>= 1500 px)", films)
    # MR: the reference files are mostly 64x64, where a render is all request overhead; the larger
    # ones (>= 256 px) are what a reporting room opens.
    _summary("MR (all sizes)", [r for r in both if r.modality == "MR"])
    _summary("MR >= 256 px", [r for r in both if r.modality == "MR" and r.longest >= 256])


def _hammer(args: tuple[str, int, str, str, int]) -> Counter[int]:
    """`count` GETs over one keep-alive connection; the status codes seen."""
    host, port, path, token, count = args
    conn = http.client.HTTPConnection(host, port)
    statuses: Counter[int] = Counter()
    for _ in range(count):
        conn.request("GET", path, headers={"Authorization": f"Bearer {token}"})
        response = conn.getresponse()
        response.read()
        statuses[response.status] += 1
    conn.close()
    return statuses


def big_series(lightbox: Lightbox, sessions: SessionFactory, folder: Path, requests: int, clients: int) -> None:
    start = time.perf_counter()
    paths = write_series(synth_ct_series(500, 512), folder / "ct500")
    print(f"\n500-slice 512x512 CT written in {time.perf_counter() - start:.1f} s")
    file_keys = [lightbox.store.put_file(path) for path in paths]
    start = time.perf_counter()
    keys = build_previews(lightbox.store, file_keys)
    print(f"previews (thumbnail + 16-tile montage + 60-frame cine) built in {time.perf_counter() - start:.2f} s")
    with sessions.scope() as session:
        case = session.exec(select(Case)).first()
        assert case is not None
        study = Study(case_uid=case.uid, study_instance_uid="2.25.1", modality="CT")
        series = Series(
            study_uid=study.uid,
            series_instance_uid="2.25.2",
            modality="CT",
            instance_count=500,
            thumbnail_key=keys.thumbnail,
            montage_key=keys.montage,
            cine_key=keys.cine,
        )
        session.add(study)
        session.flush()
        session.add(series)
        session.commit()
        path = urls.thumbnail_url(series)
    assert path
    host, port = lightbox.url.removeprefix("http://").split(":")
    thumb = rate(host, int(port), path, lightbox.token, requests, clients)
    floor = rate(host, int(port), "/healthz", lightbox.token, requests, clients)
    print(
        f"cached thumbnail: {thumb:,.0f} per second; /healthz in the same server: {floor:,.0f} per second "
        f"(ratio {thumb / floor:.2f})"
    )
    print(
        f"  {clients} keep-alive clients, one uvicorn worker, all app middleware; bearer token on every "
        f"request, the permission decision reused per token for {GRANT_TTL_SECONDS:.0f} s"
    )


def rate(host: str, port: int, path: str, token: str, requests: int, clients: int) -> float:
    """200 answers per second for `path` under `clients` concurrent keep-alive connections."""
    _hammer((host, port, path, token, 50))  # warm up: grant cache, page cache
    start = time.perf_counter()
    with multiprocessing.Pool(clients) as pool:
        statuses = sum(pool.map(_hammer, [(host, port, path, token, requests // clients)] * clients), Counter())
    elapsed = time.perf_counter() - start
    served = statuses.pop(200, 0)
    if statuses:
        print(f"{path}: non-200 answers {dict(statuses)}")
    return served / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--files-only", action="store_true", help="skip the synthesised 500-slice series")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="lightbox-render-bench-"))
    processes: list[subprocess.Popen[bytes]] = []
    try:
        lightbox, _, sessions = start_lightbox(folder)
        processes.append(lightbox.process)
        orthanc, orthanc_process = start_orthanc(folder)
        processes.append(orthanc_process)
        print(f"Rendering at {SIZE} px, PNG, median of {args.repeat}; Lightbox first render (cache emptied) vs Orthanc")
        print_table(compare_files(lightbox, orthanc, sessions, args.repeat))
        if not args.files_only:
            big_series(lightbox, sessions, folder, args.requests, args.clients)
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=20)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
