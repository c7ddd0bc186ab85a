"""Curriculum nodes, the retired-codes report and archive coverage."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from content.curriculum.models import CurriculumNode as CurriculumRow
from content.curriculum.retired import RetiredTags
from content.worklists.coverage import NodeCount
from schema.core.context import Context

if TYPE_CHECKING:
    from schema.cases.types import Case


@strawberry.type(description="A curriculum node.")
class CurriculumNode:
    code: str = strawberry.field(description="e.g. NEURO.STROKE.ISCHAEMIC")
    title: str = strawberry.field(description="Title of the node.")
    depth: int = strawberry.field(description="1 for a system, 2 for a topic, 3+ for conditions.")
    parent_code: str | None = strawberry.field(description="Code of the parent node.")
    plain_film: bool = strawberry.field(description="Plain-film topic.")
    cross_sectional: bool = strawberry.field(description="Cross-sectional topic.")
    acute: bool = strawberry.field(description="Must-not-miss.")
    core: bool = strawberry.field(description="Expected of every trainee.")
    validated_case_count: int = strawberry.field(description="Validated cases the caller can see under it.")
    deprecated: bool = strawberry.field(
        description="Retired: kept so old cases keep their tags, but no longer accepted on a case."
    )
    replaced_by_code: strawberry.Private[str | None]

    @strawberry.field(description="The code that replaces a retired one, if the curriculum names it.")
    def replaced_by(self, info: Info[Context, None]) -> CurriculumNode | None:
        row = info.context.loaders.curriculum.get(self.replaced_by_code)
        return CurriculumNode.of(row) if row else None

    @staticmethod
    def of(row: CurriculumRow, count: int = 0) -> CurriculumNode:
        return CurriculumNode(
            code=row.code,
            title=row.title,
            depth=row.depth,
            parent_code=row.parent_code,
            plain_film=row.plain_film,
            cross_sectional=row.cross_sectional,
            acute=row.acute,
            core=row.core,
            validated_case_count=count,
            deprecated=row.deprecated,
            replaced_by_code=row.replaced_by,
        )


@strawberry.type(description="A case that still carries retired curriculum codes.")
class RetiredTagsEntry:
    row: strawberry.Private[RetiredTags]
    awaiting_validation: bool = strawberry.field(
        description="The working copy is retagged; the published version keeps the retired codes until validated."
    )

    @strawberry.field(description="The case.")
    def case(self, info: Info[Context, None]) -> Annotated[Case, strawberry.lazy("schema.cases.types")] | None:
        from schema.cases.types import Case  # the case type refers to curriculum nodes: imported late

        return Case.of(self.row.case, info.context)

    @strawberry.field(description="Its retired codes, each with the code that replaces it.")
    def retired(self, info: Info[Context, None]) -> list[CurriculumNode]:
        loader = info.context.loaders.curriculum
        return [CurriculumNode.of(n) for n in (loader.get(c) for c in self.row.codes) if n]

    @staticmethod
    def of(row: RetiredTags) -> RetiredTagsEntry:
        return RetiredTagsEntry(row=row, awaiting_validation=row.awaiting_validation)


@strawberry.type(description="Cases still tagged with retired curriculum codes.")
class RetiredCurriculumReport:
    total_count: int = strawberry.field(description="Cases in the report, of which `first` are listed.")
    entries: list[RetiredTagsEntry] = strawberry.field(description="Cases by path.")


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
        return ArchiveCoverageNode(
            code=n.code,
            title=n.title,
            depth=n.depth,
            validated_case_count=n.validated_case_count,
            by_modality=[ModalityCount(modality=m, count=c) for m, c in n.by_modality.items()],
        )
