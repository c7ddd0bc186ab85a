"""What a launch opens: a worklist (a trainee's assignment of it), a self-study topic, or progress.

A link names its resource in the custom claim `lightbox_target` (set by deep linking):
`worklist:<uid>`, `study:<curriculum code>`, `study:gaps` or `progress`. Without one, a
target_link_uri on a /ui page of this server is followed; anything else opens the home page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from sqlmodel import Session, col, select

from content.errors import DomainError, ErrorCode
from content.worklists.models import Assignment, Worklist

Ids = Callable[[str, str], str]
CLAIM = "lightbox_target"


@dataclass(frozen=True)
class Target:
    """A resource a launch names: its kind ('worklist', 'study', 'progress', 'page') and reference."""

    kind: str
    ref: str = ""

    def claim(self) -> str:
        return f"{self.kind}:{self.ref}" if self.ref else self.kind


def parse(custom: object, target_link_uri: object) -> Target:
    """The target of a launch's custom claim, else of its target_link_uri."""
    raw = custom.get(CLAIM) if isinstance(custom, dict) else None
    if isinstance(raw, str) and raw.strip():
        kind, _, ref = raw.strip().partition(":")
        if kind in ("worklist", "study") and ref and len(ref) <= 200:
            return Target(kind, ref)
        if kind == "progress":
            return Target("progress")
        raise DomainError(ErrorCode.INVALID_INPUT, f"the link names an unknown Lightbox resource: {raw[:80]!r}")
    if isinstance(target_link_uri, str):
        parts = urlsplit(target_link_uri)
        if parts.path.startswith("/ui/") and ".." not in parts.path:
            return Target("page", parts.path + (f"?{parts.query}" if parts.query else ""))
    return Target("page", "/ui")


def check(target: Target, *, session: Session) -> None:
    """NOT_FOUND when the resource a link names is gone."""
    if target.kind == "worklist" and session.get(Worklist, target.ref) is None:
        raise DomainError(ErrorCode.NOT_FOUND, "The linked worklist no longer exists in Lightbox.")


def page_of(target: Target, *, user_uid: str, is_trainer: bool, session: Session, ids: Ids) -> str:
    """The /ui address that shows the target to this person."""
    if target.kind == "worklist":
        worklist = session.get(Worklist, target.ref)
        if worklist is None:
            raise DomainError(ErrorCode.NOT_FOUND, "the linked worklist no longer exists")
        if is_trainer:
            return f"/ui/worklists/{quote(ids('Worklist', worklist.uid), safe='')}"
        assignment = session.exec(
            select(Assignment)
            .where(Assignment.worklist_uid == worklist.uid, Assignment.trainee_uid == user_uid)
            .order_by(col(Assignment.created).desc())
        ).first()
        if assignment is None:
            return "/ui/reporting"  # not assigned (yet): the list of what is
        return f"/ui/reporting/{quote(ids('Assignment', assignment.uid), safe='')}"
    if target.kind == "study":
        return f"/ui/study?node={quote(target.ref, safe='')}"
    if target.kind == "progress":
        return "/ui/study/progress"
    return target.ref
