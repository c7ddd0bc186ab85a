"""Quarantine review: a person with Edit on the case ends an image's hold, one way or another.

RELEASE keeps the pixels; REDACT replaces the stored object with one whose rectangles are
blank (the pixel work is the importers', which hand back the new object's key); REJECT removes
the image. Every check happens in `open_review`, before anything is written, so bad input is a
coded error and nothing changes; each outcome writes its audit row in the transaction of the
change.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from enum import Enum
from typing import Final

from sqlmodel import Session, col, select

from content import audit, events
from content.cases.models import Case, CaseVersionStudy
from content.cases.service import get_case
from content.errors import DomainError, ErrorCode
from content.imaging.models import Instance, Series, Study
from content.imaging.service import instance_case
from content.principal import Principal
from content.security.policy import may, require, visible_condition
from content.security.roles import Permission

MAX_REGIONS: Final = 50
MAX_PAGE: Final = 100
_CURSOR = re.compile(r"([0-9a-f]{32})\.([0-9a-f]{32})")


class Action(str, Enum):
    """What a reviewer does with a quarantined image: release, redact or reject it."""

    RELEASE = "RELEASE"
    REDACT = "REDACT"
    REJECT = "REJECT"


@dataclass(frozen=True)
class Region:
    """A rectangle in the stored image's pixel coordinates (x to the right, y down)."""

    x: int
    y: int
    width: int
    height: int

    def as_dict(self) -> dict[str, int]:
        """The region as a JSON-ready dict of x, y, width and height."""
        return {"x": self.x, "y": self.y, "width": self.width, "height": self.height}


@dataclass(frozen=True)
class Review:
    """A checked review, not yet applied: the held instance, its case and the regions."""

    instance: Instance
    case: Case
    action: Action
    regions: tuple[Region, ...]


@dataclass(frozen=True)
class HeldImage:
    """A quarantined instance and the case it belongs to."""

    instance: Instance
    case: Case


def _check_regions(instance: Instance, action: Action, regions: tuple[Region, ...]) -> None:
    if action is not Action.REDACT:
        if regions:
            raise DomainError(ErrorCode.INVALID_INPUT, f"{action.value} takes no regions", field="regions")
        return
    if not regions:
        raise DomainError(ErrorCode.INVALID_INPUT, "REDACT needs at least one region", field="regions")
    if len(regions) > MAX_REGIONS:
        raise DomainError(ErrorCode.INVALID_INPUT, f"at most {MAX_REGIONS} regions", field="regions")
    if not instance.rows or not instance.columns:
        raise DomainError(ErrorCode.INVALID_INPUT, "this instance has no pixels to redact", field="instance")
    for r in regions:
        if (
            r.width < 1
            or r.height < 1
            or r.x < 0
            or r.y < 0
            or r.x + r.width > instance.columns
            or r.y + r.height > instance.rows
        ):
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                f"region ({r.x}, {r.y}, {r.width} x {r.height}) is not inside the "
                f"{instance.columns} x {instance.rows} image",
                field="regions",
            )


def open_review(
    instance_uid: str, action: Action, regions: tuple[Region, ...] = (), *, session: Session, principal: Principal
) -> Review:
    """Every check of a review, nothing written: NOT_FOUND for an instance the caller cannot see,
    FORBIDDEN without Edit on the case, VERSION_CONFLICT when it is no longer held (reviewed
    meanwhile), INVALID_INPUT for regions that do not fit the action or the image."""
    instance = session.get(Instance, instance_uid)
    if instance is None:
        raise DomainError(ErrorCode.NOT_FOUND, "no such instance", field="instance")
    try:
        case = get_case(instance_case(instance, session=session).uid, session=session, principal=principal)
    except DomainError as exc:
        if exc.code is ErrorCode.NOT_FOUND:  # a case they cannot see: the same answer as no instance
            raise DomainError(ErrorCode.NOT_FOUND, "no such instance", field="instance") from None
        raise
    require(principal, Permission.EDIT, case)
    if not instance.quarantined:
        raise DomainError(
            ErrorCode.VERSION_CONFLICT, "this image is not held (it was reviewed already)", field="instance"
        )
    _check_regions(instance, action, regions)
    return Review(instance, case, action, regions)


def _audit(review: Review, session: Session, principal: Principal, comment: str, **detail: object) -> None:
    audit.record(
        session,
        principal,
        f"instance.{review.action.value.lower()}",
        "case",
        review.case.uid,
        instance=review.instance.uid,
        reason=review.instance.quarantine_reason,
        comment=comment[:500],
        **detail,
    )


def release(review: Review, *, comment: str = "", session: Session, principal: Principal) -> Instance:
    """The pixels carry nothing identifying: show them as they are. Commits."""
    instance = review.instance
    _audit(review, session, principal, comment)
    instance.quarantined = False
    session.add(instance)
    events.emit(session, events.CaseChanged(review.case.uid, "imaged"))
    session.commit()
    return instance


def record_redaction(
    review: Review,
    *,
    sop_instance_uid: str,
    file_key: str,
    size_bytes: int,
    comment: str = "",
    session: Session,
    principal: Principal,
) -> str:
    """Point the instance at its redacted object (no longer held); returns the replaced file key. Commits."""
    instance = review.instance
    old_key = instance.file_key
    _audit(
        review,
        session,
        principal,
        comment,
        regions=[r.as_dict() for r in review.regions],
        replaced_sop_instance_uid=instance.sop_instance_uid,
        sop_instance_uid=sop_instance_uid,
    )
    instance.sop_instance_uid, instance.file_key, instance.size_bytes = sop_instance_uid, file_key, size_bytes
    instance.quarantined, instance.proposed_regions = False, []
    session.add(instance)
    events.emit(session, events.CaseChanged(review.case.uid, "imaged"))
    session.commit()
    return old_key


def reject(review: Review, *, comment: str = "", session: Session, principal: Principal) -> tuple[str, str | None]:
    """Remove the image (and its series or study when it was their last). Commits.

    Returns (the removed file key, the series uid when the series remains)."""
    instance = review.instance
    series = session.get(Series, instance.series_uid)
    assert series is not None  # foreign key
    _audit(review, session, principal, comment, sop_instance_uid=instance.sop_instance_uid)
    old_key = instance.file_key
    session.delete(instance)
    session.flush()
    remaining = session.exec(select(Instance.uid).where(Instance.series_uid == series.uid).limit(1)).first()
    kept: str | None = series.uid
    if remaining is None:
        study_uid, kept = series.study_uid, None
        session.delete(series)
        session.flush()
        if session.exec(select(Series.uid).where(Series.study_uid == study_uid).limit(1)).first() is None:
            _forget_empty_study(session, review.case, study_uid)
    else:
        series.instance_count = max(0, series.instance_count - 1)
        session.add(series)
    events.emit(session, events.CaseChanged(review.case.uid, "imaged"))
    session.commit()
    return old_key, kept


def _forget_empty_study(session: Session, case: Case, study_uid: str) -> None:
    # Unpublished versions (a held image never reaches a published one) drop the emptied study
    # from their image sets; a study some published version still lists keeps its row.
    published = case.published_version or 0
    rows = session.exec(select(CaseVersionStudy).where(CaseVersionStudy.study_uid == study_uid)).all()
    kept = [r for r in rows if r.case_uid == case.uid and r.version <= published]
    for row in rows:
        if row not in kept:
            session.delete(row)
    session.flush()
    study = session.get(Study, study_uid)
    if study is not None and not kept:
        session.delete(study)


def file_key_in_use(file_key: str, *, session: Session) -> bool:
    """Whether any instance still points at a blob (content addressing could share one)."""
    return session.exec(select(Instance.uid).where(Instance.file_key == file_key).limit(1)).first() is not None


def held_images(*, session: Session, principal: Principal) -> list[HeldImage]:
    """Every held image the caller may review (Edit on its case), grouped by case.

    Held images are few (a review queue, not an archive), so the candidates the caller may see
    are read whole and the one `may(EDIT)` decides; pages and counts are cut from that list.
    Ordered by (case uid, instance uid), both random, so a cursor holds no field value and
    stays valid when the image it names has been reviewed meanwhile."""
    if principal.is_anonymous:
        raise DomainError(ErrorCode.UNAUTHENTICATED, "sign in first")
    stmt = (
        select(Instance, Case)
        .join(Series, col(Series.uid) == Instance.series_uid)
        .join(Study, col(Study.uid) == Series.study_uid)
        .join(Case, col(Case.uid) == Study.case_uid)
        .where(col(Instance.quarantined).is_(True), visible_condition(principal, Case))
        .order_by(col(Case.uid), col(Instance.uid))
    )
    return [HeldImage(instance, case) for instance, case in session.exec(stmt) if may(principal, Permission.EDIT, case)]


@dataclass(frozen=True)
class HeldPage:
    """One page of quarantined images, with cursors, the total and whether more follow."""

    images: list[HeldImage]
    cursors: list[str]
    total: int
    has_next: bool


def _cursor(image: HeldImage) -> str:
    return base64.urlsafe_b64encode(f"{image.case.uid}.{image.instance.uid}".encode()).decode()


def _after(cursor: str) -> tuple[str, str]:
    try:
        match = _CURSOR.fullmatch(base64.urlsafe_b64decode(cursor.encode()).decode())
    except (binascii.Error, UnicodeError, ValueError):
        match = None
    if match is None:
        raise DomainError(ErrorCode.INVALID_INPUT, "unknown cursor", field="after")
    return match.group(1), match.group(2)


def held_page(*, first: int = 20, after: str | None = None, session: Session, principal: Principal) -> HeldPage:
    """A page of `held_images`; `after` is an endCursor of an earlier page."""
    if not 1 <= first <= MAX_PAGE:
        raise DomainError(ErrorCode.INVALID_INPUT, f"first must be between 1 and {MAX_PAGE}", field="first")
    images = held_images(session=session, principal=principal)
    rest = images
    if after is not None:
        mark = _after(after)
        rest = [i for i in images if (i.case.uid, i.instance.uid) > mark]
    chosen = rest[:first]
    return HeldPage(chosen, [_cursor(i) for i in chosen], len(images), len(rest) > first)
