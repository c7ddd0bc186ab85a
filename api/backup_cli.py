"""`lightbox export DIR` and `lightbox restore DIR`: thin commands over integrations.backup.

Registered on the main Typer app by api/cli.py (`app.command("export")(export)` ...). The
catalog is rebuilt here after a restore, because content/ knows no catalog.
"""

from __future__ import annotations

from pathlib import Path

import typer

from api import migrate as migrations
from api.db import make_engine
from api.settings import Settings
from content.errors import DomainError
from jobs.queue import QUEUE_TABLES
from search.pg_schema import TABLE as CATALOG_TABLE
from search.pg_schema import VOCAB_TABLE as CATALOG_VOCAB_TABLE

# Tables the export leaves out because they are rebuilt, not backed up.
DERIVED_TABLES = frozenset({"alembic_version", CATALOG_TABLE, CATALOG_VOCAB_TABLE}) | QUEUE_TABLES


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)


def _key_id(settings: Settings) -> str:
    """A fingerprint of the UID-remapping key; the key itself never goes into an export."""
    import hashlib

    from importers.pipeline import deid_secret

    return hashlib.sha256(b"lightbox/key-id/v1" + deid_secret(settings.secret())).hexdigest()[:16]


def export(directory: Path = typer.Argument(..., metavar="DIR", help="A new or empty folder.")) -> None:
    """Write the whole repository (rows, versions, audit, media) to DIR."""
    from integrations.backup import export_repository

    settings = Settings()
    engine = make_engine(settings)
    try:
        if not migrations.is_current(engine):
            _fail("the database schema is behind; run `lightbox migrate` before exporting")
        manifest = export_repository(
            directory,
            engine=engine,
            media_root=settings.media_dir,
            revision=migrations.current_revision(engine),
            derived=DERIVED_TABLES,
            key_id=_key_id(settings),
        )
    except DomainError as exc:
        _fail(exc.message)
    finally:
        engine.dispose()
    rows = sum(t.rows for t in manifest.tables)
    media = sum(1 for rel in manifest.files if rel.startswith("media/"))
    typer.echo(f"exported {rows} rows in {len(manifest.tables)} tables and {media} media files to {directory}")


def restore(
    directory: Path = typer.Argument(..., metavar="DIR", help="A folder written by `lightbox export`."),
    force: bool = typer.Option(False, "--force", help="Replace the content of a non-empty database."),
) -> None:
    """Load an export into an empty database (migrating a new one first), copy its media, rebuild the catalog."""
    from api.runtime import Runtime
    from content.integrity import check_repository
    from integrations.backup import restore_repository, verify_export
    from media.store import ContentStore
    from search.consistency import rebuild

    settings = Settings()
    engine = make_engine(settings)
    try:
        revision = migrations.current_revision(engine)
        if revision is None:
            # A brand-new database: check the export first so a bad one leaves nothing behind.
            verify_export(directory, revision=migrations.head_revision())
            migrations.upgrade(engine)
            revision = migrations.current_revision(engine)
        manifest = restore_repository(
            directory, engine=engine, media_root=settings.media_dir, revision=revision, force=force
        )
    except DomainError as exc:
        _fail(exc.message)
    finally:
        engine.dispose()
    runtime = Runtime.open(settings)
    try:
        with runtime.sessions.scope() as session:
            entries = rebuild(runtime.catalog, session)
            # A faithful copy of a damaged repository is still damaged: say so rather than hide it.
            problems = check_repository(session, has_blob=ContentStore(settings.media_dir).has)
    finally:
        runtime.close()
    for problem in problems:
        typer.echo(f"warning: {problem.line()}", err=True)
    if manifest.key_id and manifest.key_id != _key_id(settings):
        typer.echo(
            "warning: this repository's LIGHTBOX_SECRET_KEY differs from the exporting one's; "
            "re-importing studies it already holds will create duplicates",
            err=True,
        )
    rows = sum(t.rows for t in manifest.tables)
    typer.echo(
        f"restored {rows} rows in {len(manifest.tables)} tables from {directory}; catalog rebuilt: {entries} entries"
    )
