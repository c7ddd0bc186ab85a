"""A case's image set in GraphQL: detachStudy and setKeyImages (each a new version of the case)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from content.cases.fields import MAX_LIST_ITEMS
from content.errors import DomainError, ErrorCode
from content.imaging.image_set import detach_study, set_key_images
from schema.cases.types import Case, CasePayload
from schema.core.context import Context
from schema.core.errors import refusable
from schema.core.ids import from_global_id
from schema.imaging.inputs import DetachStudyInput, SetKeyImagesInput


@strawberry.type
class ImageMutation:
    @strawberry.mutation(
        description="Remove a study from a case: a new version (on a validated case, a working "
        "copy; trainees keep the published images until it is validated)."
    )
    @refusable(lambda errs: CasePayload(case=None, errors=errs))
    def detach_study(
        self,
        info: Info[Context, None],
        input: Annotated[DetachStudyInput, strawberry.argument(description="Take a study out of a case's image set.")],
    ) -> CasePayload:
        ctx = info.context
        case_uid = from_global_id(input.case, "Case", field="case")[1]
        study_uid = from_global_id(input.study, "Study", field="study")[1]
        row = detach_study(
            case_uid,
            study_uid,
            expected_version=input.expected_version,
            comment=input.comment or "",
            session=ctx.session,
            principal=ctx.principal,
        )
        return CasePayload(case=Case.of(row, ctx), errors=[])

    @strawberry.mutation(
        description="Choose the key images of a case: a new version (on a validated case, a working copy)."
    )
    @refusable(lambda errs: CasePayload(case=None, errors=errs))
    def set_key_images(
        self,
        info: Info[Context, None],
        input: Annotated[SetKeyImagesInput, strawberry.argument(description="Choose the key images of a case.")],
    ) -> CasePayload:
        ctx = info.context
        case_uid = from_global_id(input.case, "Case", field="case")[1]
        if len(input.instances) > MAX_LIST_ITEMS:  # refused before a single id is decoded
            raise DomainError(ErrorCode.INVALID_INPUT, f"at most {MAX_LIST_ITEMS} key images", field="instances")
        uids = [from_global_id(i, "Instance", field="instances")[1] for i in input.instances]
        row = set_key_images(
            case_uid,
            uids,
            expected_version=input.expected_version,
            comment=input.comment or "",
            session=ctx.session,
            principal=ctx.principal,
        )
        return CasePayload(case=Case.of(row, ctx), errors=[])
