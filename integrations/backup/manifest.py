"""The manifest of an export: what it holds and the hash of every file, checked before a restore."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from content.errors import DomainError, ErrorCode

FORMAT = "lightbox-export"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
TABLES_DIR = "tables"
MEDIA_DIR = "media"
_CHUNK = 1 << 20


def refuse(message: str) -> DomainError:
    return DomainError(ErrorCode.INVALID_INPUT, message, field="dir")


@dataclass(frozen=True)
class TableEntry:
    name: str
    rows: int
    columns: dict[str, str]  # column -> codec kind, so a restore can tell a schema mismatch early


@dataclass(frozen=True)
class FileEntry:
    sha256: str
    bytes: int


@dataclass
class Manifest:
    alembic_revision: str | None
    source_dialect: str
    created: str
    tables: list[TableEntry] = field(default_factory=list)
    files: dict[str, FileEntry] = field(default_factory=dict)  # relative POSIX path -> digest
    # A fingerprint (never the key) of the UID-remapping key: restored under another key, a
    # re-import would remap the same study to new UIDs and duplicate it, so restore warns.
    key_id: str | None = None
    format: str = FORMAT
    format_version: int = FORMAT_VERSION

    def write(self, folder: Path) -> None:
        text = json.dumps(asdict(self), indent=1, sort_keys=True)
        (folder / MANIFEST).write_text(text + "\n", encoding="utf-8")

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        path = folder / MANIFEST
        try:
            raw: Any = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise refuse(f"{folder} is not a Lightbox export: no {MANIFEST}") from exc
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise refuse(f"{path} is unreadable: {exc}") from exc
        if not isinstance(raw, dict) or raw.get("format") != FORMAT:
            raise refuse(f"{path} is not a Lightbox export manifest")
        if raw.get("format_version") != FORMAT_VERSION:
            raise refuse(
                f"export format version {raw.get('format_version')!r} is not supported "
                f"(this Lightbox reads version {FORMAT_VERSION})"
            )
        try:
            return cls(
                alembic_revision=raw["alembic_revision"],
                source_dialect=str(raw["source_dialect"]),
                created=str(raw["created"]),
                tables=[TableEntry(str(t["name"]), int(t["rows"]), dict(t["columns"])) for t in raw["tables"]],
                files={str(p): FileEntry(str(f["sha256"]), int(f["bytes"])) for p, f in raw["files"].items()},
                key_id=raw.get("key_id"),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise refuse(f"{path} is malformed: {exc!r}") from exc


def sha256_file(path: Path) -> FileEntry:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            digest.update(chunk)
            size += len(chunk)
    return FileEntry(digest.hexdigest(), size)


def table_file(name: str) -> str:
    return f"{TABLES_DIR}/{name}.jsonl"
