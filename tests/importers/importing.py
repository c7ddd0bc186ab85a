"""Helpers for import tests: a collection to import into, one import call, and what it wrote."""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

import pydicom
import sqlalchemy as sa
from sqlmodel import select

from api.db import SessionFactory
from api.settings import Settings
from content.collections.service import create_collection
from content.imaging.models import Instance, Series, Study
from content.principal import SYSTEM, Principal
from content.tables import metadata
from importers.pipeline import ImportTarget, import_paths
from importers.summary import ImportSummary
from media.store import ContentStore
from tests.importers.conftest import _find

BINARY_VRS = frozenset({"OB", "OW", "OF", "OD", "OL", "OV"})
SECRET = b"import-test-secret-0123456789abcdef"


def make_collection(sessions: SessionFactory, title: str = "Leeds") -> str:
    with sessions.scope() as session:
        return create_collection(title=title, parent_uid=None, slug=None, session=session, principal=SYSTEM).uid


def run_import(
    sessions: SessionFactory,
    store: ContentStore,
    paths: Iterable[Path],
    collection_uid: str,
    *,
    principal: Principal = SYSTEM,
    case: str | None = None,
    workers: int = 1,
) -> ImportSummary:
    with sessions.scope() as session:
        return import_paths(
            list(paths),
            target=ImportTarget(collection_uid, case),
            session=session,
            principal=principal,
            store=store,
            secret=SECRET,
            workers=workers,
        )


def copy_real(folder: Path, *names: str) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name in names:
        target = folder / name
        shutil.copy(_find(name), target)
        out.append(target)
    return out


def counts(sessions: SessionFactory) -> tuple[int, int, int]:
    with sessions.scope() as session:
        return tuple(len(session.exec(select(t)).all()) for t in (Study, Series, Instance))  # type: ignore[return-value]


def database_text(sessions: SessionFactory) -> str:
    """Every row of every table, as text: what a leak scan of the database reads."""
    parts: list[str] = []
    with sessions.engine.connect() as conn:
        for table in metadata.sorted_tables:
            parts.extend(repr(tuple(row)) for row in conn.execute(sa.select(table)))
    return "\n".join(parts)


def store_bytes(root: Path) -> list[tuple[Path, bytes]]:
    """Every stored file; DICOM blobs without pixel data and binary tables (kept as they came, and
    where a run of bytes can spell anything, such as "11111111" in a palette lookup table)."""
    out = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if data[128:132] == b"DICM":
            for elem in pydicom.dcmread(path, force=True).iterall():
                if elem.VR in BINARY_VRS and isinstance(elem.value, bytes) and len(elem.value) > 16:
                    data = data.replace(elem.value, b"")
        out.append((path, data))
    return out


def settings_with_media(settings: Settings, data_dir: Path) -> Settings:
    """The same database, but media (and the upload's secret file) under a private folder."""
    return settings.model_copy(update={"data_dir": data_dir, "database_url": settings.db_url})
