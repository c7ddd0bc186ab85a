"""AnnotationInput to the domain's AnnotationSpec (ids decoded, the list capped before any decoding)."""

from __future__ import annotations

from collections.abc import Sequence

from content.annotations.kinds import MAX_ANNOTATIONS, AnnotationSpec, Kind
from content.errors import DomainError, ErrorCode
from schema.annotations.inputs import AnnotationInput
from schema.core.ids import from_global_id


def specs(items: Sequence[AnnotationInput]) -> list[AnnotationSpec]:
    """The annotations as the services take them."""
    if len(items) > MAX_ANNOTATIONS:
        raise DomainError(ErrorCode.INVALID_INPUT, f"at most {MAX_ANNOTATIONS} annotations", field="annotations")
    return [
        AnnotationSpec(
            instance=from_global_id(i.instance, "Instance", field="annotations")[1],
            kind=Kind(i.kind).value,
            points=[list(p) for p in i.points],
            frame=i.frame,
            text=i.text,
        )
        for i in items
    ]
