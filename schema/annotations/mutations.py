"""saveAnnotations: a case's arrows, ellipses and measurements, saved as a new version."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from content.annotations.service import save_annotations
from integrations.annotations.probe import StoreProbe
from schema.annotations.inputs import SaveAnnotationsInput
from schema.annotations.parse import specs
from schema.cases.types import Case, CasePayload
from schema.core.context import Context
from schema.core.errors import refusable
from schema.core.ids import from_global_id


@strawberry.type
class AnnotationMutation:
    @strawberry.mutation(
        description="Replace the annotations of a case: a new version (on a validated case, a working copy); "
        "a stale expectedVersion is VERSION_CONFLICT, a mark off the case's images NOT_FOUND or INVALID_INPUT."
    )
    @refusable(lambda errs: CasePayload(case=None, errors=errs))
    def save_annotations(
        self,
        info: Info[Context, None],
        input: Annotated[
            SaveAnnotationsInput,
            strawberry.argument(description="The case, the version edited and every annotation it should have."),
        ],
    ) -> CasePayload:
        ctx = info.context
        case_uid = from_global_id(input.case, "Case", field="case")[1]
        row = save_annotations(
            case_uid,
            specs(input.annotations),
            expected_version=input.expected_version,
            comment=input.comment or "",
            probe=StoreProbe(ctx.store) if ctx.store is not None else None,
            session=ctx.session,
            principal=ctx.principal,
        )
        return CasePayload(case=Case.of(row, ctx), errors=[])
