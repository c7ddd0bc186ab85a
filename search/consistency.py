"""Compare the catalog with the database, repair the difference, or rebuild it all."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import Session

from search.indexer import CatalogIndexer
from search.model import SearchBackend
from search.projection import all_documents, expected_versions


@dataclass(frozen=True)
class CatalogDiff:
    missing: tuple[str, ...]  # entries the database implies but the catalog lacks
    stale: tuple[str, ...]  # entries at another version than the database's
    orphaned: tuple[str, ...]  # entries of cases or versions that no longer exist

    @property
    def consistent(self) -> bool:
        return not (self.missing or self.stale or self.orphaned)

    @property
    def case_uids(self) -> list[str]:
        return sorted({doc_id.split(":", 1)[0] for doc_id in (*self.missing, *self.stale, *self.orphaned)})


def check(backend: SearchBackend, session: Session) -> CatalogDiff:
    """Compare the catalog with the database: documents missing, stale or left over."""
    want = expected_versions(session)
    have = backend.versions()
    return CatalogDiff(
        missing=tuple(sorted(d for d in want if d not in have)),
        stale=tuple(sorted(d for d, v in want.items() if d in have and have[d] != v)),
        orphaned=tuple(sorted(d for d in have if d not in want)),
    )


def repair(indexer: CatalogIndexer, session: Session) -> CatalogDiff:
    """Re-project every case the check found out of step; returns what was found."""
    diff = check(indexer.backend, session)
    if not diff.consistent:
        indexer.apply(diff.case_uids)
    return diff


def rebuild(backend: SearchBackend, session: Session, *, progress: Callable[[int], None] | None = None) -> int:
    """Regenerate the whole catalog from the database; readers see the old one until it lands."""
    return backend.rebuild(all_documents(session), progress=progress)
