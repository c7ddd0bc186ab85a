"""Archive coverage: validated cases per curriculum node by modality (rolled up the tree) and the gap list."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session

from content.cases.visibility import validated_snapshots
from content.curriculum.models import CurriculumNode, ancestors_and_self
from content.curriculum.service import subtree
from content.principal import Principal
from content.security.policy import require
from content.security.roles import Permission


@dataclass(frozen=True)
class NodeCount:
    """A curriculum node with the number of validated cases under it."""

    code: str
    title: str
    depth: int
    validated_case_count: int
    by_modality: dict[str, int]


def rolled_up(codes_per_item: Iterable[Iterable[str]]) -> Counter[str]:
    """Items per node, counting an item once under every ancestor of each of its codes."""
    counts: Counter[str] = Counter()
    for codes in codes_per_item:
        counts.update({a for code in codes for a in ancestors_and_self(code)})
    return counts


COUNTED_FIELDS = ("curriculum_codes", "modalities")


def published_snapshots(session: Session, principal: Principal | None = None) -> dict[str, dict[str, list[str]]]:
    """Per validated case, the codes and modalities of its published version (what trainees see).

    With a principal, only those it may see and that are not blind to it (`validated_snapshots`):
    a partner learns nothing of other collections, a trainee nothing of an open assignment's codes.
    """
    return {
        uid: {"codes": list(data.get("curriculum_codes") or []), "modalities": list(data.get("modalities") or [])}
        for uid, data in validated_snapshots(session, principal, COUNTED_FIELDS).items()
    }


def validated_counts(session: Session, principal: Principal | None = None) -> Counter[str]:
    """Validated cases per curriculum code, rolled up to ancestors (as `principal` sees them)."""
    return rolled_up(s["codes"] for s in published_snapshots(session, principal).values())


def archive_coverage(*, root: str | None = None, session: Session, principal: Principal) -> list[NodeCount]:
    """The curriculum with validated case counts (overall and per modality) under each node."""
    require(principal, Permission.VIEW)
    snaps = published_snapshots(session, principal)
    total = rolled_up(s["codes"] for s in snaps.values())
    per_modality: dict[str, Counter[str]] = defaultdict(Counter)
    for snap in snaps.values():
        for modality in snap["modalities"] or ["UNKNOWN"]:
            per_modality[modality].update({a for c in snap["codes"] for a in ancestors_and_self(c)})
    return [
        NodeCount(
            code=n.code,
            title=n.title,
            depth=n.depth,
            validated_case_count=total[n.code],
            by_modality={m: c[n.code] for m, c in sorted(per_modality.items()) if c[n.code]},
        )
        for n in _live_nodes(root, session)
    ]


def curriculum_counts(
    *, root: str | None = None, session: Session, principal: Principal
) -> list[tuple[CurriculumNode, int]]:
    """The curriculum tree (or the subtree under root) with validated cases the caller may see at or under
    each node: `curriculum { validatedCaseCount }`, from the same set as coverage and gaps."""
    nodes = subtree(root, session=session)
    counts = validated_counts(session, principal)
    return [(n, counts[n.code]) for n in nodes]


def gap_list(
    *, root: str | None = None, core_only: bool = False, session: Session, principal: Principal
) -> list[CurriculumNode]:
    """Nodes with no validated case at or under them: what the trusts should collect next."""
    require(principal, Permission.VIEW)
    counts = validated_counts(session, principal)
    return [n for n in _live_nodes(root, session) if counts[n.code] == 0 and (n.core or not core_only)]


def _live_nodes(root: str | None, session: Session) -> list[CurriculumNode]:
    return [n for n in subtree(root, session=session) if not n.deprecated]
