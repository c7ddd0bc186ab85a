"""The Whoosh index survives a killed writer and reports a held lock instead of waiting forever."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from search.model import CatalogBusy
from search.whoosh_backend import WhooshCatalog
from tests.search.corpus import CORPUS, doc
from tests.search.helpers import found, run

ROOT = Path(__file__).resolve().parents[2]

KILLED_WRITER = textwrap.dedent(
    """
    import os, signal, sys
    sys.path.insert(0, {root!r})
    from search.whoosh_backend import WhooshCatalog
    from search.synthetic import SAMPLE_CURRICULUM, synthetic_documents
    from search.whoosh_schema import to_whoosh
    catalog = WhooshCatalog({index!r})
    writer = catalog._writer(limitmb=8)
    for d in synthetic_documents(3000, curriculum=SAMPLE_CURRICULUM):
        writer.add_document(**to_whoosh(d))
    print("holding", flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
    """
)


def test_killed_writer_leaves_no_stale_lock_or_corrupt_index(tmp_path):
    index = tmp_path / "index"
    catalog = WhooshCatalog(index, lock_timeout=2.0)
    catalog.index(CORPUS)
    proc = subprocess.run(
        [sys.executable, "-c", KILLED_WRITER.format(root=str(ROOT), index=str(index))],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == -signal.SIGKILL and "holding" in proc.stdout
    reopened = WhooshCatalog(index, lock_timeout=2.0)
    assert run(reopened).total == len(CORPUS)  # the uncommitted documents never appear
    reopened.index([doc("case-z", "After the crash")])  # the lock is free again
    assert found(reopened, "crash") == {"case-z"}
    assert run(catalog).total == len(CORPUS) + 1
    reopened.close()
    catalog.close()


def test_held_lock_raises_catalog_busy_after_timeout(tmp_path):
    holder = WhooshCatalog(tmp_path / "index")
    writer = holder._writer()
    try:
        waiting = WhooshCatalog(tmp_path / "index", lock_timeout=0.3)
        with pytest.raises(CatalogBusy):
            waiting.index(CORPUS)
    finally:
        writer.cancel()
    waiting.index(CORPUS)
    assert run(waiting).total == len(CORPUS)
