"""Restore: verify the export, then load every row in one transaction and copy the media in."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from content.tables import metadata
from integrations.backup.codec import decode_row
from integrations.backup.manifest import MEDIA_DIR, Manifest, TableEntry, refuse, table_file
from integrations.backup.verify import tables_in, verify_export

_BATCH = 500
_CHUNK = 1 << 20


def _occupied(conn: Connection, tables: list[sa.Table]) -> list[str]:
    return [t.name for t in tables if conn.execute(sa.select(sa.literal(1)).select_from(t).limit(1)).first()]


def _truncate(conn: Connection, tables: list[sa.Table]) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("TRUNCATE " + ", ".join(f'"{t.name}"' for t in tables) + " CASCADE"))
    else:
        for table in reversed(tables):
            conn.execute(table.delete())


def _rows(folder: Path, entry: TableEntry) -> Iterator[dict[str, Any]]:
    with (folder / table_file(entry.name)).open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            try:
                yield decode_row(line, entry.columns)
            except ValueError as exc:
                raise refuse(f"{table_file(entry.name)} line {number} is malformed: {exc}") from exc


def _parents_first(table: sa.Table, rows: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Rows of a self-referencing table (collection.parent_uid, ...) ordered so a parent precedes its children."""
    links = [(fk.parent.name, fk.column.name) for fk in table.foreign_keys if fk.column.table is table]
    if not links:
        yield from rows
        return
    pending = list(rows)
    done: dict[str, set[Any]] = {target: set() for _, target in links}
    while pending:
        ready = [r for r in pending if all(r[src] is None or r[src] in done[dst] for src, dst in links)]
        if not ready:  # a cycle or a dangling parent: let the database report it
            ready = pending
        chosen = {id(r) for r in ready}
        pending = [r for r in pending if id(r) not in chosen]
        for row in ready:
            for _, target in links:
                done[target].add(row[target])
            yield row


def _load(conn: Connection, folder: Path, manifest: Manifest) -> None:
    for entry in manifest.tables:
        table = metadata.tables[entry.name]
        batch: list[dict[str, Any]] = []
        for row in _parents_first(table, _rows(folder, entry)):
            batch.append(row)
            if len(batch) >= _BATCH:
                conn.execute(table.insert(), batch)
                batch = []
        if batch:
            conn.execute(table.insert(), batch)


def _reset_sequences(conn: Connection, tables: list[sa.Table]) -> None:
    """Explicit ids leave PostgreSQL's sequences at 1; move each past the largest id restored."""
    if conn.dialect.name != "postgresql":
        return  # SQLite takes max(rowid) + 1 by itself
    for table in tables:
        column = table.autoincrement_column
        if column is None:
            continue
        seq = conn.execute(sa.select(sa.func.pg_get_serial_sequence(f'"{table.name}"', column.name))).scalar()
        if seq:
            top = conn.execute(sa.select(sa.func.max(column))).scalar()
            conn.execute(sa.select(sa.func.setval(seq, top or 1, top is not None)))


def _copy_media(folder: Path, manifest: Manifest, media_root: Path, created: list[Path]) -> None:
    """Copy blobs in (temp file, then rename), noting in `created` the files that were not there."""
    for rel, want in sorted(manifest.files.items()):
        if not rel.startswith(f"{MEDIA_DIR}/"):
            continue
        target = media_root / rel[len(MEDIA_DIR) + 1 :]
        if target.is_file() and hashlib.sha256(target.read_bytes()).hexdigest() == want.sha256:
            continue  # content-addressed: the same blob is already there
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        digest = hashlib.sha256()
        try:
            with os.fdopen(fd, "wb") as out, (folder / rel).open("rb") as src:
                for chunk in iter(lambda: src.read(_CHUNK), b""):
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            if digest.hexdigest() != want.sha256:  # changed since it was verified
                raise refuse(f"the export is corrupt: {rel} changed while it was being restored")
            existed = target.exists()
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        if not existed:
            created.append(target)


def restore_repository(
    folder: Path, *, engine: Engine, media_root: Path, revision: str | None, force: bool = False
) -> Manifest:
    """Load an export into an empty database at the export's schema revision (or, with `force`, empty it).

    Nothing is written unless the whole export verifies; the rows land in one transaction, and
    blobs this restore added are removed again if that transaction fails. The catalog is the
    caller's to rebuild afterwards (content/ knows no catalog).
    """
    manifest = verify_export(folder, revision=revision)
    tables = tables_in(engine)
    missing = [t.name for t in manifest.tables if t.name not in {x.name for x in tables}]
    if missing:
        raise refuse(f"the database lacks table(s) {', '.join(missing)}; run `lightbox migrate`")
    created: list[Path] = []
    try:
        with engine.begin() as conn:
            occupied = _occupied(conn, tables)
            if occupied and not force:
                raise refuse(
                    f"the database is not empty ({', '.join(occupied[:5])} hold rows); "
                    "restore into a new database, or pass --force to replace its content"
                )
            if occupied:
                _truncate(conn, tables)
            _load(conn, folder, manifest)
            _reset_sequences(conn, [t for t in tables if t.name in {e.name for e in manifest.tables}])
            _copy_media(folder, manifest, media_root, created)
    except BaseException:
        for path in created:
            path.unlink(missing_ok=True)
        raise
    return manifest
