"""Query-string values (contract/HTTP.md) -> RenderOptions, refusing bad ones with a reason.

Values arrive as raw strings so that every refusal, even "size=abc", carries the same
coded error (INVALID_INPUT with the offending field) as RenderOptions' own checks.
"""

from __future__ import annotations

from media.encode import check_format
from media.errors import ErrorCode, RenderError
from media.render import RenderOptions


def _integer(field: str, text: str) -> int:
    try:
        return int(text.strip())
    except ValueError as exc:
        raise RenderError(ErrorCode.INVALID_INPUT, f"{field} must be a whole number", field=field) from exc


def parse_window(text: str) -> tuple[float, float]:
    """`CENTER,WIDTH`, e.g. `40,80` or `-600,1500`."""
    centre, comma, width = text.partition(",")
    try:
        if not comma:
            raise ValueError(text)
        return float(centre), float(width)
    except ValueError as exc:
        raise RenderError(ErrorCode.INVALID_INPUT, "window is CENTER,WIDTH, e.g. 40,80", field="window") from exc


def render_options(
    *,
    size: str | None = None,
    frame: str | None = None,
    window: str | None = None,
    preset: str | None = None,
    fmt: str | None = None,
) -> RenderOptions:
    """Options for one rendered image; empty strings count as absent (`?size=` from a form)."""
    return RenderOptions(
        size=_integer("size", size) if size else None,
        frame=_integer("frame", frame) if frame else 1,
        window=parse_window(window) if window else None,
        preset=preset.strip().lower() if preset else None,
        format=check_format(fmt.strip().lower()) if fmt else "webp",
    )
