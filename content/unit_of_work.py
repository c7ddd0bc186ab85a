"""One unit of work: whoever opens it (an edge: a GraphQL mutation, a route, a CLI command) owns
commit and rollback, so the services it calls only add, change and flush.

Services that still commit themselves are being moved over domain by domain (content/webhooks/service.py
first); until they all are, an edge opts in per operation (schema.core.errors.refusable(unit_of_work=True)).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlmodel import Session


@contextmanager
def unit_of_work(session: Session) -> Iterator[Session]:
    """Commit when the block ends normally (after-commit events then fire); roll back if it raises."""
    try:
        yield session
    except BaseException:
        session.rollback()
        raise
    session.commit()
