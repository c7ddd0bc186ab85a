"""Check an export before anything is written: format, schema revision, every file's hash and size."""

from __future__ import annotations

import hashlib
from pathlib import Path, PurePosixPath

import sqlalchemy as sa

from content.tables import metadata
from integrations.backup.codec import table_kinds
from integrations.backup.manifest import MANIFEST, MEDIA_DIR, TABLES_DIR, Manifest, refuse, table_file

_CHUNK = 1 << 20


def _safe(rel: str) -> bool:
    parts = PurePosixPath(rel).parts
    return (
        not PurePosixPath(rel).is_absolute()
        and len(parts) >= 2
        and parts[0] in (TABLES_DIR, MEDIA_DIR)
        and ".." not in parts
    )


def _digest(path: Path) -> tuple[str, int, int]:
    """sha256, size and number of lines, in one read."""
    digest, size, lines = hashlib.sha256(), 0, 0
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            digest.update(chunk)
            size += len(chunk)
            lines += chunk.count(b"\n")
    return digest.hexdigest(), size, lines


def _check_files(folder: Path, manifest: Manifest) -> dict[str, int]:
    lines_of: dict[str, int] = {}
    for rel, want in sorted(manifest.files.items()):
        if not _safe(rel):
            raise refuse(f"the manifest names a file outside the export: {rel!r}")
        path = folder / rel
        if not path.is_file():
            raise refuse(f"the export is incomplete: {rel} is missing")
        sha, size, lines = _digest(path)
        if sha != want.sha256 or size != want.bytes:
            raise refuse(f"the export is corrupt: {rel} does not match its sha256 in {MANIFEST}")
        lines_of[rel] = lines
    listed = set(manifest.files)
    for area in (TABLES_DIR, MEDIA_DIR):
        for path in sorted((folder / area).rglob("*")) if (folder / area).is_dir() else []:
            rel = path.relative_to(folder).as_posix()
            if path.is_file() and rel not in listed:
                raise refuse(f"the export holds a file its manifest does not list: {rel}")
    return lines_of


def _check_tables(manifest: Manifest, lines_of: dict[str, int]) -> None:
    known = {t.name: t for t in metadata.sorted_tables}
    for entry in manifest.tables:
        table = known.get(entry.name)
        if table is None:
            raise refuse(f"the export has a table this Lightbox does not know: {entry.name}")
        if entry.columns != table_kinds(table):
            raise refuse(f"table {entry.name}: the export's columns differ from this database's")
        rel = table_file(entry.name)
        if rel not in lines_of:
            raise refuse(f"the export is incomplete: {rel} is not in its manifest")
        if lines_of[rel] != entry.rows:
            raise refuse(f"the export is corrupt: {rel} has {lines_of[rel]} rows, the manifest says {entry.rows}")


def verify_export(folder: Path, *, revision: str | None) -> Manifest:
    """The export's manifest once everything in it checks out; a DomainError saying why otherwise."""
    if not folder.is_dir():
        raise refuse(f"{folder} is not a folder")
    manifest = Manifest.read(folder)
    if revision is None:
        raise refuse("the target database has no schema; run `lightbox migrate` first")
    if manifest.alembic_revision != revision:
        raise refuse(
            f"the export is at schema revision {manifest.alembic_revision}, the database at {revision}; "
            "restore into a database at the export's revision, then migrate"
        )
    _check_tables(manifest, _check_files(folder, manifest))
    return manifest


def tables_in(engine: sa.Engine) -> list[sa.Table]:
    present = set(sa.inspect(engine).get_table_names())
    return [t for t in metadata.sorted_tables if t.name in present]
