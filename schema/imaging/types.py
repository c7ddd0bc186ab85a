"""A case's DICOM studies, series and instances, de-identified."""

from __future__ import annotations

from typing import Annotated

import strawberry

from content.errors import DomainError, ErrorCode
from content.imaging.answer_attributes import shown_text
from content.imaging.models import Instance as InstanceRow
from content.imaging.tree import SeriesView
from media.urls import cine_url, preview_url, rendered_url, thumbnail_url
from schema.core.ids import to_global_id
from schema.core.node import Node
from schema.core.pagination import PageInfo


@strawberry.type(description="One instance (image) of a series.")
class Instance(Node):
    instance_number: int | None = strawberry.field(description="InstanceNumber.")
    rendered_url: str | None = strawberry.field(
        description="URL of the rendered image; add size, frame, window or preset, format (contract/HTTP.md)."
    )
    frame_count: int = strawberry.field(description="Frames in the instance (multi-frame images have more than 1).")
    rows: int | None = strawberry.field(description="Rows (image height in pixels).")
    columns: int | None = strawberry.field(description="Columns (image width in pixels).")
    quarantined: bool = strawberry.field(
        description="Held for a person to check for burned-in text; only editors ever see such instances."
    )
    quarantine_reason: str | None = strawberry.field(description="Why the instance is held.")
    sop_instance_uid: str = strawberry.field(
        description="SOPInstanceUID (de-identified), the instance's key in /dicomweb (WADO-RS) for a DICOM viewer."
    )

    @staticmethod
    def of(row: InstanceRow) -> Instance:
        return Instance(
            id=strawberry.ID(to_global_id("Instance", row.uid)),
            instance_number=row.instance_number,
            rendered_url=rendered_url(row),
            frame_count=row.frames,
            rows=row.rows,
            columns=row.columns,
            quarantined=row.quarantined,
            quarantine_reason=row.quarantine_reason,
            sop_instance_uid=row.sop_instance_uid,
        )


@strawberry.type(description="An edge to an instance.")
class InstanceEdge:
    cursor: str = strawberry.field(description="Cursor.")
    node: Instance = strawberry.field(description="The instance.")


@strawberry.type(description="A page of instances.")
class InstanceConnection:
    edges: list[InstanceEdge] = strawberry.field(description="Edges.")
    page_info: PageInfo = strawberry.field(description="Pagination.")


@strawberry.type(description="A DICOM series of a study.")
class Series(Node):
    description: str = strawberry.field(description="SeriesDescription.")
    modality: str | None = strawberry.field(description="Modality.")
    body_part: str | None = strawberry.field(description="BodyPartExamined.")
    instance_count: int = strawberry.field(description="Number of instances.")
    thumbnail_url: str | None = strawberry.field(description="Thumbnail URL.")
    preview_url: str | None = strawberry.field(description="Montage URL.")
    cine_url: str | None = strawberry.field(description="Cine URL.")
    dicomweb_path: str | None = strawberry.field(
        default=None,
        description="Path of the series in /dicomweb (studies/{study}/series/{series}, de-identified UIDs) "
        "for a WADO-RS viewer; /dicomweb serves it once the case is validated, with the same permissions.",
    )
    rows: strawberry.Private[list[InstanceRow]]

    @strawberry.field(description="Instances in display order (geometry, then InstanceNumber); first at most 1000.")
    def instances(
        self,
        first: Annotated[int, strawberry.argument(description="How many instances, 1 to 1000.")] = 100,
        after: Annotated[str | None, strawberry.argument(description="Cursor of the edge to start after.")] = None,
    ) -> InstanceConnection:
        if not 1 <= first <= 1000:
            raise DomainError(ErrorCode.INVALID_INPUT, "first must be between 1 and 1000", field="first")
        start = 0
        if after is not None:
            try:
                start = int(after) + 1
            except ValueError:
                raise DomainError(ErrorCode.INVALID_INPUT, "unknown cursor", field="after") from None
        chosen = self.rows[start : start + first]
        edges = [InstanceEdge(cursor=str(start + i), node=Instance.of(r)) for i, r in enumerate(chosen)]
        return InstanceConnection(
            edges=edges,
            page_info=PageInfo.of(
                [e.cursor for e in edges], has_next=start + len(chosen) < len(self.rows), after=after
            ),
        )

    @staticmethod
    def of(view: SeriesView, *, blind: bool = False, study_instance_uid: str | None = None) -> Series:
        s = view.series
        return Series(
            id=strawberry.ID(to_global_id("Series", s.uid)),
            description=shown_text("SeriesDescription", s.description, blind=blind),
            modality=s.modality,
            body_part=s.body_part,
            instance_count=len(view.instances),
            thumbnail_url=thumbnail_url(s) if view.previews_visible else None,
            preview_url=preview_url(s) if view.previews_visible else None,
            cine_url=cine_url(s) if view.previews_visible else None,
            dicomweb_path=(
                f"/dicomweb/studies/{study_instance_uid}/series/{s.series_instance_uid}" if study_instance_uid else None
            ),
            rows=view.instances,
        )


@strawberry.type(description="A DICOM study of a case (de-identified).")
class Study(Node):
    description: str = strawberry.field(description="StudyDescription.")
    modality: str | None = strawberry.field(description="Main modality.")
    study_date: str | None = strawberry.field(description="Shifted StudyDate.")
    series: list[Series] = strawberry.field(description="Series of the study.")
