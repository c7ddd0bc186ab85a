"""The catalog: one search interface, a Whoosh backend (embedded default) and a PostgreSQL one."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from search.model import (
    DEFAULT_FACETS,
    FACETS,
    MAX_FIRST,
    CatalogBusy,
    CatalogDocument,
    FacetBucket,
    Hit,
    SearchBackend,
    SearchQuery,
    SearchResult,
    collection_ancestors,
    expand_codes,
)

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

__all__ = [
    "DEFAULT_FACETS",
    "FACETS",
    "MAX_FIRST",
    "CatalogBusy",
    "CatalogDocument",
    "FacetBucket",
    "Hit",
    "SearchBackend",
    "SearchQuery",
    "SearchResult",
    "collection_ancestors",
    "expand_codes",
    "open_backend",
]


def open_backend(database_url: str, index_dir: Path, engine: Engine | None = None) -> SearchBackend:
    """PostgreSQL full-text search when the database is PostgreSQL, else Whoosh in `index_dir`."""
    if database_url.startswith("postgresql"):
        from sqlalchemy import create_engine

        from search.pg_backend import PostgresCatalog

        catalog = PostgresCatalog(
            engine if engine is not None else create_engine(database_url), owns_engine=engine is None
        )
        catalog.ensure_schema()
        return catalog
    from search.whoosh_backend import WhooshCatalog

    return WhooshCatalog(Path(index_dir))
