"""Curriculum maintenance queries (trainers and validators)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from content.curriculum.retired import retired_report
from schema.context import Context
from schema.curriculum.types import RetiredCurriculumReport, RetiredTagsEntry
from schema.types import prime_cases


@strawberry.type
class CurriculumQuery:
    @strawberry.field(description="Cases that still carry retired curriculum codes, for retagging "
                                  "(trainers and validators); first at most 100.")
    def retired_curriculum_tags(self, info: Info[Context, None], first: int = 50) -> RetiredCurriculumReport:
        ctx = info.context
        report = retired_report(first=first, session=ctx.session, principal=ctx.principal)
        prime_cases([e.case for e in report.entries], ctx)
        ctx.loaders.curriculum.want(c for e in report.entries for c in e.codes)
        return RetiredCurriculumReport(total_count=report.total,
                                       entries=[RetiredTagsEntry.of(e) for e in report.entries])
