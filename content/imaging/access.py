"""Who may see which image: the permission service behind every media URL.

An image is visible exactly when its case is (`visible_view`): a trainee who may not see a
draft case cannot fetch its pixels by URL either. Quarantined instances (possible burned-in
patient text) are shown only to those who may edit the case, since they are the ones who
release or mask them; everybody else is told NOT_FOUND, as for a case they may not see, so
that neither existence nor quarantine leaks. A study outside every image set the caller is
served (added to a working copy, or detached from it) is NOT_FOUND for them too.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from content.cases.models import Case
from content.cases.versions import visible_view
from content.cases.visibility import is_blind
from content.errors import DomainError, ErrorCode
from content.imaging.models import Instance, Series, Study
from content.imaging.served import served_studies
from content.principal import Principal
from content.security.policy import may
from content.security.roles import Permission


@dataclass(frozen=True)
class Grant:
    """What the caller may do with one image (or series) of `case`."""

    case: Case
    may_edit: bool


def _not_found() -> DomainError:
    return DomainError(ErrorCode.NOT_FOUND, "no such image", field="id")


def _grant(principal: Principal, case: Case | None) -> Grant:
    """Case visibility first; anonymous callers are told to sign in, whatever the uid."""
    if principal.is_anonymous:
        raise DomainError(ErrorCode.UNAUTHENTICATED, "sign in to see images")
    if case is None or visible_view(principal, case) is None:
        raise _not_found()
    return Grant(case=case, may_edit=may(principal, Permission.EDIT, case))


def instance_access(uid: str, *, session: Session, principal: Principal) -> tuple[Instance, Grant]:
    """The instance and the caller's grant on it; NOT_FOUND when they may not see it."""
    if principal.is_anonymous:  # before any query: an anonymous probe learns nothing and costs little
        raise DomainError(ErrorCode.UNAUTHENTICATED, "sign in to see images")
    row = session.exec(
        select(Instance, Case, Study.uid)
        .join(Series, col(Series.uid) == Instance.series_uid)
        .join(Study, col(Study.uid) == Series.study_uid)
        .join(Case, col(Case.uid) == Study.case_uid)
        .where(Instance.uid == uid)
    ).first()
    instance, case, study_uid = row if row is not None else (None, None, None)
    grant = _grant(principal, case)
    if instance is None or (instance.quarantined and not grant.may_edit):
        raise _not_found()
    _require_served(session, principal, grant, study_uid)
    return instance, grant


def _require_served(session: Session, principal: Principal, grant: Grant, study_uid: str | None) -> None:
    """Editors open any study the case holds or held; others only the image sets they are served."""
    if grant.may_edit:
        return
    if study_uid is None or study_uid not in served_studies(session, principal, grant.case):
        raise _not_found()


def viewable_instance(uid: str, *, session: Session, principal: Principal) -> Instance:
    """An instance the caller may look at (rendered images)."""
    return instance_access(uid, session=session, principal=principal)[0]


def original_instance(uid: str, *, session: Session, principal: Principal) -> Instance:
    """An instance whose de-identified original the caller may download: editors only.

    The caller already sees the case, so refusing with FORBIDDEN reveals nothing new.
    """
    instance, grant = instance_access(uid, session=session, principal=principal)
    if not grant.may_edit:
        raise DomainError(ErrorCode.FORBIDDEN, "only those who may edit the case may download originals")
    if is_blind(grant.case.uid, session=session, principal=principal):
        # The original carries the study's descriptions; rendered images (pixels only) stay viewable.
        raise DomainError(ErrorCode.FORBIDDEN, "report the case before downloading its originals")
    return instance


def viewable_series(uid: str, *, session: Session, principal: Principal) -> Series:
    """A series whose previews the caller may see.

    Previews are drawn from the series' slices without recording which ones, so one
    quarantined instance anywhere in the series hides them from non-editors.
    """
    if principal.is_anonymous:
        raise DomainError(ErrorCode.UNAUTHENTICATED, "sign in to see images")
    row = session.exec(
        select(Series, Case)
        .join(Study, col(Study.uid) == Series.study_uid)
        .join(Case, col(Case.uid) == Study.case_uid)
        .where(Series.uid == uid)
    ).first()
    series, case = row if row is not None else (None, None)
    grant = _grant(principal, case)
    if series is None:
        raise _not_found()
    _require_served(session, principal, grant, series.study_uid)
    if not grant.may_edit and _has_quarantined(session, series.uid):
        raise _not_found()
    return series


def _has_quarantined(session: Session, series_uid: str) -> bool:
    stmt = select(Instance.uid).where(Instance.series_uid == series_uid, col(Instance.quarantined).is_(True))
    return session.exec(stmt.limit(1)).first() is not None
