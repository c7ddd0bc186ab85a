"""Worklists, assignments and the payloads of their mutations."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.types import Info

from content.cases.models import Case as CaseRow
from content.lookup import by_uid
from content.worklists.assignments import assignments_of_worklist, items_of
from content.worklists.clock import deadline, time_limit
from content.worklists.models import Assignment as AssignmentRow
from content.worklists.models import LateAnswers as LateAnswersValue
from content.worklists.models import Worklist as WorklistRow
from content.worklists.models import WorklistItem
from content.worklists.models import WorklistMode as WorklistModeValue
from content.worklists.overlap import met_elsewhere
from content.worklists.reports import readable_reports, reports_of
from content.worklists.revalidation import revalidated_reports
from content.worklists.service import worklist_items, worklist_versions
from schema.cases.types import Case, pinned_case, prime_cases
from schema.core.context import Context
from schema.core.enums import describe_values
from schema.core.errors import Error
from schema.core.ids import from_global_id, to_global_id
from schema.core.node import Node
from schema.reports.types import Report
from schema.users.types import Person, User

WorklistMode = strawberry.enum(
    WorklistModeValue,
    name="WorklistMode",
    description="LONG_CASE: a structured report; RAPID_REPORTING: normal or abnormal, against a clock.",
)

describe_values(
    WorklistMode,
    {
        "LONG_CASE": "Each case answered with a structured report.",
        "RAPID_REPORTING": "Each case called normal or abnormal, against a clock.",
    },
)


LateAnswers = strawberry.enum(
    LateAnswersValue,
    name="LateAnswers",
    description="What a timed worklist does with an answer after its time limit: FLAG "
    "accepts it marked over time; REFUSE refuses it.",
)

describe_values(
    LateAnswers,
    {
        "FLAG": "A late answer is accepted and marked over time for the trainer.",
        "REFUSE": "A late answer is refused; nothing is saved or submitted.",
    },
)


@strawberry.type(description="A case of a worklist, in its place.")
class WorklistCase:
    position: int = strawberry.field(description="1-based position.")
    case: Case | None = strawberry.field(description="The case, as the trainer sees it.")
    met_elsewhere_count: int = strawberry.field(description="Trainees who hold this case in another worklist.")


@strawberry.type(description="One saved version of a worklist.")
class WorklistVersion:
    version: int = strawberry.field(description="Version number.")
    created_at: datetime = strawberry.field(description="When it was saved.")
    comment: str = strawberry.field(description="Why.")
    title: str = strawberry.field(description="Title in that version.")
    case_count: int = strawberry.field(description="Cases in that version.")


@strawberry.type(description="An ordered list of validated cases to report, long case or rapid reporting.")
class Worklist(Node):
    uid: strawberry.Private[str]
    title: str = strawberry.field(description="Title.")
    instructions: str = strawberry.field(description="Instructions to the trainee.")
    mode: WorklistMode = strawberry.field(description="Long case or rapid reporting.")  # type: ignore[valid-type]
    time_limit_minutes: int | None = strawberry.field(description="Time allowed, if any.")
    late_answers: LateAnswers = strawberry.field(  # type: ignore[valid-type]
        description="What happens to an answer after the time limit: flagged, or refused."
    )
    path: str = strawberry.field(description="Path in the trainer's or cohort's folder.")
    version: int = strawberry.field(description="Current version.")
    created_at: datetime = strawberry.field(description="Created.")

    @strawberry.field(description="Number of cases.")
    def case_count(self, info: Info[Context, None]) -> int:
        return len(self._items(info))

    @strawberry.field(description="The cases in order, with how many trainees met each in other worklists.")
    def cases(
        self,
        info: Info[Context, None],
        cohort: Annotated[strawberry.ID | None, strawberry.argument(description="Count only this cohort.")] = None,
    ) -> list[WorklistCase]:
        ctx = info.context
        cohort_uid = from_global_id(cohort, "Cohort", field="cohort")[1] if cohort else None
        met = met_elsewhere(self.uid, cohort_uid=cohort_uid, session=ctx.session, principal=ctx.principal)
        items = self._items(info)
        rows = by_uid(CaseRow, (i.case_uid for i in items), session=ctx.session)
        prime_cases(list(rows.values()), ctx)
        return [
            WorklistCase(
                position=i.position, case=Case.of(rows[i.case_uid], ctx), met_elsewhere_count=met.get(i.case_uid, 0)
            )
            for i in items
        ]

    @strawberry.field(description="Saved versions, oldest first.")
    def versions(self, info: Info[Context, None]) -> list[WorklistVersion]:
        rows = worklist_versions(self.uid, session=info.context.session, principal=info.context.principal)
        return [
            WorklistVersion(
                version=v.version,
                created_at=v.created,
                comment=v.comment,
                title=v.data["title"],
                case_count=len(v.data["case_uids"]),
            )
            for v in rows
        ]

    @strawberry.field(description="Assignments of this worklist (trainers).")
    def assignments(self, info: Info[Context, None]) -> list[Assignment]:
        ctx = info.context
        rows = assignments_of_worklist(self.uid, session=ctx.session, principal=ctx.principal)
        ctx.loaders.users.want(r.trainee_uid for r in rows)
        return [Assignment.of(r) for r in rows]

    @strawberry.field(description="Submitted reports whose case was validated again afterwards.")
    def revalidated_reports(self, info: Info[Context, None]) -> list[Report]:
        ctx = info.context
        rows = assignments_of_worklist(self.uid, session=ctx.session, principal=ctx.principal)
        reports = list(reports_of(ctx.session, [r.uid for r in rows]).values())
        flagged = revalidated_reports(ctx.session, reports)
        return [Report.of(r) for r in reports if r.uid in flagged]

    def _items(self, info: Info[Context, None]) -> list[WorklistItem]:
        return worklist_items(info.context.session, self.uid)

    @staticmethod
    def of(row: WorklistRow) -> Worklist:
        return Worklist(
            id=strawberry.ID(to_global_id("Worklist", row.uid)),
            uid=row.uid,
            title=row.title,
            instructions=row.instructions,
            mode=WorklistMode(row.mode),
            time_limit_minutes=row.time_limit_minutes,
            late_answers=LateAnswers(row.late_answers),
            path=row.path,
            version=row.version,
            created_at=row.created,
        )


@strawberry.type(description="A case of an assignment: blind until its report is submitted.")
class AssignmentItem:
    position: int = strawberry.field(description="1-based position.")
    reported: bool = strawberry.field(description="A report of it has been submitted.")
    case_version: int = strawberry.field(description="The case version pinned when assigned.")
    case: Case | None = strawberry.field(description="The pinned case; answer fields null until reported.")
    report: Report | None = strawberry.field(description="The report, draft or submitted, if any.")


@strawberry.type(description="A worklist assigned to one trainee, with a due date.")
class Assignment(Node):
    row: strawberry.Private[AssignmentRow]
    due_at: datetime | None = strawberry.field(description="When it is due.")
    assigned_at: datetime = strawberry.field(description="When it was assigned.")
    started_at: datetime | None = strawberry.field(
        description="When the clock started: the trainee's startAssignment, first save or first submit."
    )

    @strawberry.field(description="When the time limit of a started, timed assignment runs out (server clock).")
    def deadline(self, info: Info[Context, None]) -> datetime | None:
        return deadline(info.context.session, self.row)

    @strawberry.field(description="The time limit in minutes, as the assigned worklist version set it.")
    def time_limit_minutes(self, info: Info[Context, None]) -> int | None:
        limit = time_limit(info.context.session, self.row)
        return limit.minutes if limit else None

    @strawberry.field(description="What happens to an answer after the time limit, as the assigned version says.")
    def late_answers(self, info: Info[Context, None]) -> LateAnswers | None:  # type: ignore[valid-type]
        limit = time_limit(info.context.session, self.row)
        return LateAnswers(limit.late_answers.value) if limit else None

    @strawberry.field(description="The trainee.")
    def trainee(self, info: Info[Context, None]) -> User | None:
        row = info.context.loaders.users.get(self.row.trainee_uid)
        return User.of(row) if row else None

    @strawberry.field(description="Who assigned it.")
    def assigned_by(self, info: Info[Context, None]) -> Person | None:
        row = info.context.loaders.users.get(self.row.assigned_by)
        return Person(display_name=row.display_name) if row else None

    @strawberry.field(description="The worklist.")
    def worklist(self, info: Info[Context, None]) -> Worklist | None:
        row = info.context.session.get(WorklistRow, self.row.worklist_uid)
        return Worklist.of(row) if row else None

    @strawberry.field(description="Cases reported.")
    def completed_count(self, info: Info[Context, None]) -> int:
        return sum(1 for i in self.items(info) if i.reported)

    @strawberry.field(description="Cases in the assignment.")
    def total_count(self, info: Info[Context, None]) -> int:
        return len(items_of(info.context.session, [self.row.uid])[self.row.uid])

    @strawberry.field(description="The cases in order.")
    def items(self, info: Info[Context, None]) -> list[AssignmentItem]:
        ctx = info.context
        cached: list[AssignmentItem] | None = ctx.caches.assignment_items.get(self.row.uid)
        if cached is not None:
            return cached
        items = items_of(ctx.session, [self.row.uid])[self.row.uid]
        reports = readable_reports(ctx.session, [self.row.uid], principal=ctx.principal)
        worklist = ctx.session.get(WorklistRow, self.row.worklist_uid)
        rows = by_uid(CaseRow, (i.case_uid for i in items), session=ctx.session)
        ctx.loaders.versions.want((i.case_uid, i.case_version) for i in items)
        out = []
        for i in items:
            report = reports.get((self.row.uid, i.case_uid))
            done = report is not None and report.submitted_at is not None
            label = f"Case {i.position} of {worklist.title if worklist else 'worklist'}"
            case = pinned_case(
                rows[i.case_uid], i.case_version, blind=i.case_uid in ctx.blinded_cases(), label=label, ctx=ctx
            )
            out.append(
                AssignmentItem(
                    position=i.position,
                    reported=done,
                    case_version=i.case_version,
                    case=case,
                    report=Report.of(report) if report else None,
                )
            )
        ctx.caches.assignment_items[self.row.uid] = out
        return out

    @staticmethod
    def of(row: AssignmentRow) -> Assignment:
        return Assignment(
            id=strawberry.ID(to_global_id("Assignment", row.uid)),
            row=row,
            due_at=row.due_at,
            assigned_at=row.created,
            started_at=row.started_at,
        )


@strawberry.type(description="Result of a worklist mutation.")
class WorklistPayload:
    worklist: Worklist | None = strawberry.field(description="The worklist after the change.")
    errors: list[Error] = strawberry.field(description="Why it failed.")


@strawberry.type(description="Result of assignWorklist.")
class AssignWorklistPayload:
    assignments: list[Assignment] = strawberry.field(description="The assignments made (one per trainee).")
    errors: list[Error] = strawberry.field(description="Why it failed.")


@strawberry.type(description="Result of startAssignment.")
class AssignmentPayload:
    assignment: Assignment | None = strawberry.field(description="The assignment, its clock started.")
    errors: list[Error] = strawberry.field(description="Why it failed.")
