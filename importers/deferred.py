"""Previews rendered after the import's commit, by a job (jobs/): the study is found again by its
de-identified Study Instance UID and each series rendered from what it may show."""

from __future__ import annotations

from sqlmodel import Session

from content.imaging import service as imaging
from importers.series_previews import build_previews
from media.store import ContentStore


def render_study_previews(study_instance_uid: str, *, session: Session, store: ContentStore) -> int:
    """Render and record the previews of every series of a stored study; how many series.

    Idempotent: previews are content-addressed, so a retried or repeated job writes the same keys.
    """
    series_uids = imaging.series_of_study(study_instance_uid, session=session)
    for series_uid in series_uids:
        keys = build_previews(store, [i.file_key for i in imaging.showable_instances(series_uid, session=session)])
        imaging.set_series_previews(
            series_uid, thumbnail_key=keys.thumbnail, montage_key=keys.montage, cine_key=keys.cine, session=session
        )
    return len(series_uids)
