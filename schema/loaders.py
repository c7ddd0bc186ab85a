"""Per-request batch loaders: a page primes the keys it will need, the first lookup loads them all.

Resolvers run synchronously here, so instead of async DataLoaders each connection resolver calls
`want(keys)` for the whole page and the first `get()` fetches every wanted key in one query.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Generic, TypeVar

from sqlmodel import Session, col, select

from content.cases.models import Case
from content.collections.models import Collection
from content.curriculum.models import CurriculumNode
from content.curriculum.service import nodes_by_code
from content.imaging.models import Series
from content.imaging.tree import thumbnail_series
from content.principal import Principal
from content.users.models import User
from content.users.service import users_by_uid

K = TypeVar("K")
V = TypeVar("V")


class BatchLoader(Generic[K, V]):
    def __init__(self, fetch: Callable[[set[K]], dict[K, V]]) -> None:
        self._fetch = fetch
        self._cache: dict[K, V | None] = {}
        self._wanted: set[K] = set()

    def want(self, keys: Iterable[K | None]) -> None:
        self._wanted.update(k for k in keys if k is not None and k not in self._cache)

    def get(self, key: K | None) -> V | None:
        if key is None:
            return None
        if key not in self._cache:
            batch = self._wanted | {key}
            found = self._fetch(batch)
            for k in batch:
                self._cache[k] = found.get(k)
            self._wanted.clear()
        return self._cache[key]


class Loaders:
    def __init__(self, session: Session, principal: Principal) -> None:
        self.users: BatchLoader[str, User] = BatchLoader(lambda keys: users_by_uid(keys, session=session))
        self.curriculum: BatchLoader[str, CurriculumNode] = BatchLoader(
            lambda keys: nodes_by_code(keys, session=session))
        self.collections: BatchLoader[str, Collection] = BatchLoader(
            lambda keys: {c.uid: c for c in session.exec(select(Collection).where(col(Collection.uid).in_(keys)))})
        self.versions = versions_loader(session)
        # Case rows a page has loaded, for loaders whose answer depends on the case (permissions).
        self.case_rows: dict[str, Case] = {}
        self.thumbnails: BatchLoader[str, Series] = BatchLoader(lambda keys: {
            k: v for k, v in thumbnail_series([self.case_rows[k] for k in keys if k in self.case_rows],
                                              session=session, principal=principal).items() if v is not None})


def versions_loader(session: Session) -> BatchLoader[tuple[str, int], Any]:
    from content.cases.models import CaseVersion

    def fetch(keys: set[tuple[str, int]]) -> dict[tuple[str, int], Any]:
        uids = {k[0] for k in keys}
        rows = session.exec(select(CaseVersion).where(col(CaseVersion.case_uid).in_(uids)))
        return {(r.case_uid, r.version): r for r in rows if (r.case_uid, r.version) in keys}

    return BatchLoader(fetch)
