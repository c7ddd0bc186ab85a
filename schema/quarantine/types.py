"""Types of the quarantine review: held images, regions, the action and the payload."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from content.imaging.models import Instance as InstanceRow
from content.imaging.quarantine import Action, HeldImage
from media.urls import rendered_url
from schema.cases.types import Case
from schema.core.context import Context
from schema.core.enums import describe_values
from schema.core.errors import Error
from schema.core.ids import to_global_id
from schema.core.pagination import PageInfo
from schema.imaging.types import Instance

QuarantineAction = strawberry.enum(
    Action,
    name="QuarantineAction",
    description=(
        "RELEASE keeps the pixels as they are; REDACT blanks the regions in every frame into a new "
        "de-identified instance; REJECT removes the image."
    ),
)

describe_values(
    QuarantineAction,
    {
        "RELEASE": "Keep the pixels as they are and release the image.",
        "REDACT": "Blank the given regions in every frame, into a new de-identified instance.",
        "REJECT": "Remove the image.",
    },
)


@strawberry.type(description="A rectangle in the stored image's pixel coordinates (x right, y down).")
class Region:
    x: int = strawberry.field(description="Left edge, in pixels from the image's left.")
    y: int = strawberry.field(description="Top edge, in pixels from the image's top.")
    width: int = strawberry.field(description="Width in pixels.")
    height: int = strawberry.field(description="Height in pixels.")


@strawberry.type(description="An image held for possible burned-in text, waiting for a person's review.")
class QuarantinedImage:
    id: strawberry.ID = strawberry.field(description="The instance's id (give it to reviewQuarantinedImage).")
    quarantine_reason: str | None = strawberry.field(description="Why the image is held.")
    rendered_url: str = strawberry.field(description="URL of the rendered image (full size without ?size=).")
    rows: int | None = strawberry.field(description="Rows (image height in pixels).")
    columns: int | None = strawberry.field(description="Columns (image width in pixels).")
    frame_count: int = strawberry.field(description="Frames; a redaction blanks every one.")
    proposed_regions: list[Region] = strawberry.field(
        description="Where OCR read text in the first frame: proposals to check, not a verdict."
    )
    case_row: strawberry.Private[object]

    @strawberry.field(description="The case the image belongs to.")
    def case(self, info: Info[Context, None]) -> Case | None:
        return Case.of(self.case_row, info.context)  # type: ignore[arg-type]

    @staticmethod
    def of(held: HeldImage) -> QuarantinedImage:
        row = held.instance
        return QuarantinedImage(
            id=strawberry.ID(to_global_id("Instance", row.uid)),
            quarantine_reason=row.quarantine_reason,
            rendered_url=rendered_url(row),
            rows=row.rows,
            columns=row.columns,
            frame_count=row.frames,
            proposed_regions=[
                Region(x=r["x"], y=r["y"], width=r["width"], height=r["height"]) for r in row.proposed_regions or []
            ],
            case_row=held.case,
        )


@strawberry.type(description="An edge to a held image.")
class QuarantinedImageEdge:
    cursor: str = strawberry.field(description="Cursor.")
    node: QuarantinedImage = strawberry.field(description="The held image.")


@strawberry.type(description="A page of held images, grouped by case.")
class QuarantinedImageConnection:
    total_count: int = strawberry.field(description="Held images the caller may review, in all.")
    edges: list[QuarantinedImageEdge] = strawberry.field(description="Edges.")
    page_info: PageInfo = strawberry.field(description="Paging.")


@strawberry.type(description="Result of reviewQuarantinedImage.")
class ReviewQuarantinedImagePayload:
    instance: Instance | None = strawberry.field(
        description="The image after the review (a redacted image is a new instance); null once rejected."
    )
    errors: list[Error] = strawberry.field(description="Why it failed.")


def instance_of(row: InstanceRow | None) -> Instance | None:
    return Instance.of(row) if row is not None else None
