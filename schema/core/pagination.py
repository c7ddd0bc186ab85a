"""Relay page info shared by every connection (forward pagination: `first` and `after`)."""

from __future__ import annotations

import strawberry


@strawberry.type(description="Relay page info.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="More after this page.")
    end_cursor: str | None = strawberry.field(description="Cursor of the last edge.")
    has_previous_page: bool = strawberry.field(
        description="Edges before this page: true when the page was asked for after a cursor."
    )
    start_cursor: str | None = strawberry.field(description="Cursor of the first edge.")

    @staticmethod
    def of(cursors: list[str], *, has_next: bool, after: str | None) -> PageInfo:
        """The page info of a page whose edges have these cursors, in order, asked for after `after`."""
        return PageInfo(
            has_next_page=has_next,
            has_previous_page=after is not None,
            start_cursor=cursors[0] if cursors else None,
            end_cursor=cursors[-1] if cursors else None,
        )
