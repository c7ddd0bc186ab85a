"""What an annotation is: its kinds, the points each needs, and the limits every input is held to.

Points are image pixel coordinates (column, row) of one frame of one instance, with (0, 0) the
top-left corner of the top-left pixel, as DICOM SCOORD has them; a pixel's centre is at +0.5.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any, Final


class Kind(str, Enum):
    """The shape of an annotation."""

    ARROW = "ARROW"  # tip, then tail
    ELLIPSE = "ELLIPSE"  # the two ends of one axis, then of the other (DICOM ELLIPSE); or two box corners
    LENGTH = "LENGTH"  # two ends
    ANGLE = "ANGLE"  # end, vertex, end
    TEXT = "TEXT"  # where the text is anchored
    PROBE = "PROBE"  # the pixel whose value is read


# Accepted point counts per kind (an ELLIPSE given by two box corners is stored as its four axis ends).
POINT_COUNTS: Final[dict[Kind, tuple[int, ...]]] = {
    Kind.ARROW: (2,),
    Kind.ELLIPSE: (4, 2),
    Kind.LENGTH: (2,),
    Kind.ANGLE: (3,),
    Kind.TEXT: (1,),
    Kind.PROBE: (1,),
}
MAX_ANNOTATIONS: Final = 200
MAX_TEXT: Final = 500


@dataclass(frozen=True)
class AnnotationSpec:
    """One annotation as a caller gives it: which instance (row uid) and frame, its kind, points and text."""

    instance: str
    kind: str
    points: list[list[float]]
    frame: int = 1
    text: str | None = None


@dataclass(frozen=True)
class Measurement:
    """What an annotation measures: a value with its unit, and for an ellipse the pixel statistics inside."""

    value: float
    unit: str
    mean: float | None = None
    standard_deviation: float | None = None
    pixel_unit: str | None = None  # the unit of mean and standard deviation ("HU" on CT), if known


@dataclass(frozen=True)
class Annotation:
    """One stored annotation (a dict in the case version or the report; `of` reads it back)."""

    id: str
    kind: Kind
    instance: str
    frame: int
    points: list[list[float]]
    text: str | None
    measurement: Measurement | None

    @staticmethod
    def of(raw: dict[str, Any]) -> Annotation:
        """Read one stored annotation."""
        m = raw.get("measurement")
        return Annotation(
            id=str(raw["id"]),
            kind=Kind(raw["kind"]),
            instance=str(raw["instance"]),
            frame=int(raw.get("frame") or 1),
            points=[[float(c), float(r)] for c, r in raw["points"]],
            text=raw.get("text"),
            measurement=Measurement(
                value=float(m["value"]),
                unit=str(m["unit"]),
                mean=m.get("mean"),
                standard_deviation=m.get("standard_deviation"),
                pixel_unit=m.get("pixel_unit"),
            )
            if m
            else None,
        )


def stored(raw: list[dict[str, Any]] | None) -> list[Annotation]:
    """The annotations of a version's data or a report (none when absent: older versions had none)."""
    return [Annotation.of(a) for a in raw or []]
