"""Ways in at the edge: `lightbox import ...`, `lightbox receive` and `POST /api/uploads`.

Thin: each parses its input, resolves the collection and the acting principal, and calls one
importer service; the summary it gets back is printed or answered as JSON.
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import typer
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse
from sqlmodel import Session, select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.datastructures import UploadFile as StarletteUpload
from typer.core import TyperGroup

from api.db import SessionFactory
from api.deps import get_principal
from api.errors import error_response
from api.limits import capped_receive, check_announced
from api.runtime import Runtime, SchemaBehind
from api.settings import Settings
from content.collections.service import by_path
from content.errors import DomainError, ErrorCode
from content.principal import SYSTEM, Principal
from importers.summary import ImportSummary, Progress, ProgressCallback
from media.store import ContentStore

# --- command line -------------------------------------------------------------------


class _FilesByDefault(TyperGroup):
    """`lightbox import PATH...` runs the `files` command; `lightbox import pacs ...` its own."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["files", *args]
        return super().parse_args(ctx, args)


import_app = typer.Typer(
    cls=_FilesByDefault,
    no_args_is_help=True,
    help="Import DICOM (files, folders, zip, DICOMDIR or a PACS), de-identified, into cases; "
    "`import cases FILE` imports case metadata (JSON lines or CSV).",
)


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)


@dataclass
class _Runtime:
    runtime: Runtime
    store: ContentStore
    secret: bytes

    @property
    def sessions(self) -> SessionFactory:
        return self.runtime.sessions


def _runtime() -> _Runtime:
    """The shared Runtime (so imported cases reach the catalog) plus the media store."""
    settings = Settings()
    try:
        runtime = Runtime.open(settings)
    except SchemaBehind as exc:
        _fail(str(exc))
        raise
    return _Runtime(runtime, ContentStore(settings.media_dir), settings.secret())


def _finish(runtime: _Runtime) -> None:
    """Let the catalog catch up with what was imported before the process exits."""
    if not runtime.runtime.indexer.wait_idle(60.0):
        typer.echo("warning: the catalog is still catching up; run `lightbox check --repair`", err=True)
    runtime.runtime.close()


def _principal(session: Session, username: str | None) -> Principal:
    """The operator acts as the system unless --as-user names a person (whose permissions then apply)."""
    if username is None:
        return SYSTEM
    from content.users.models import User
    from content.users.service import principal_for

    user = session.exec(select(User).where(User.username == username)).first()
    if user is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"no user {username!r}", field="as_user")
    return principal_for(user, session=session)


def _collection_uid(session: Session, ref: str) -> str:
    """A collection path (/north/leeds) or its GraphQL global id."""
    if ref.startswith("/"):
        return by_path(ref, session=session).uid
    from schema.core.ids import from_global_id

    return from_global_id(ref, "Collection", field="collection")[1]


class _Reporter:
    """A rich progress bar on a terminal (files, MB/s); otherwise a plain line every few seconds."""

    def __init__(self, *, interactive: bool | None = None, every: float = 2.0) -> None:
        self.interactive = sys.stdout.isatty() if interactive is None else interactive
        self.every, self.started, self._last = every, time.perf_counter(), 0.0
        self._bar: Any = None
        self._task: Any = None

    def __call__(self, event: Progress) -> None:
        if event.phase != "import" or not event.total:
            return
        elapsed = max(time.perf_counter() - self.started, 1e-6)
        rate = f"{event.bytes_done / elapsed / 1e6:.1f} MB/s"
        if self.interactive:
            if self._bar is None:
                from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

                self._bar = Progress(
                    TextColumn("importing"),
                    BarColumn(),
                    MofNCompleteColumn(),
                    TextColumn("{task.fields[rate]}"),
                    TimeElapsedColumn(),
                )
                self._bar.start()
                self._task = self._bar.add_task("import", total=event.total, rate=rate)
            self._bar.update(self._task, completed=event.done, total=event.total, rate=rate)
        elif event.done == event.total or time.perf_counter() - self._last >= self.every:
            self._last = time.perf_counter()
            typer.echo(f"{event.done}/{event.total} files, {event.done / elapsed:.1f} files/s, {rate}")

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()


def _print(summary: ImportSummary) -> None:
    for study in summary.studies:
        typer.echo(study.line())
    for kind, problems in (("failed", summary.failed), ("duplicate", summary.duplicates)):
        for problem in problems:
            typer.echo(f"{kind}: {problem.label}: {problem.reason}")
    typer.echo(summary.text() + f" in {summary.seconds:.1f} s")


@contextmanager
def _import_session(as_user: str | None, collection: str) -> Iterator[tuple[_Runtime, Session, Principal, str]]:
    runtime = _runtime()
    try:
        with runtime.sessions.scope() as session:
            try:
                yield runtime, session, _principal(session, as_user), _collection_uid(session, collection)
            except DomainError as exc:
                _fail(exc.message)
    finally:
        _finish(runtime)


def _run(call: Callable[[ProgressCallback], ImportSummary]) -> None:
    reporter = _Reporter()
    try:
        summary = call(reporter)
    finally:
        reporter.close()
    _print(summary)
    if summary.failed and not (summary.imported or summary.skipped or summary.duplicates):
        raise typer.Exit(1)


@import_app.command("files")
def import_files(
    paths: list[Path] = typer.Argument(..., help="DICOM files, folders, zip files or DICOMDIRs."),
    collection: str = typer.Option(..., "--collection", help="Collection path, e.g. /north/leeds."),
    as_user: str | None = typer.Option(None, "--as-user", help="Import as this person (their permissions)."),
    case: str | None = typer.Option(None, "--case", help="Add the studies to this existing case (uid)."),
    workers: int | None = typer.Option(None, "--workers", help="Processes for de-identification (default 2)."),
) -> None:
    """Import DICOM files, folders, zip files or DICOMDIRs, de-identified, into draft cases."""
    from importers.pipeline import ImportTarget, import_paths

    with _import_session(as_user, collection) as (runtime, session, principal, collection_uid):
        _run(
            lambda progress: import_paths(
                paths,
                target=ImportTarget(collection_uid, case),
                session=session,
                principal=principal,
                store=runtime.store,
                secret=runtime.secret,
                progress=progress,
                workers=workers,
            )
        )


@import_app.command("pacs")
def import_pacs(
    url: str = typer.Option(..., "--url", help="DICOMweb root, e.g. http://pacs:8042/dicom-web."),
    study: list[str] = typer.Option(..., "--study", help="Study Instance UID; repeat for several."),
    collection: str = typer.Option(..., "--collection", help="Collection path."),
    as_user: str | None = typer.Option(None, "--as-user"),
    case: str | None = typer.Option(None, "--case", help="Add the studies to this existing case (uid)."),
) -> None:
    """Pull studies from a PACS over DICOMweb (QIDO-RS, WADO-RS) into draft cases."""
    from importers.dicomweb import DicomWebClient, pacs_sources
    from importers.pipeline import ImportTarget, import_sources

    client = DicomWebClient(url)
    try:
        with _import_session(as_user, collection) as (runtime, session, principal, collection_uid):
            _run(
                lambda progress: import_sources(
                    pacs_sources(client, study),
                    target=ImportTarget(collection_uid, case),
                    session=session,
                    principal=principal,
                    store=runtime.store,
                    secret=runtime.secret,
                    progress=progress,
                )
            )
    finally:
        client.close()


def receive(
    port: int = typer.Option(11112, "--port", help="DICOM port to listen on."),
    collection: str = typer.Option(..., "--collection", help="Collection path for the received studies."),
    stable_age: float = typer.Option(
        60.0, "--stable-age", help="Seconds without a new instance before a study is imported (as Orthanc's StableAge)."
    ),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    ae_title: str = typer.Option(
        "LIGHTBOX", "--ae-title", help="Our AE title; associations called otherwise are rejected."
    ),
    allow_calling_ae: list[str] = typer.Option(
        [],
        "--allow-calling-ae",
        help="A calling AE title that may send; repeat for several. Default: the peers in LIGHTBOX_PACS_PEERS.",
    ),
    as_user: str | None = typer.Option(None, "--as-user"),
) -> None:
    """Receive studies pushed by a PACS (DICOM C-STORE) and import each once it is stable."""
    from importers.receiver import CallingPeer, Receiver

    settings = Settings()
    try:
        peers = [CallingPeer.parse(entry) for entry in (allow_calling_ae or settings.pacs_peers)]
    except ValueError as exc:
        _fail(str(exc))
    if not peers:
        _fail("no peer may send: pass --allow-calling-ae AE (repeatable) or set LIGHTBOX_PACS_PEERS")
    runtime = _runtime()
    with runtime.sessions.scope() as session:
        try:
            principal = _principal(session, as_user)
            collection_uid = _collection_uid(session, collection)
        except DomainError as exc:
            _fail(exc.message)
    receiver = Receiver(
        port=port,
        host=host,
        ae_title=ae_title,
        stable_age=stable_age,
        peers=peers,
        spool_dir=settings.receiver_spool_dir,
        max_object_bytes=settings.receiver_max_object_bytes,
        max_spool_bytes=settings.receiver_max_spool_bytes,
        on_study=study_importer(
            runtime.sessions, runtime.store, runtime.secret, principal, collection_uid, echo=typer.echo
        ),
    )
    typer.echo(
        f"listening on {host}:{port} as {ae_title} for {', '.join(sorted({p.ae_title for p in peers}))}; "
        f"a study is imported {stable_age:g} s after its last image"
    )
    try:
        receiver.serve_forever()
    finally:
        _finish(runtime)


def study_importer(
    sessions: SessionFactory,
    store: ContentStore,
    secret: bytes,
    principal: Principal,
    collection_uid: str,
    *,
    echo: Callable[[str], Any] = print,
) -> Callable[[list[Any]], None]:
    """What the receiver calls with a stable study: one import in a fresh session, summary echoed."""
    from importers.pipeline import ImportTarget, import_sources

    def on_study(files: list[Any]) -> None:
        with sessions.scope() as session:
            summary = import_sources(
                files,
                target=ImportTarget(collection_uid),
                session=session,
                principal=principal,
                store=store,
                secret=secret,
            )
        for study in summary.studies:
            echo(study.line())
        echo(summary.text())

    return on_study


# --- HTTP ---------------------------------------------------------------------------

uploads_router = APIRouter()
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


MAX_UPLOAD_FILES = 1000


def _uploader(request: Request) -> Principal:
    """The caller, from the headers alone, refused unless some role of theirs imports somewhere."""
    from importers.pipeline import require_may_import

    sessions: SessionFactory = request.app.state.sessions
    with sessions.scope() as session:
        principal = get_principal(request, session)
    require_may_import(principal)
    return principal


@uploads_router.post("/api/uploads")
async def upload(request: Request) -> JSONResponse:
    """Multipart upload of DICOM files or a zip into a collection; answers the import summary.

    Form fields: `collection` (path or global id), `files` (repeated), `case` (optional uid).
    Who may upload is decided from the headers before a byte of the body is read, and the body
    is refused (413) past the configured cap, announced or streamed.
    """
    settings: Settings = request.app.state.settings
    cap = settings.upload_max_bytes
    try:
        principal = await run_in_threadpool(_uploader, request)
        check_announced(request, cap, "upload")
        capped = Request(request.scope, capped_receive(request, cap, "upload"))
        try:
            form = await capped.form(max_files=MAX_UPLOAD_FILES, max_fields=20)
        except HTTPException as exc:  # a malformed multipart body, or too many parts
            raise DomainError(
                ErrorCode.INVALID_INPUT, f"not a usable multipart upload: {exc.detail}", field="files"
            ) from exc
        try:
            return await run_in_threadpool(_import_upload, request, principal, form)
        finally:
            await form.close()
    except DomainError as exc:
        return error_response(exc)


def _import_upload(request: Request, principal: Principal, form: FormData) -> JSONResponse:
    from importers.pipeline import ImportTarget, import_paths

    settings: Settings = request.app.state.settings
    collection, case = form.get("collection"), form.get("case") or None
    files = [item for item in form.getlist("files") if isinstance(item, StarletteUpload)]
    if not isinstance(collection, str) or not collection:
        raise DomainError(ErrorCode.INVALID_INPUT, "name the collection to import into", field="collection")
    if case is not None and not isinstance(case, str):
        raise DomainError(ErrorCode.INVALID_INPUT, "the case is a uid", field="case")
    if not files:
        raise DomainError(ErrorCode.INVALID_INPUT, "the upload holds no files", field="files")
    sessions: SessionFactory = request.app.state.sessions
    with sessions.scope() as session:
        collection_uid = _collection_uid(session, collection)
        # Uploads are copied to a private temporary folder (removed at the end) so zip members
        # and large files are read as the file importer reads them, never all in memory.
        with tempfile.TemporaryDirectory(prefix="lightbox-upload-") as folder:
            names = []
            for number, item in enumerate(files):
                name = f"{number:05d}-{_UNSAFE.sub('_', Path(item.filename or 'upload').name)[:80]}"
                with open(Path(folder) / name, "wb") as out:
                    item.file.seek(0)
                    shutil.copyfileobj(item.file, out, 1 << 20)
                names.append(name)
            summary = import_paths(
                [Path(folder) / n for n in names],
                target=ImportTarget(collection_uid, case),
                session=session,
                principal=principal,
                store=ContentStore(settings.media_dir),
                secret=request.app.state.secret,
            )
            body = summary.as_dict()
            prefix = str(folder) + "/"
    return JSONResponse(_strip_prefix(body, prefix))


def _strip_prefix(value: Any, prefix: str) -> Any:
    """Report uploaded files by their names, not by the server's temporary paths."""
    if isinstance(value, str):
        return value.replace(prefix, "")
    if isinstance(value, list):
        return [_strip_prefix(v, prefix) for v in value]
    if isinstance(value, dict):
        return {k: _strip_prefix(v, prefix) for k, v in value.items()}
    return value
