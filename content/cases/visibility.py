"""What may this person see of this case, and in which version: the one answer every reader asks.

GraphQL types, assignments, the catalog filter, DICOMweb, media routes and every count come here:

- the version: the working copy for those who may view it in its state, else the published
  version, else nothing (`content.cases.versions.visible_view`); an assignment pins its own;
- blind: a case in one of the person's assignments that they have not reported yet. Its answer
  (ANSWER_FIELDS, the title's slug in the path, answer-bearing DICOM attributes) is withheld,
  it is titled by its place ("Case 3 of Chest on call"), sorted as untitled, and it counts in no
  curriculum count, so no difference between two answers can name it;
- counts: `validated_snapshots`, the published versions the person may see, blind ones left out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from content.cases.models import Case, CaseVersion
from content.cases.versions import visible_view
from content.principal import Principal
from content.security.policy import visible_condition
from content.workflow import State
from content.worklists.models import Assignment, AssignmentItem, Report, ReportStatus, Worklist

# The case fields that give the answer away; key images and annotations point at the finding, so they go too.
ANSWER_FIELDS = frozenset(
    {
        "title",
        "findings",
        "diagnosis",
        "differential_diagnoses",
        "discussion",
        "teaching_points",
        "curriculum_codes",
        "tags",
        "key_images",
        "annotations",
    }
)
# What a blind case is sorted by, in place of its title: as if it had none.
UNTITLED_SORT_KEY = ""


def _unreported(session: Session, user_id: str) -> list[tuple[str, int, str]]:
    """(case uid, position, worklist title) of every case assigned to the person and not yet reported
    by them, oldest assignment first: one query."""
    # Any submitted report of the case opens it: once seen, an answer cannot be unseen.
    reported = (
        select(Report.case_uid)
        .where(
            Report.trainee_uid == user_id,
            Report.status == ReportStatus.SUBMITTED.value,
            col(Report.case_uid) == AssignmentItem.case_uid,
        )
        .exists()
    )
    stmt = (
        select(AssignmentItem.case_uid, AssignmentItem.position, Worklist.title)
        .join(Assignment, col(Assignment.uid) == AssignmentItem.assignment_uid)
        .join(Worklist, col(Worklist.uid) == Assignment.worklist_uid)
        .where(Assignment.trainee_uid == user_id, ~reported)
        .order_by(col(Assignment.created), col(Assignment.uid), col(AssignmentItem.position))
    )
    return [(uid, pos, title) for uid, pos, title in session.exec(stmt)]


def blind_labels(session: Session, principal: Principal) -> dict[str, str]:
    """Per case blind to the principal, the title shown instead: "Case 3 of Chest on call" (its first
    open assignment). Empty for anyone with no open assignment (partners, tokens without a person)."""
    if principal.user_id is None:
        return {}
    out: dict[str, str] = {}
    for uid, position, title in _unreported(session, principal.user_id):
        if uid not in out:
            out[uid] = f"Case {position} of {title}"
    return out


def blind_case_uids(session: Session, principal: Principal) -> frozenset[str]:
    """The cases `principal` must see blind (unanswered in an assignment): no answer shown."""
    return frozenset(blind_labels(session, principal))


def is_blind(case_uid: str, *, session: Session, principal: Principal) -> bool:
    """Whether `principal` must see this case blind."""
    return case_uid in blind_case_uids(session, principal)


@dataclass(frozen=True)
class CaseView:
    """One case as one person may see it: which version, its fields, its path, whether blind."""

    version: int
    state: str
    data: dict[str, Any]
    path: str
    blind: bool


def withheld(data: dict[str, Any], label: str) -> dict[str, Any]:
    """The fields of a blind case: every answer field null, the title replaced by its place."""
    out = {k: (None if k in ANSWER_FIELDS else v) for k, v in data.items()}
    out["title"] = label
    return out


def blind_path(path: str) -> str:
    """A case path with its title slug removed: what a blind viewer may see of where it lives."""
    # The path's last segment is the slug of the title: only the containing collection is shown.
    return path.rsplit("/", 1)[0] or "/"


def case_view(
    row: Case,
    principal: Principal,
    *,
    blind_label: str | None,
    snapshot: Callable[[int], dict[str, Any] | None],
    pinned: int | None = None,
) -> CaseView | None:
    """The version `principal` sees of `row` (or the `pinned` one an assignment asked), answer withheld
    when `blind_label` is given. `snapshot(version)` reads a saved version's data (a request's loader)."""
    if pinned is not None:
        data, state, version = snapshot(pinned), State.VALIDATED.value, pinned
    else:
        view = visible_view(principal, row)
        if view is None:
            return None
        if view == "current":
            data, state, version = row.snapshot(), row.state, row.version
        else:
            version = row.published_version or 0
            data, state = snapshot(version), State.VALIDATED.value
    if data is None:
        return None
    if blind_label is None:
        return CaseView(version=version, state=state, data=dict(data), path=row.path, blind=False)
    return CaseView(
        version=version, state=state, data=withheld(data, blind_label), path=blind_path(row.path), blind=True
    )


def validated_snapshots(
    session: Session, principal: Principal | None = None, fields: tuple[str, ...] | None = None
) -> dict[str, dict[str, Any]]:
    """Per validated, non-retired case the principal may see, its published version's data, leaving out
    the cases blind to them: the one set every count of validated cases (curriculum, coverage, gaps,
    progress) is computed from, so that counts agree with `cases(search: {curriculum: ...})`.

    Without a principal: every validated case (system reports). `fields` reads only those keys of each
    version (inside the database), which is all a count needs.
    """
    data_cols: list[Any] = [CaseVersion.data[f] for f in fields] if fields else [col(CaseVersion.data)]
    stmt = (
        select(col(CaseVersion.case_uid), *data_cols)
        .join(Case, (col(Case.uid) == CaseVersion.case_uid) & (col(Case.published_version) == CaseVersion.version))
        .where(Case.state != State.RETIRED.value)
    )
    blind: frozenset[str] = frozenset()
    if principal is not None:
        stmt = stmt.where(visible_condition(principal, Case))
        blind = blind_case_uids(session, principal)
    out: dict[str, dict[str, Any]] = {}
    for uid, *values in session.exec(stmt):
        if uid not in blind:
            out[uid] = dict(zip(fields, values, strict=True)) if fields else dict(values[0])
    return out
