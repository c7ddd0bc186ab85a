"""Relay page info shared by every connection."""

from __future__ import annotations

import strawberry


@strawberry.type(description="Relay page info.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="More after this page.")
    end_cursor: str | None = strawberry.field(description="Cursor of the last edge.")
