"""Progress, archive coverage, facility index and evidence as GraphQL types."""

from __future__ import annotations

import strawberry

from content.users.models import User as UserRow
from content.worklists.coverage import NodeCount
from content.worklists.progress import NodeProgress
from content.worklists.progress import Progress as ProgressData
from schema.types import Case, User


@strawberry.type(description="Reports and archive cases under one curriculum node (rolled up the tree).")
class CoverageNode:
    code: str = strawberry.field(description="Curriculum code.")
    title: str = strawberry.field(description="Node title.")
    depth: int = strawberry.field(description="1 for a system, 2 for a topic, 3+ for conditions.")
    reported_count: int = strawberry.field(description="Submitted reports of cases at or under this node.")
    validated_case_count: int = strawberry.field(description="Validated cases in the archive at or under it.")

    @staticmethod
    def of(n: NodeProgress) -> CoverageNode:
        return CoverageNode(code=n.code, title=n.title, depth=n.depth, reported_count=n.reported_count,
                            validated_case_count=n.validated_case_count)


@strawberry.type(description="Completion, scores and curriculum coverage of a trainee or a cohort.")
class Progress:
    trainee: User | None = strawberry.field(description="The trainee; null for a cohort total.")
    assigned_count: int = strawberry.field(description="Cases assigned.")
    reported_count: int = strawberry.field(description="Reports submitted.")
    overdue_count: int = strawberry.field(description="Cases unreported past their due date.")
    mean_score: float | None = strawberry.field(description="Mean long-case score (1..8), moderated where moderated.")
    scored_count: int = strawberry.field(description="Long-case reports marked.")
    rapid_accuracy: float | None = strawberry.field(description="Share of rapid-reporting answers correct (0..1).")
    rapid_count: int = strawberry.field(description="Rapid-reporting answers submitted.")
    coverage: list[CoverageNode] = strawberry.field(description="Per curriculum node, rolled up the tree.")

    @staticmethod
    def of(p: ProgressData, trainee: UserRow | None) -> Progress:
        return Progress(trainee=User.of(trainee) if trainee else None, assigned_count=p.assigned_count,
                        reported_count=p.reported_count, overdue_count=p.overdue_count, mean_score=p.mean_score,
                        scored_count=p.scored_count, rapid_accuracy=p.rapid_accuracy, rapid_count=p.rapid_count,
                        coverage=[CoverageNode.of(n) for n in p.coverage])


@strawberry.type(description="A cohort's progress: the whole, then each trainee.")
class CohortProgress:
    total: Progress = strawberry.field(description="The cohort as a whole.")
    trainees: list[Progress] = strawberry.field(description="Each trainee of the cohort.")


@strawberry.type(description="Cases of one modality under a node.")
class ModalityCount:
    modality: str = strawberry.field(description="Modality, e.g. CT.")
    count: int = strawberry.field(description="Validated cases.")


@strawberry.type(description="Validated cases in the archive under one curriculum node.")
class ArchiveCoverageNode:
    code: str = strawberry.field(description="Curriculum code.")
    title: str = strawberry.field(description="Node title.")
    depth: int = strawberry.field(description="Depth in the tree.")
    validated_case_count: int = strawberry.field(description="Validated cases at or under this node.")
    by_modality: list[ModalityCount] = strawberry.field(description="The same, per modality.")

    @staticmethod
    def of(n: NodeCount) -> ArchiveCoverageNode:
        return ArchiveCoverageNode(code=n.code, title=n.title, depth=n.depth,
                                   validated_case_count=n.validated_case_count,
                                   by_modality=[ModalityCount(modality=m, count=c) for m, c in n.by_modality.items()])


@strawberry.type(description="How often trainees got a case right.")
class CaseFacility:
    case: Case | None = strawberry.field(description="The case.")
    report_count: int = strawberry.field(description="Submitted reports.")
    judged_count: int = strawberry.field(description="Reports marked (rapid, or long case with a score).")
    correct_count: int = strawberry.field(description="Marked right (rapid correct, or score at the pass mark).")
    facility_index: float | None = strawberry.field(description="correctCount / judgedCount (0..1).")
    mean_score: float | None = strawberry.field(description="Mean long-case score.")


@strawberry.type(description="A trainee's evidence for an annual review.")
class EvidenceExport:
    csv: str = strawberry.field(description="Completed worklists and scores mapped to curriculum codes, as CSV.")
    html: str = strawberry.field(description="A one-page printable HTML summary.")
