"""The quarantine review mutation: parse the input, call one service, map the result."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from content.errors import DomainError, ErrorCode
from content.imaging.quarantine import MAX_REGIONS, Action, Region
from importers.quarantine import review
from schema.core.context import Context
from schema.core.errors import refusable
from schema.core.ids import from_global_id
from schema.quarantine.inputs import ReviewQuarantinedImageInput
from schema.quarantine.types import ReviewQuarantinedImagePayload, instance_of


@strawberry.type
class QuarantineMutation:
    @strawberry.mutation(
        description="End the hold on an image: RELEASE, REDACT (regions) or REJECT; needs Edit on its case."
    )
    @refusable(lambda errs: ReviewQuarantinedImagePayload(instance=None, errors=errs))
    def review_quarantined_image(
        self,
        info: Info[Context, None],
        input: Annotated[ReviewQuarantinedImageInput, strawberry.argument(description="One review of a held image.")],
    ) -> ReviewQuarantinedImagePayload:
        ctx = info.context
        if ctx.store is None:  # only a context built without media (some tests) lacks it
            raise DomainError(ErrorCode.INVALID_INPUT, "this server has no media store", field="instance")
        uid = from_global_id(input.instance, "Instance", field="instance")[1]
        given = input.regions or []
        if len(given) > MAX_REGIONS:  # capped before any work, as every input list is
            raise DomainError(ErrorCode.INVALID_INPUT, f"at most {MAX_REGIONS} regions", field="regions")
        regions = tuple(Region(r.x, r.y, r.width, r.height) for r in given)
        row = review(
            uid,
            Action(input.action.value),  # type: ignore[attr-defined]
            regions,
            comment=input.comment or "",
            session=ctx.session,
            principal=ctx.principal,
            store=ctx.store,
        )
        return ReviewQuarantinedImagePayload(instance=instance_of(row), errors=[])
