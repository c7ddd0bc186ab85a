"""DICOMweb over validated cases: QIDO-RS matching and WADO-RS selection, permissions inside the query.

What a partner's viewer or PACS may read: studies of cases that have a published (validated)
version, are not retired, and that the caller may view (`visible_condition`, the SQL twin of
`may(VIEW)`, so a token narrowed to a collection narrows here too); of those, only the studies
of the published version's image set (and of versions the caller's assignments pinned), so
images added to a working copy wait for its validation. Quarantined instances are
never served here, not even to editors (they release them in the UI); a series or study left
with no servable instance disappears with them, so neither existence nor quarantine leaks.

Every filter, count and page is computed in SQL from one visibility condition, so counts,
pages and retrievals agree. No HTTP and no query-string parsing here: integrations.dicomweb
parses QIDO-RS parameters into `Query`, and `api/dicomweb.py` turns rows into DICOM JSON and
multipart bodies.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any, Final, Generic, TypeVar

import sqlalchemy as sa
from sqlmodel import Session, col

from content.annotations.exported import exported_objects
from content.cases.models import Case
from content.errors import DomainError, ErrorCode
from content.imaging.models import Instance, Series, Study
from content.imaging.served import dicomweb_condition
from content.principal import Principal
from content.security.policy import visible_condition
from content.workflow import State

MAX_RESULTS: Final = 1000  # one QIDO page at most; more is asked for with offset

T = TypeVar("T")


class Level(str, Enum):
    """The QIDO-RS level searched: studies, series or instances."""

    STUDY = "study"
    SERIES = "series"
    INSTANCE = "instance"


@dataclass(frozen=True)
class Query:
    """A parsed QIDO-RS search. Empty tuples match everything."""

    level: Level
    study_uids: tuple[str, ...] = ()
    series_uids: tuple[str, ...] = ()
    sop_uids: tuple[str, ...] = ()
    modalities: tuple[str, ...] = ()  # ModalitiesInStudy (study level) or Modality (series, instance)
    date_from: date | None = None
    date_to: date | None = None
    limit: int = MAX_RESULTS
    offset: int = 0
    include_all: bool = False
    include: frozenset[str] = frozenset()  # extra attributes asked for, as 8-hex tags
    ignored: tuple[str, ...] = ()  # matching keys we cannot match on: the client is warned, not refused


@dataclass(frozen=True)
class StudyRow:
    """A study found, with its servable series and instance counts and modalities."""

    study: Study
    series_count: int
    instance_count: int
    modalities: tuple[str, ...]


@dataclass(frozen=True)
class SeriesRow:
    """A series found, with its study and its servable instance count."""

    series: Series
    study: Study
    instance_count: int


@dataclass(frozen=True)
class InstanceRow:
    """An instance found, with its series and study."""

    instance: Instance
    series: Series
    study: Study


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of results, and whether the server cut them at MAX_RESULTS."""

    rows: list[T] = field(default_factory=list)
    more: bool = False  # results were cut at MAX_RESULTS (not merely at the caller's limit)


# UIDs --------------------------------------------------------------------------------

_UID = re.compile(r"[0-9]+(\.[0-9]+)*")


def _invalid(message: str, name: str) -> DomainError:
    return DomainError(ErrorCode.INVALID_INPUT, message, field=name)


def uid_list(name: str, values: Iterable[str]) -> tuple[str, ...]:
    """UIDs from list-matching values; INVALID_INPUT (field `name`) for one that is not a UID."""
    # UID list matching: PS3.18 separates with commas, DIMSE with backslashes; accept both.
    out = tuple(u.strip() for v in values for u in re.split(r"[,\\]", v) if u.strip())
    for uid in out:
        if len(uid) > 64 or not _UID.fullmatch(uid):
            raise _invalid(f"{uid[:80]!r} is not a UID", name)
    return out


# Matching ----------------------------------------------------------------------------


def _servable() -> Any:
    """Instances counted per series, quarantined ones left out: the base of every count."""
    return (
        sa.select(col(Instance.series_uid).label("series_uid"), sa.func.count().label("n"))
        .where(col(Instance.quarantined).is_(False))
        .group_by(col(Instance.series_uid))
        .subquery("servable")
    )


def _visible(stmt: Any, principal: Principal) -> Any:
    """Join the study's case and keep what the caller may read over DICOMweb."""
    return stmt.join(Case, col(Case.uid) == col(Study.case_uid)).where(
        visible_condition(principal, Case),
        col(Case.published_version).is_not(None),
        col(Case.state) != State.RETIRED.value,
        dicomweb_condition(principal, col(Study.uid), col(Case.uid), col(Case.published_version)),
    )


def _study_filters(stmt: Any, query: Query) -> Any:
    if query.study_uids:
        stmt = stmt.where(col(Study.study_instance_uid).in_(query.study_uids))
    if query.date_from is not None:
        stmt = stmt.where(col(Study.study_date) >= query.date_from)
    if query.date_to is not None:
        stmt = stmt.where(col(Study.study_date) <= query.date_to)
    return stmt


def _series_filters(stmt: Any, query: Query) -> Any:
    stmt = _study_filters(stmt, query)
    if query.series_uids:
        stmt = stmt.where(col(Series.series_instance_uid).in_(query.series_uids))
    if query.modalities:
        stmt = stmt.where(col(Series.modality).in_(query.modalities))
    return stmt


def _page(rows: list[Any], query: Query) -> tuple[list[Any], bool]:
    # One row past the page tells whether the server cut the results (PS3.18 asks for a warning).
    return rows[: query.limit], len(rows) > query.limit and query.limit == MAX_RESULTS


def _exported(
    query: Query, session: Session, principal: Principal, room: int, found: bool = False
) -> list[tuple[Any, Any, Any]]:
    """Exported annotation objects (DICOM SR) matching the query, after the stored ones, in the room left.

    `found`: stored rows matched. A series or instance named by UID and found is an image one (an
    export is its own series), so a viewer's per-frame retrievals cost no extra query.
    """
    if room <= 0 or (found and (query.series_uids or query.sop_uids)):
        return []
    exports = exported_objects(
        session,
        principal,
        study_uids=query.study_uids,
        series_uids=query.series_uids,
        sop_uids=query.sop_uids,
        modalities=query.modalities,
        date_from=query.date_from,
        date_to=query.date_to,
    )
    return exports[:room]


def _require_signed_in(principal: Principal) -> None:
    if principal.is_anonymous:
        raise DomainError(ErrorCode.UNAUTHENTICATED, "sign in to use DICOMweb")


def search_studies(query: Query, *, session: Session, principal: Principal) -> Page[StudyRow]:
    """The studies matching `query` that `principal` may read over DICOMweb, one page."""
    _require_signed_in(principal)
    servable = _servable()
    per_study = (
        sa.select(
            col(Series.study_uid).label("study_uid"),
            sa.func.count().label("series"),
            sa.func.sum(servable.c.n).label("instances"),
        )
        .join(servable, servable.c.series_uid == col(Series.uid))
        .group_by(col(Series.study_uid))
        .subquery("per_study")
    )
    stmt = _visible(
        sa.select(Study, per_study.c.series, per_study.c.instances).join(
            per_study, per_study.c.study_uid == col(Study.uid)
        ),
        principal,
    )
    stmt = _study_filters(stmt, query)
    if query.modalities:
        with_modality = (
            sa.select(col(Series.study_uid))
            .join(servable, servable.c.series_uid == col(Series.uid))
            .where(col(Series.modality).in_(query.modalities))
        )
        stmt = stmt.where(col(Study.uid).in_(with_modality))
    stmt = stmt.order_by(col(Study.study_date), col(Study.study_instance_uid))
    rows, more = _page(list(session.execute(stmt.offset(query.offset).limit(query.limit + 1))), query)
    modalities = _modalities(session, [row[0].uid for row in rows], servable)
    out = [
        StudyRow(study, int(n_series), int(n_instances), modalities.get(study.uid, ()))
        for study, n_series, n_instances in rows
    ]
    return Page(out, more)


def _modalities(session: Session, study_uids: list[str], servable: Any) -> dict[str, tuple[str, ...]]:
    if not study_uids:
        return {}
    stmt = (
        sa.select(col(Series.study_uid), col(Series.modality))
        .distinct()
        .join(servable, servable.c.series_uid == col(Series.uid))
        .where(col(Series.study_uid).in_(study_uids), col(Series.modality).is_not(None))
    )
    found: dict[str, list[str]] = defaultdict(list)
    for study_uid, modality in session.execute(stmt):
        found[study_uid].append(modality)
    return {uid: tuple(sorted(values)) for uid, values in found.items()}


def search_series(query: Query, *, session: Session, principal: Principal) -> Page[SeriesRow]:
    """The series matching `query` that `principal` may read over DICOMweb, one page."""
    _require_signed_in(principal)
    servable = _servable()
    stmt = _visible(
        sa.select(Series, Study, servable.c.n)
        .join(servable, servable.c.series_uid == col(Series.uid))
        .join(Study, col(Study.uid) == col(Series.study_uid)),
        principal,
    )
    stmt = _series_filters(stmt, query).order_by(
        col(Study.study_instance_uid), col(Series.series_number), col(Series.series_instance_uid)
    )
    rows, more = _page(list(session.execute(stmt.offset(query.offset).limit(query.limit + 1))), query)
    out = [SeriesRow(series, study, int(n)) for series, study, n in rows]
    room = 0 if more or len(rows) == query.limit else query.limit - len(rows)  # on the last page only
    exported = _exported(query, session, principal, room, bool(rows))
    out += [SeriesRow(series, study, 1) for _, series, study in exported]
    return Page(out, more)


def _instances_stmt(query: Query, principal: Principal) -> Any:
    stmt = _visible(
        sa.select(Instance, Series, Study)
        .join(Series, col(Series.uid) == col(Instance.series_uid))
        .join(Study, col(Study.uid) == col(Series.study_uid))
        .where(col(Instance.quarantined).is_(False)),
        principal,
    )
    stmt = _series_filters(stmt, query)
    if query.sop_uids:
        stmt = stmt.where(col(Instance.sop_instance_uid).in_(query.sop_uids))
    return stmt.order_by(
        col(Study.study_instance_uid),
        col(Series.series_number),
        col(Series.series_instance_uid),
        col(Instance.position),
        col(Instance.sop_instance_uid),
    )


def search_instances(query: Query, *, session: Session, principal: Principal) -> Page[InstanceRow]:
    """The instances matching `query` that `principal` may read over DICOMweb, one page."""
    _require_signed_in(principal)
    stmt = _instances_stmt(query, principal).offset(query.offset).limit(query.limit + 1)
    rows, more = _page(list(session.execute(stmt)), query)
    room = 0 if more or len(rows) == query.limit else query.limit - len(rows)  # on the last page only
    exported = _exported(query, session, principal, room, bool(rows))
    return Page([InstanceRow(*row) for row in rows] + [InstanceRow(*r) for r in exported], more)


# Retrieval ---------------------------------------------------------------------------


def retrievable(
    study_uid: str, series_uid: str | None = None, sop_uid: str | None = None, *, session: Session, principal: Principal
) -> list[InstanceRow]:
    """The servable instances of one study, series or instance, in display order; NOT_FOUND if none.

    NOT_FOUND, never FORBIDDEN: a study the caller may not read is one they are not told exists.
    """
    _require_signed_in(principal)
    try:
        query = Query(
            level=Level.INSTANCE,
            study_uids=uid_list("StudyInstanceUID", [study_uid]),
            series_uids=uid_list("SeriesInstanceUID", [series_uid]) if series_uid else (),
            sop_uids=uid_list("SOPInstanceUID", [sop_uid]) if sop_uid else (),
        )
    except DomainError as exc:  # a malformed UID names nothing we hold
        raise DomainError(ErrorCode.NOT_FOUND, "no such study, series or instance", field="uid") from exc
    rows = [InstanceRow(*row) for row in session.execute(_instances_stmt(query, principal))]
    rows += [InstanceRow(*row) for row in _exported(query, session, principal, MAX_RESULTS, bool(rows))]
    if not rows:
        raise DomainError(ErrorCode.NOT_FOUND, "no such study, series or instance", field="uid")
    return rows
