"""Ending a quarantine: the checks and the audit are content's (content.imaging.quarantine), the
pixels and the store are done here, because content may not import media.

REDACT writes the blanked object before the database points at it and deletes the burned-in
original only after that commit: a failure in between leaves either the held original (nothing
changed) or an unreferenced redacted blob, never a case without its image. Series previews are
re-rendered once an image may be shown (previews never include a held one).
"""

from __future__ import annotations

import logging

from pydicom.uid import generate_uid
from sqlmodel import Session

from content.imaging import quarantine as review_rules
from content.imaging import service as imaging
from content.imaging.models import Instance
from content.imaging.quarantine import Action, HeldImage, Region
from content.principal import Principal
from importers.series_previews import build_previews
from media.redact import redacted_bytes
from media.store import ContentStore

log = logging.getLogger(__name__)


def held(*, session: Session, principal: Principal) -> list[HeldImage]:
    """The images held in quarantine that the caller may review."""
    return review_rules.held_images(session=session, principal=principal)


def review(
    instance_uid: str,
    action: Action,
    regions: tuple[Region, ...] = (),
    *,
    comment: str = "",
    session: Session,
    principal: Principal,
    store: ContentStore,
) -> Instance | None:
    """Release, redact or reject a held image; the instance after it (None once rejected)."""
    pending = review_rules.open_review(instance_uid, action, regions, session=session, principal=principal)
    if action is Action.RELEASE:
        instance = review_rules.release(pending, comment=comment, session=session, principal=principal)
        _refresh_previews(instance.series_uid, session=session, store=store)
        return instance
    if action is Action.REDACT:
        sop_instance_uid = generate_uid(prefix=None)  # 2.25.<random>: a new object, unrelated to the old
        data = redacted_bytes(store.get(pending.instance.file_key), regions, sop_instance_uid=sop_instance_uid)
        new_key = store.put(data)
        try:
            old_key = review_rules.record_redaction(
                pending,
                sop_instance_uid=sop_instance_uid,
                file_key=new_key,
                size_bytes=len(data),
                comment=comment,
                session=session,
                principal=principal,
            )
        except BaseException:
            session.rollback()
            _forget(new_key, session=session, store=store)
            raise
        _forget(old_key, session=session, store=store)
        redacted = session.get(Instance, instance_uid)
        assert redacted is not None
        _refresh_previews(redacted.series_uid, session=session, store=store)
        return redacted
    old_key, series_uid = review_rules.reject(pending, comment=comment, session=session, principal=principal)
    _forget(old_key, session=session, store=store)
    if series_uid is not None:
        _refresh_previews(series_uid, session=session, store=store)
    return None


def release(
    instance_uid: str, *, comment: str = "", session: Session, principal: Principal, store: ContentStore
) -> Instance:
    """Release a held image unchanged; the instance, visible again."""
    instance = review(instance_uid, Action.RELEASE, comment=comment, session=session, principal=principal, store=store)
    assert instance is not None
    return instance


def _forget(file_key: str, *, session: Session, store: ContentStore) -> None:
    """Delete a blob nothing points at any more. Renditions of a held image were never cached
    (api.media_routes), and previews never include one, so the blob is the only copy."""
    if review_rules.file_key_in_use(file_key, session=session):
        return
    try:
        store.discard(file_key)
    except OSError:
        log.exception("could not delete blob %s; delete it by hand: it may hold burned-in text", file_key)


def _refresh_previews(series_uid: str, *, session: Session, store: ContentStore) -> None:
    keys = build_previews(store, [i.file_key for i in imaging.showable_instances(series_uid, session=session)])
    imaging.set_series_previews(
        series_uid, thumbnail_key=keys.thumbnail, montage_key=keys.montage, cine_key=keys.cine, session=session
    )
