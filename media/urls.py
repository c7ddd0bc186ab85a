"""The /media URLs that GraphQL fields return, built from imaging rows.

URLs carry the random 32-hex uids of instances and series (content.base.new_uid), so they
cannot be guessed from DICOM UIDs; the routes check permission on every request anyway.
The last path segment is a version tag: renders and previews are served with a year-long
`immutable` Cache-Control, so a URL must change whenever its bytes could (a new preview,
a new original, a new renderer). The routes accept any tag and serve the current bytes.
"""

from __future__ import annotations

import hashlib
from typing import Final, Literal

from content.imaging.models import Instance, Series
from media.render import RENDERER_VERSION

PREFIX: Final = "/media"
PreviewKind = Literal["thumbnail", "preview", "cine"]
_TAG_LENGTH: Final = 16


def _tag(*parts: object) -> str:
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:_TAG_LENGTH]


def rendered_url(instance: Instance) -> str:
    """One instance rendered; callers append ?size=&frame=&window=|preset=&format=."""
    return f"{PREFIX}/instances/{instance.uid}/rendered/{_tag(instance.file_key, RENDERER_VERSION)}"


def original_url(instance: Instance) -> str:
    """The de-identified DICOM file (editors only)."""
    return f"{PREFIX}/instances/{instance.uid}/original"


def _preview_url(series: Series, kind: PreviewKind, key: str | None) -> str | None:
    if not key:
        return None
    return f"{PREFIX}/series/{series.uid}/{kind}/{key[:_TAG_LENGTH]}"


def thumbnail_url(series: Series) -> str | None:
    """The URL of a series' thumbnail, or None until it is built."""
    return _preview_url(series, "thumbnail", series.thumbnail_key)


def preview_url(series: Series) -> str | None:
    """The montage (contact sheet) of the series."""
    return _preview_url(series, "preview", series.montage_key)


def cine_url(series: Series) -> str | None:
    """The animated WebP through the series."""
    return _preview_url(series, "cine", series.cine_key)
