"""Does the database agree with itself and with the media store? The checks `lightbox check` runs.

A crash (kill -9, power loss) must leave the repository consistent: every case has exactly the
versions 1..case.version, a published version that exists, no study or series left without
images, and every blob a row names present in the store. Blobs no row names are harmless
(an import stores them before its commit) and are only counted.

content/ knows no media store, so the store is passed in as the function that says whether a
blob exists (`ContentStore(settings.media_dir).has` in the composition root).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from content.cases.models import Case, CaseVersion
from content.imaging.models import Instance, Series, Study

HasBlob = Callable[[str], bool]


@dataclass(frozen=True)
class Problem:
    """One inconsistency found in the repository: its kind, the object concerned and a detail."""

    kind: str  # a stable label: "version-gap", "missing-blob", ...
    object_uid: str  # the case, study, series or instance concerned
    detail: str

    def line(self) -> str:
        """The problem as one line of a report."""
        return f"{self.kind}: {self.object_uid}: {self.detail}"


def check_versions(session: Session) -> Iterator[Problem]:
    """Each case has versions 1..case.version with none missing, and its published version exists."""
    versions = CaseVersion.__table__.c  # type: ignore[attr-defined]  # SQLModel does not declare __table__
    cases = Case.__table__.c  # type: ignore[attr-defined]  # SQLModel does not declare __table__
    counts = (
        sa.select(
            versions.case_uid,
            func.count().label("n"),
            func.min(versions.version).label("low"),
            func.max(versions.version).label("high"),
        )
        .group_by(versions.case_uid)
        .subquery()
    )
    stmt = (
        sa.select(cases.uid, cases.version, counts.c.n, counts.c.low, counts.c.high)
        .outerjoin(counts, counts.c.case_uid == cases.uid)
        .order_by(cases.uid)
    )
    for uid, version, n, low, high in session.execute(stmt):
        # (case_uid, version) is unique, so n == high and low == 1 means 1..high without a gap.
        if not n:
            yield Problem("missing-versions", uid, f"the case is at version {version} but has no version rows")
        elif (n, low, high) != (version, 1, version):
            yield Problem(
                "version-gap",
                uid,
                f"the case is at version {version}; its version rows number {n}, from {low} to {high}",
            )
    published = (
        select(Case.uid, Case.published_version)
        .where(col(Case.published_version).is_not(None))
        .where(
            ~sa.exists().where(
                col(CaseVersion.case_uid) == Case.uid, col(CaseVersion.version) == Case.published_version
            )
        )
    )
    for uid, version in session.exec(published):
        yield Problem("missing-published-version", uid, f"published version {version} does not exist")


def check_imaging(session: Session) -> Iterator[Problem]:
    """An import commits a study with all its series and instances, or nothing: no empty shells."""
    empty_studies = select(Study.uid).where(~sa.exists().where(col(Series.study_uid) == Study.uid))
    for uid in session.exec(empty_studies):
        yield Problem("empty-study", uid, "a study without series")
    empty_series = select(Series.uid).where(~sa.exists().where(col(Instance.series_uid) == Series.uid))
    for uid in session.exec(empty_series):
        yield Problem("empty-series", uid, "a series without instances")


def referenced_blobs(session: Session) -> Iterator[tuple[str, str, str]]:
    """(owner uid, role, key) of every blob a row names."""
    for uid, key in session.exec(select(Instance.uid, Instance.file_key)):
        yield uid, "original", key
    for uid, *keys in session.exec(select(Series.uid, Series.thumbnail_key, Series.montage_key, Series.cine_key)):
        for role, maybe in zip(("thumbnail", "montage", "cine"), keys, strict=True):
            if maybe:
                yield uid, role, maybe


def check_media(session: Session, *, has_blob: HasBlob) -> Iterator[Problem]:
    """A problem for each blob the database refers to that the media store does not hold."""
    for uid, role, key in referenced_blobs(session):
        if not has_blob(key):
            yield Problem("missing-blob", uid, f"its {role} blob {key} is not in the media store")


def check_repository(session: Session, *, has_blob: HasBlob) -> list[Problem]:
    """Every problem found; an empty list means the database and the media store agree."""
    return [*check_versions(session), *check_imaging(session), *check_media(session, has_blob=has_blob)]
