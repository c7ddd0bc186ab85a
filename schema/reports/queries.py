"""Report, progress, facility and evidence queries."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from content.cases.models import Case as CaseRow
from content.lookup import by_uid
from content.users.models import User as UserRow
from content.worklists.evidence import evidence, to_csv
from content.worklists.facility import facility_index
from content.worklists.progress import cohort_progress, trainee_progress
from content.worklists.reports import get_report
from content.worklists.service import case_uids_of, get_worklist
from integrations.evidence_html import to_html
from schema.cases.types import Case, prime_cases
from schema.core.context import Context
from schema.core.ids import from_global_id
from schema.reports.types import CaseFacility, CohortProgress, EvidenceExport, Progress, Report


def _uid(gid: strawberry.ID | None, type_name: str, field: str) -> str | None:
    return from_global_id(gid, type_name, field=field)[1] if gid else None


@strawberry.type
class ReportQuery:
    @strawberry.field(description="Progress of a trainee (trainers), or of the caller when traineeId is null.")
    def progress(
        self,
        info: Info[Context, None],
        trainee_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="The trainee; the caller when null.")
        ] = None,
    ) -> Progress:
        ctx = info.context
        p = trainee_progress(_uid(trainee_id, "User", "traineeId"), session=ctx.session, principal=ctx.principal)
        return Progress.of(p, ctx.session.get(UserRow, p.trainee_uids[0]))

    @strawberry.field(description="Progress of a cohort and of each of its trainees (trainers).")
    def cohort_progress(
        self,
        info: Info[Context, None],
        cohort: Annotated[strawberry.ID, strawberry.argument(description="The cohort.")],
    ) -> CohortProgress:
        ctx = info.context
        total, each = cohort_progress(
            from_global_id(cohort, "Cohort", field="cohort")[1], session=ctx.session, principal=ctx.principal
        )
        return CohortProgress(
            total=Progress.of(total, None),
            trainees=[Progress.of(p, ctx.session.get(UserRow, p.trainee_uids[0])) for p in each],
        )

    @strawberry.field(description="One report: the author's own, or any submitted report for a trainer.")
    def report(
        self,
        info: Info[Context, None],
        id: Annotated[strawberry.ID, strawberry.argument(description="The report.")],
    ) -> Report:
        ctx = info.context
        return Report.of(get_report(from_global_id(id, "Report")[1], session=ctx.session, principal=ctx.principal))

    @strawberry.field(description="Facility index per case from submitted reports, hardest first (trainers).")
    def case_facility(
        self,
        info: Info[Context, None],
        worklist: Annotated[
            strawberry.ID | None, strawberry.argument(description="Only the cases of this worklist.")
        ] = None,
    ) -> list[CaseFacility]:
        ctx = info.context
        cases = None
        if worklist:
            cases = case_uids_of(
                ctx.session,
                get_worklist(
                    from_global_id(worklist, "Worklist", field="worklist")[1],
                    session=ctx.session,
                    principal=ctx.principal,
                ).uid,
            )
        out = []
        facilities = facility_index(case_uids=cases, session=ctx.session, principal=ctx.principal)
        rows = by_uid(CaseRow, (f.case_uid for f in facilities), session=ctx.session)
        prime_cases(list(rows.values()), ctx)
        for f in facilities:
            row = rows.get(f.case_uid)
            out.append(
                CaseFacility(
                    case=Case.of(row, ctx) if row else None,
                    report_count=f.report_count,
                    judged_count=f.judged_count,
                    correct_count=f.correct_count,
                    facility_index=f.facility_index,
                    mean_score=f.mean_score,
                )
            )
        return out

    @strawberry.field(description="A trainee's completed worklists and scores as CSV and one-page HTML.")
    def evidence(
        self,
        info: Info[Context, None],
        trainee_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="The trainee; the caller when null.")
        ] = None,
    ) -> EvidenceExport:
        ctx = info.context
        ev = evidence(_uid(trainee_id, "User", "traineeId"), session=ctx.session, principal=ctx.principal)
        return EvidenceExport(csv=to_csv(ev), html=to_html(ev))
