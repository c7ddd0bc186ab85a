"""A trainee's own marks on the images of the case version they report (kept with the report)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlmodel import Session

from content.annotations.check import checked
from content.annotations.geometry import ImageProbe
from content.annotations.kinds import AnnotationSpec
from content.cases.versions import version_studies
from content.imaging.image_set import instances_in


def checked_marks(
    session: Session, case_uid: str, version: int, specs: Sequence[AnnotationSpec], probe: ImageProbe | None
) -> list[dict[str, Any]]:
    """The marks as stored: on images of the reported version's image set a trainee may see."""
    studies = version_studies(session, [(case_uid, version)])[(case_uid, version)]
    instances = instances_in(session, studies, [s.instance for s in specs])
    return checked(specs, instances=instances, probe=probe, trainee=True)
