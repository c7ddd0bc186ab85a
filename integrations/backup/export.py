"""Export: every table's rows as JSON Lines from one consistent snapshot, the media, and a manifest."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from content.tables import metadata
from integrations.backup.codec import encode_row, table_kinds
from integrations.backup.manifest import MEDIA_DIR, TABLES_DIR, FileEntry, Manifest, TableEntry, refuse, table_file

_CHUNK = 1 << 20
MEDIA_AREAS = ("blobs",)  # renditions are a cache that is rendered again on demand


@contextmanager
def snapshot(engine: Engine) -> Iterator[Connection]:
    """A read-only connection that sees every table as of one moment, while writers go on."""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        else:
            # pysqlite opens no transaction for SELECTs, so each table would be its own snapshot.
            conn.exec_driver_sql("BEGIN")
        yield conn


def exported_tables(conn: Connection, *, derived: frozenset[str]) -> list[sa.Table]:
    """Every table of the content metadata that the database has, parents before children.

    A table the database has but the metadata lacks (a migration whose model is not imported
    in content/tables.py) would silently be left out of the backup, so it is refused instead,
    unless the caller names it as derived data (alembic_version, a rebuildable catalog).
    """
    present = set(sa.inspect(conn).get_table_names())
    unknown = sorted(present - set(metadata.tables) - derived)
    if unknown:
        raise refuse(
            f"table(s) {', '.join(unknown)} are in the database but not in content.tables; "
            "the export would leave them out"
        )
    return [t for t in metadata.sorted_tables if t.name in present]


def _write_table(conn: Connection, table: sa.Table, target: Path) -> tuple[TableEntry, FileEntry]:
    kinds = table_kinds(table)
    digest, size, rows = hashlib.sha256(), 0, 0
    stmt = sa.select(table).order_by(*table.primary_key.columns)
    with target.open("wb") as out:
        for row in conn.execution_options(yield_per=1000).execute(stmt).mappings():
            line = (encode_row(row, kinds) + "\n").encode("utf-8")
            out.write(line)
            digest.update(line)
            size, rows = size + len(line), rows + 1
    return TableEntry(table.name, rows, kinds), FileEntry(digest.hexdigest(), size)


def _copy_hashing(source: Path, target: Path) -> FileEntry:
    target.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    with source.open("rb") as src, target.open("wb") as out:
        for chunk in iter(lambda: src.read(_CHUNK), b""):
            digest.update(chunk)
            out.write(chunk)
            size += len(chunk)
    return FileEntry(digest.hexdigest(), size)


def media_files(media_root: Path) -> Iterator[tuple[str, Path]]:
    """(relative path, file) of every stored blob; `.tmp-*` files are writes still in flight."""
    for area in MEDIA_AREAS:
        base = media_root / area
        if base.is_dir():
            for path in sorted(base.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    yield path.relative_to(media_root).as_posix(), path


def _prepare(out_dir: Path) -> Path:
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise refuse(f"{out_dir} exists and is not an empty folder; export into a new one")
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=out_dir.parent, prefix=f".{out_dir.name}.partial-"))
    (work / TABLES_DIR).mkdir()
    (work / MEDIA_DIR).mkdir()
    return work


def export_repository(
    out_dir: Path,
    *,
    engine: Engine,
    media_root: Path,
    revision: str | None,
    derived: frozenset[str] = frozenset({"alembic_version"}),
    key_id: str | None = None,
    tables: Sequence[sa.Table] | None = None,
) -> Manifest:
    """Write the whole repository to `out_dir` (new or empty); it appears only once complete.

    Takes the engine rather than a session: the export needs a connection of its own with a
    snapshot isolation level, which a session shared with services could not give.
    """
    work = _prepare(out_dir)
    try:
        manifest = Manifest(
            alembic_revision=revision,
            source_dialect=engine.dialect.name,
            created=datetime.now(UTC).isoformat(),
            key_id=key_id,
        )
        with snapshot(engine) as conn:
            for table in tables if tables is not None else exported_tables(conn, derived=derived):
                rel = table_file(table.name)
                entry, digest = _write_table(conn, table, work / rel)
                manifest.tables.append(entry)
                manifest.files[rel] = digest
        # Media after the rows: a blob is stored before the row naming it commits, so every
        # blob the snapshot refers to exists by now (later blobs are harmless extras).
        for rel, path in media_files(media_root):
            manifest.files[f"{MEDIA_DIR}/{rel}"] = _copy_hashing(path, work / MEDIA_DIR / rel)
        manifest.write(work)
        if out_dir.exists():
            out_dir.rmdir()
        os.replace(work, out_dir)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return manifest
