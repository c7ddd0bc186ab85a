"""Report mutations: drafts, submission, feedback and moderation."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from content.worklists.feedback import give_feedback, moderate
from content.worklists.report_fields import ReportFields
from content.worklists.reports import get_report, save_draft, submit_report
from integrations.annotations.probe import StoreProbe
from schema.annotations.parse import specs
from schema.core.context import Context
from schema.core.errors import Error, refusable
from schema.core.ids import from_global_id
from schema.reports.inputs import FeedbackInput, ModerateReportInput, SubmitReportInput
from schema.reports.types import Report, ReportPayload


def _fields(i: SubmitReportInput) -> ReportFields:
    return ReportFields(
        observations=i.observations,
        interpretation=i.interpretation,
        principal_diagnosis=i.principal_diagnosis,
        differential_diagnoses=i.differential_diagnoses,
        management=i.management,
        abnormal=i.abnormal,
        abnormality=i.abnormality,
        site=i.site,
        annotations=specs(i.annotations) if i.annotations is not None else None,
    )


def _report_of(i: SubmitReportInput) -> tuple[str, str, ReportFields]:
    """(assignment uid, case uid, fields): what a draft and a submission both name."""
    return (
        from_global_id(i.assignment, "Assignment", field="assignment")[1],
        from_global_id(i.case, "Case", field="case")[1],
        _fields(i),
    )


def _probe(ctx: Context) -> StoreProbe | None:
    """What measures the marks: the media store's images (absent only in contexts built without media)."""
    return StoreProbe(ctx.store) if ctx.store is not None else None


def _refused(errs: list[Error]) -> ReportPayload:
    return ReportPayload(report=None, errors=errs)


@strawberry.type
class ReportMutation:
    @strawberry.mutation(description="Save a draft report of a case of the caller's assignment.")
    @refusable(_refused)
    def save_report_draft(
        self,
        info: Info[Context, None],
        input: Annotated[
            SubmitReportInput,
            strawberry.argument(description="A report of one case of an assignment (a draft, or the submission)."),
        ],
    ) -> ReportPayload:
        ctx = info.context
        row = save_draft(*_report_of(input), session=ctx.session, principal=ctx.principal, probe=_probe(ctx))
        return ReportPayload(report=Report.of(row), errors=[])

    @strawberry.mutation(description="Submit a report (final); the model answer opens.")
    @refusable(_refused)
    def submit_report(
        self,
        info: Info[Context, None],
        input: Annotated[
            SubmitReportInput,
            strawberry.argument(description="A report of one case of an assignment (a draft, or the submission)."),
        ],
    ) -> ReportPayload:
        ctx = info.context
        row = submit_report(*_report_of(input), session=ctx.session, principal=ctx.principal, probe=_probe(ctx))
        return ReportPayload(report=Report.of(row), errors=[])

    @strawberry.mutation(description="A trainer's mark (1..8) and feedback on a long-case report.")
    @refusable(_refused)
    def give_feedback(
        self,
        info: Info[Context, None],
        input: Annotated[FeedbackInput, strawberry.argument(description="A trainer's mark of a long-case report.")],
    ) -> ReportPayload:
        ctx = info.context
        uid = from_global_id(input.report, "Report", field="report")[1]
        give_feedback(
            uid,
            score=input.score,
            comment=input.feedback,
            sections={s.section: s.score for s in input.sections or []},
            session=ctx.session,
            principal=ctx.principal,
        )
        return ReportPayload(report=Report.of(get_report(uid, session=ctx.session, principal=ctx.principal)), errors=[])

    @strawberry.mutation(description="A second trainer agrees with a mark or sets the score that counts.")
    @refusable(_refused)
    def moderate_report(
        self,
        info: Info[Context, None],
        input: Annotated[
            ModerateReportInput, strawberry.argument(description="A second trainer's moderation of a mark.")
        ],
    ) -> ReportPayload:
        ctx = info.context
        uid = from_global_id(input.report, "Report", field="report")[1]
        moderate(
            uid,
            agreed=input.agreed,
            score=input.score,
            comment=input.comment or "",
            session=ctx.session,
            principal=ctx.principal,
        )
        return ReportPayload(report=Report.of(get_report(uid, session=ctx.session, principal=ctx.principal)), errors=[])
