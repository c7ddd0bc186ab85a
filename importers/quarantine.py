"""Releasing an image from quarantine, and re-rendering its series' previews to include it.

The permission check and the audit record are content's (release_instance); previews are
media work, which content may not import, so this thin step lives with the importers.
"""

from __future__ import annotations

from sqlmodel import Session

from content.imaging import service as imaging
from content.imaging.models import Instance
from content.principal import Principal
from importers.series_previews import build_previews
from media.store import ContentStore


def release(instance_uid: str, *, comment: str = "", session: Session, principal: Principal,
            store: ContentStore) -> Instance:
    instance = imaging.release_instance(instance_uid, comment=comment, session=session, principal=principal)
    series = imaging.series_of_instance(instance.uid, session=session)
    keys = build_previews(store, [i.file_key for i in imaging.showable_instances(series.uid, session=session)])
    imaging.set_series_previews(series.uid, thumbnail_key=keys.thumbnail, montage_key=keys.montage,
                                cine_key=keys.cine, session=session)
    return instance
