"""Types of the retired-codes report."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from content.curriculum.retired import RetiredTags
from schema.context import Context
from schema.types import Case, CurriculumNode


@strawberry.type(description="A case that still carries retired curriculum codes.")
class RetiredTagsEntry:
    row: strawberry.Private[RetiredTags]
    awaiting_validation: bool = strawberry.field(
        description="The working copy is retagged; the published version keeps the retired codes until validated.")

    @strawberry.field(description="The case.")
    def case(self, info: Info[Context, None]) -> Case | None:
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
