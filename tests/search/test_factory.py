"""open_backend picks the catalog from the database URL."""

from __future__ import annotations

from search import open_backend
from search.pg_backend import PostgresCatalog
from search.whoosh_backend import WhooshCatalog
from tests.search.corpus import CORPUS
from tests.search.helpers import run


def test_sqlite_url_opens_whoosh_in_the_index_dir(tmp_path):
    catalog = open_backend("sqlite:///var/lightbox.db", tmp_path / "index")
    try:
        assert isinstance(catalog, WhooshCatalog)
        catalog.index(CORPUS)
        assert (tmp_path / "index").is_dir() and run(catalog).total == len(CORPUS)
    finally:
        catalog.close()


def test_postgresql_url_opens_postgres_on_the_given_engine(tmp_path, pg_engine):
    url = pg_engine.url.render_as_string(hide_password=False)
    catalog = open_backend(url, tmp_path / "unused", engine=pg_engine)
    try:
        assert isinstance(catalog, PostgresCatalog) and catalog.engine is pg_engine
        catalog.clear()
        catalog.index(CORPUS)
        assert run(catalog).total == len(CORPUS)
        catalog.clear()
    finally:
        catalog.close()
    assert not (tmp_path / "unused").exists()
