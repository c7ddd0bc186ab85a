"""Per-request batch loaders: a page primes the keys it will need, the first lookup loads them all.

Resolvers run synchronously here, so instead of async DataLoaders each connection resolver calls
`want(keys)` for the whole page and the first `get()` fetches every wanted key in one query.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Generic, TypeVar

import sqlalchemy as sa
from sqlmodel import Session, col, select

from content.cases.models import Case
from content.collections.models import Collection
from content.curriculum.models import CurriculumNode
from content.curriculum.service import nodes_by_code
from content.imaging.models import Series
from content.imaging.tree import thumbnail_series
from content.partners.models import Partner
from content.principal import Principal
from content.users.cohorts import members_of
from content.users.models import Cohort, User
from content.users.service import cohorts_of, users_by_uid

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
            lambda keys: nodes_by_code(keys, session=session)
        )
        # Titles alone (a facet's labels): plain rows, no model objects, for up to 200 codes at once.
        self.curriculum_titles: BatchLoader[str, str] = BatchLoader(lambda keys: curriculum_titles(keys, session))
        self.collections: BatchLoader[str, Collection] = BatchLoader(
            lambda keys: {c.uid: c for c in session.exec(select(Collection).where(col(Collection.uid).in_(keys)))}
        )
        self.versions = versions_loader(session)

        # Administration: a page of people primes their cohorts, a page of cohorts their members.
        # Each batch primes the next level for the whole batch, so nesting them stays one query a level.
        def user_cohorts(keys: set[str]) -> dict[str, list[Cohort]]:
            found = cohorts_of(keys, session=session)
            self.cohort_members.want(c.uid for cs in found.values() for c in cs)
            return found

        def cohort_members(keys: set[str]) -> dict[str, list[User]]:
            found = members_of(keys, session=session)
            self.user_cohorts.want(u.uid for us in found.values() for u in us)
            return found

        self.user_cohorts: BatchLoader[str, list[Cohort]] = BatchLoader(user_cohorts)
        self.cohort_members: BatchLoader[str, list[User]] = BatchLoader(cohort_members)
        self.cohorts: BatchLoader[str, Cohort] = BatchLoader(
            lambda keys: {c.uid: c for c in session.exec(select(Cohort).where(col(Cohort.uid).in_(keys)))}
        )
        self.partners: BatchLoader[str, Partner] = BatchLoader(
            lambda keys: {p.uid: p for p in session.exec(select(Partner).where(col(Partner.uid).in_(keys)))}
        )
        # Case rows a page has loaded, for loaders whose answer depends on the case (permissions).
        self.case_rows: dict[str, Case] = {}
        self.thumbnails: BatchLoader[str, Series] = BatchLoader(
            lambda keys: {
                k: v
                for k, v in thumbnail_series(
                    [self.case_rows[k] for k in keys if k in self.case_rows], session=session, principal=principal
                ).items()
                if v is not None
            }
        )


# Past this many codes, reading the whole (small) curriculum is cheaper than an IN list of them.
_FEW_CODES = 32


def curriculum_titles(codes: set[str], session: Session) -> dict[str, str]:
    """code -> title of these curriculum codes (unknown ones left out)."""
    table = CurriculumNode.__table__  # type: ignore[attr-defined]
    stmt = sa.select(table.c.code, table.c.title)
    if len(codes) <= _FEW_CODES:
        stmt = stmt.where(table.c.code.in_(codes))
    return {code: title for code, title in session.execute(stmt) if code in codes}


def versions_loader(session: Session) -> BatchLoader[tuple[str, int], Any]:
    from content.cases.models import CaseVersion

    def fetch(keys: set[tuple[str, int]]) -> dict[tuple[str, int], Any]:
        uids = {k[0] for k in keys}
        rows = session.exec(select(CaseVersion).where(col(CaseVersion.case_uid).in_(uids)))
        return {(r.case_uid, r.version): r for r in rows if (r.case_uid, r.version) in keys}

    return BatchLoader(fetch)
