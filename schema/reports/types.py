"""Trainee reports, their marks and moderation, and progress, facility and evidence."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from content.cases.models import Case as CaseRow
from content.users.models import User as UserRow
from content.worklists.answers import model_answer
from content.worklists.feedback import feedback_of, moderation_of
from content.worklists.models import Report as ReportRow
from content.worklists.models import ReportStatus as ReportStatusValue
from content.worklists.progress import NodeProgress
from content.worklists.progress import Progress as ProgressData
from content.worklists.revalidation import revalidated_reports
from schema.annotations.types import Annotation, annotations_of
from schema.cases.types import Case, pinned_case
from schema.core.context import Context
from schema.core.errors import Error
from schema.core.ids import to_global_id
from schema.core.node import Node
from schema.users.types import Person, User

ReportStatus = strawberry.enum(ReportStatusValue, name="ReportStatus", description="Whether a report is still a draft.")


@strawberry.type(description="The validated answer of the case version reported, shown once the report is in.")
class ModelAnswer:
    diagnosis: str = strawberry.field(description="Validated diagnosis.")
    findings: str = strawberry.field(description="Validated findings.")
    teaching_points: str = strawberry.field(description="Teaching points.")
    differential_diagnoses: list[str] = strawberry.field(description="Validated differential diagnoses.")
    discussion: str = strawberry.field(description="Teaching discussion.")
    annotations: list[Annotation] = strawberry.field(
        description="The author's arrows and measurements on the images of the version reported."
    )


@strawberry.type(description="One rubric section's score (1..8).")
class SectionScore:
    section: str = strawberry.field(
        description="observations, interpretation, principal_diagnosis, differential_diagnoses or management."
    )
    score: int = strawberry.field(description="1..8 on the long-case scale.")


@strawberry.type(description="A second trainer's review of the mark.")
class ModerationInfo:
    agreed: bool = strawberry.field(description="Whether the moderator agreed with the first mark.")
    score: int = strawberry.field(description="The score that counts after moderation.")
    comment: str = strawberry.field(description="The moderator's comment.")
    moderator: Person | None = strawberry.field(description="Who moderated.")


@strawberry.type(description="A trainee's report of one case of an assignment.")
class Report(Node):
    row: strawberry.Private[ReportRow]
    status: ReportStatus = strawberry.field(description="DRAFT until submitted.")  # type: ignore[valid-type]
    submitted_at: datetime | None = strawberry.field(description="When it was submitted.")
    case_version: int = strawberry.field(description="The case version reported (pinned when assigned).")
    observations: str = strawberry.field(description="Observations.")
    interpretation: str = strawberry.field(description="Interpretation.")
    principal_diagnosis: str = strawberry.field(description="Principal diagnosis.")
    differential_diagnoses: list[str] = strawberry.field(description="Differential diagnoses.")
    management: str = strawberry.field(description="Management.")
    abnormal: bool | None = strawberry.field(description="Rapid reporting: called abnormal.")
    abnormality: str = strawberry.field(description="Rapid reporting: the abnormality named.")
    site: str = strawberry.field(description="Rapid reporting: its site.")
    auto_correct: bool | None = strawberry.field(description="Rapid reporting: the automatic mark.")
    over_time: bool = strawberry.field(description="Submitted after the worklist's time limit ran out.")

    @strawberry.field(description="The validated answer, once submitted.")
    def model_answer(self, info: Info[Context, None]) -> ModelAnswer | None:
        answer = model_answer(self.row, session=info.context.session)
        if answer is None:
            return None
        fields = {k: v for k, v in answer.__dict__.items() if k != "annotations"}
        return ModelAnswer(**fields, annotations=annotations_of(answer.annotations, info.context))

    @strawberry.field(
        description="The trainee's own marks on the images (measurements, arrows), kept with the draft and submitted."
    )
    def annotations(self, info: Info[Context, None]) -> list[Annotation]:
        return annotations_of(self.row.annotations, info.context)

    @strawberry.field(description="The score that counts (moderated if moderated), 1..8; null until marked.")
    def score(self, info: Info[Context, None]) -> int | None:
        fb = feedback_of(info.context.session, [self.row.uid]).get(self.row.uid)
        if fb is None:
            return None
        mod = moderation_of(info.context.session, [fb.uid]).get(fb.uid)
        return mod.score if mod else fb.score

    @strawberry.field(description="The trainer's feedback text; null until marked.")
    def feedback(self, info: Info[Context, None]) -> str | None:
        fb = feedback_of(info.context.session, [self.row.uid]).get(self.row.uid)
        return fb.comment if fb else None

    @strawberry.field(description="Per-section rubric scores.")
    def section_scores(self, info: Info[Context, None]) -> list[SectionScore]:
        fb = feedback_of(info.context.session, [self.row.uid]).get(self.row.uid)
        return [SectionScore(section=k, score=v) for k, v in (fb.sections if fb else {}).items()]

    @strawberry.field(description="Moderation of the mark, if any.")
    def moderation(self, info: Info[Context, None]) -> ModerationInfo | None:
        ctx = info.context
        fb = feedback_of(ctx.session, [self.row.uid]).get(self.row.uid)
        mod = moderation_of(ctx.session, [fb.uid]).get(fb.uid) if fb else None
        if mod is None:
            return None
        who = ctx.loaders.users.get(mod.moderator_uid)
        return ModerationInfo(
            agreed=mod.agreed,
            score=mod.score,
            comment=mod.comment,
            moderator=Person(display_name=who.display_name) if who else None,
        )

    @strawberry.field(description="True when the case was validated again after this report: check the mark.")
    def revalidated(self, info: Info[Context, None]) -> bool:
        return self.row.uid in revalidated_reports(info.context.session, [self.row])

    @strawberry.field(description="The case reported, as it was asked (answer open once submitted).")
    def case(self, info: Info[Context, None]) -> Case | None:
        row = info.context.session.get(CaseRow, self.row.case_uid)
        if row is None:
            return None
        return pinned_case(
            row,
            self.row.case_version,
            blind=row.uid in info.context.blinded_cases(),
            label="Case under report",
            ctx=info.context,
        )

    @strawberry.field(description="The trainee who wrote it.")
    def trainee(self, info: Info[Context, None]) -> Person | None:
        who = info.context.loaders.users.get(self.row.trainee_uid)
        return Person(display_name=who.display_name) if who else None

    @staticmethod
    def of(row: ReportRow) -> Report:
        return Report(
            id=strawberry.ID(to_global_id("Report", row.uid)),
            row=row,
            status=ReportStatus(row.status),
            submitted_at=row.submitted_at,
            case_version=row.case_version,
            observations=row.observations,
            interpretation=row.interpretation,
            principal_diagnosis=row.principal_diagnosis,
            differential_diagnoses=list(row.differential_diagnoses),
            management=row.management,
            abnormal=row.abnormal,
            abnormality=row.abnormality,
            site=row.site,
            auto_correct=row.auto_correct,
            over_time=row.over_time,
        )


@strawberry.type(description="Result of a report mutation (draft, submit, feedback, moderation).")
class ReportPayload:
    report: Report | None = strawberry.field(description="The report after the change.")
    errors: list[Error] = strawberry.field(description="Why it failed.")


@strawberry.type(description="Reports and archive cases under one curriculum node (rolled up the tree).")
class CoverageNode:
    code: str = strawberry.field(description="Curriculum code.")
    title: str = strawberry.field(description="Node title.")
    depth: int = strawberry.field(description="1 for a system, 2 for a topic, 3+ for conditions.")
    reported_count: int = strawberry.field(description="Submitted reports of cases at or under this node.")
    validated_case_count: int = strawberry.field(description="Validated cases in the archive at or under it.")

    @staticmethod
    def of(n: NodeProgress) -> CoverageNode:
        return CoverageNode(
            code=n.code,
            title=n.title,
            depth=n.depth,
            reported_count=n.reported_count,
            validated_case_count=n.validated_case_count,
        )


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
        return Progress(
            trainee=User.of(trainee) if trainee else None,
            assigned_count=p.assigned_count,
            reported_count=p.reported_count,
            overdue_count=p.overdue_count,
            mean_score=p.mean_score,
            scored_count=p.scored_count,
            rapid_accuracy=p.rapid_accuracy,
            rapid_count=p.rapid_count,
            coverage=[CoverageNode.of(n) for n in p.coverage],
        )


@strawberry.type(description="A cohort's progress: the whole, then each trainee.")
class CohortProgress:
    total: Progress = strawberry.field(description="The cohort as a whole.")
    trainees: list[Progress] = strawberry.field(description="Each trainee of the cohort.")


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
