"""The curriculum tree, its coverage by the archive, its gaps and its retired codes."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from content.curriculum.retired import retired_report
from content.worklists.coverage import archive_coverage, curriculum_counts, gap_list
from schema.cases.types import prime_cases
from schema.core.context import Context, signed_in
from schema.curriculum.types import ArchiveCoverageNode, CurriculumNode, RetiredCurriculumReport, RetiredTagsEntry

# `root` is strawberry's name for the parent value, so the Python parameter takes another name.
RootArg = Annotated[str | None, strawberry.argument(name="root", description="Only this node and its subtree.")]


@strawberry.type
class CurriculumQuery:
    @strawberry.field(description="The curriculum tree (or the subtree under root).")
    def curriculum(self, info: Info[Context, None], root_code: RootArg = None) -> list[CurriculumNode]:
        ctx = signed_in(info)
        counted = curriculum_counts(root=root_code, session=ctx.session, principal=ctx.principal)
        info.context.loaders.curriculum.want(n.replaced_by for n, _ in counted)
        return [CurriculumNode.of(n, count) for n, count in counted]

    @strawberry.field(
        description="Cases that still carry retired curriculum codes, for retagging "
        "(trainers and validators); first at most 100."
    )
    def retired_curriculum_tags(
        self,
        info: Info[Context, None],
        first: Annotated[int, strawberry.argument(description="How many cases, 1 to 100.")] = 50,
    ) -> RetiredCurriculumReport:
        ctx = info.context
        report = retired_report(first=first, session=ctx.session, principal=ctx.principal)
        prime_cases([e.case for e in report.entries], ctx)
        ctx.loaders.curriculum.want(c for e in report.entries for c in e.codes)
        return RetiredCurriculumReport(
            total_count=report.total, entries=[RetiredTagsEntry.of(e) for e in report.entries]
        )

    @strawberry.field(description="Validated cases per curriculum node (rolled up) by modality, for the region.")
    def archive_coverage(self, info: Info[Context, None], root_code: RootArg = None) -> list[ArchiveCoverageNode]:
        ctx = info.context
        return [
            ArchiveCoverageNode.of(n)
            for n in archive_coverage(root=root_code, session=ctx.session, principal=ctx.principal)
        ]

    @strawberry.field(description="Curriculum nodes with no validated case: what the trusts should collect.")
    def curriculum_gaps(
        self,
        info: Info[Context, None],
        root_code: RootArg = None,
        core_only: Annotated[bool, strawberry.argument(description="Only nodes expected of every trainee.")] = False,
    ) -> list[CurriculumNode]:
        ctx = info.context
        return [
            CurriculumNode.of(n, 0)
            for n in gap_list(root=root_code, core_only=core_only, session=ctx.session, principal=ctx.principal)
        ]
