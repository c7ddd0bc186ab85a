"""The images of cases as a caller may see them: studies, series and instances, quarantine applied.

Each case shows the image set of one version (the one the caller sees, or a pinned one).

Quarantined instances (possible burned-in patient text) exist only for those who may edit the
case; for everyone else they are left out, and so is any series preview that could show them.
Loads whole pages of cases in three queries, whatever their number.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlmodel import Session, col, select

from content.cases.models import Case, CaseVersionStudy
from content.cases.versions import version_studies
from content.imaging.models import Instance, Series, Study
from content.imaging.served import shown_version
from content.principal import Principal
from content.security.policy import may
from content.security.roles import Permission


@dataclass
class SeriesView:
    """A series as a caller sees it: its instances and whether its previews may be shown."""

    series: Series
    instances: list[Instance]
    # False when the series holds an image the caller may not see: its previews could show it.
    previews_visible: bool


@dataclass
class StudyView:
    """A study as a caller sees it, with its series."""

    study: Study
    series: list[SeriesView] = field(default_factory=list)


def _chosen_versions(principal: Principal, cases: dict[str, Case], versions: dict[str, int] | None) -> dict[str, int]:
    """Per case, the version whose image set is shown: `versions[uid]` when given, else the caller's."""
    chosen = dict(versions or {})
    for uid, case in cases.items():
        if uid not in chosen and (version := shown_version(principal, case)) is not None:
            chosen[uid] = version
    return chosen


def _shown_studies(
    session: Session, principal: Principal, cases: dict[str, Case], versions: dict[str, int] | None
) -> set[str]:
    """Study uids of the image set of the version shown of each case (or of `versions`)."""
    sets = version_studies(session, _chosen_versions(principal, cases, versions).items())
    return set().union(*sets.values()) if sets else set()


def case_images(
    cases: Iterable[Case], *, session: Session, principal: Principal, versions: dict[str, int] | None = None
) -> dict[str, list[StudyView]]:
    """Per case, the image set of the version the caller sees, or of `versions[case uid]` when
    given (the pinned version of an assignment, the version a resolver shows)."""
    by_uid = {c.uid: c for c in cases}
    out: dict[str, list[StudyView]] = {uid: [] for uid in by_uid}
    if not by_uid:
        return out
    editor = {uid: may(principal, Permission.EDIT, c) for uid, c in by_uid.items()}
    shown = _shown_studies(session, principal, by_uid, versions)
    studies = (
        list(
            session.exec(
                select(Study)
                .where(col(Study.case_uid).in_(by_uid), col(Study.uid).in_(shown))
                .order_by(col(Study.study_date), col(Study.created))
            )
        )
        if shown
        else []
    )
    study_views = {s.uid: StudyView(s) for s in studies}
    series = (
        list(
            session.exec(
                select(Series)
                .where(col(Series.study_uid).in_(study_views))
                .order_by(col(Series.series_number), col(Series.uid))
            )
        )
        if studies
        else []
    )
    instances: dict[str, list[Instance]] = defaultdict(list)
    if series:
        stmt = (
            select(Instance)
            .where(col(Instance.series_uid).in_([s.uid for s in series]))
            .order_by(col(Instance.position), col(Instance.uid))
        )
        for inst in session.exec(stmt):
            instances[inst.series_uid].append(inst)
    case_of_study = {s.uid: s.case_uid for s in studies}
    for s in series:
        rows = instances.get(s.uid, [])
        if not editor[case_of_study[s.study_uid]]:
            kept = [i for i in rows if not i.quarantined]
            view = SeriesView(s, kept, previews_visible=len(kept) == len(rows))
        else:
            view = SeriesView(s, rows, previews_visible=True)
        study_views[s.study_uid].series.append(view)
    for sv in study_views.values():
        out[sv.study.case_uid].append(sv)
    return out


def thumbnail_series(
    cases: Iterable[Case], *, session: Session, principal: Principal, versions: dict[str, int] | None = None
) -> dict[str, Series | None]:
    """Per case, the series whose thumbnail stands for it: the first key image's series, else the first.

    One query for the whole page: series rows of the shown image sets, each with whether it holds
    a quarantined image and whether it holds a key image (no instance rows are read).
    """
    by_uid = {c.uid: c for c in cases}
    out: dict[str, Series | None] = dict.fromkeys(by_uid)
    if not by_uid:
        return out
    chosen = _chosen_versions(principal, by_uid, versions)
    if not chosen:
        return out
    held = (
        select(Instance.uid)
        .where(col(Instance.series_uid) == Series.uid, col(Instance.quarantined).is_(True))
        .exists()
        .label("held")
    )
    keys = [k for c in by_uid.values() for k in c.key_images]
    is_key = (
        select(Instance.uid).where(col(Instance.series_uid) == Series.uid, col(Instance.uid).in_(keys)).exists()
        if keys
        else sa.false()
    ).label("is_key")
    shown = CaseVersionStudy
    rows = session.execute(
        sa.select(Series, col(Study.case_uid), col(shown.case_uid), col(shown.version), held, is_key)
        .join(Study, col(Study.uid) == Series.study_uid)
        .join(shown, col(shown.study_uid) == Study.uid)
        .where(
            col(Study.case_uid).in_(by_uid),
            col(shown.case_uid).in_(chosen),
            col(shown.version).in_(set(chosen.values())),
            col(Series.thumbnail_key).is_not(None),
        )
        .order_by(col(Study.study_date), col(Study.created), col(Series.series_number), col(Series.uid))
    )
    editor = {uid: may(principal, Permission.EDIT, c) for uid, c in by_uid.items()}
    key_series: set[str] = set()
    seen: set[str] = set()
    for series, case_uid, set_case, set_version, series_held, series_is_key in rows:
        # A study is shown when it belongs to the image set of a case's chosen version.
        if chosen.get(set_case) != set_version or series.uid in seen:
            continue
        seen.add(series.uid)
        if series_is_key:
            key_series.add(series.uid)
        if series_held and not editor[case_uid]:
            continue
        current = out[case_uid]
        if current is None or (series.uid in key_series and current.uid not in key_series):
            out[case_uid] = series
    return out


def key_instances(uids: list[str], *, session: Session, principal: Principal, case: Case) -> list[Instance]:
    """The key images named by a version, in its order; held ones only for those who may edit."""
    if not uids:
        return []
    found = {i.uid: i for i in session.exec(select(Instance).where(col(Instance.uid).in_(uids)))}
    editor = may(principal, Permission.EDIT, case)
    return [found[u] for u in uids if u in found and (editor or not found[u].quarantined)]
