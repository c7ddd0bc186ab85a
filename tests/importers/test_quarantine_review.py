"""Quarantine review end to end on real files: redaction blanks every frame and keeps no copy of
the burned-in pixels, release and reject end the hold, bad reviews write nothing, OCR holds CR."""

from __future__ import annotations

import dataclasses
import io
import subprocess
from pathlib import Path

import numpy as np
import pydicom
import pytest
from PIL import Image, ImageDraw, ImageFont
from pydicom.uid import generate_uid
from sqlmodel import Session, select

from api.db import SessionFactory
from content.audit import AuditEvent
from content.cases.service import get_case
from content.cases.transitions import transition
from content.errors import DomainError, ErrorCode
from content.imaging.image_set import detach_study
from content.imaging.models import Instance, Series, Study
from content.imaging.quarantine import Action, Region
from content.principal import Principal
from importers.quarantine import review
from media.store import ContentStore
from tests.content.factories import person
from tests.importers.conftest import _find
from tests.importers.importing import copy_real, make_collection, run_import


@pytest.fixture
def store(tmp_path: Path) -> ContentStore:
    return ContentStore(tmp_path / "media")


def _people(sessions: SessionFactory) -> tuple[Principal, Principal, Principal]:
    with sessions.scope() as session:
        _, trainer = person(session, "trainer", "trainer")
        _, trainee = person(session, "registrar", "trainee")
        _, other = person(session, "contributor", "contributor")
    return trainer, trainee, other


def _held(session: Session) -> Instance:
    return session.exec(select(Instance).where(Instance.quarantined == True)).one()  # noqa: E712


def _case_uid(session: Session, instance: Instance) -> str:
    series = session.get(Series, instance.series_uid)
    assert series is not None
    study = session.get(Study, series.study_uid)
    assert study is not None
    return study.case_uid


def _all_bytes(root: Path) -> list[tuple[Path, bytes]]:
    return [(p, p.read_bytes()) for p in sorted(root.rglob("*")) if p.is_file()]


def _searchable(data: bytes) -> bytes:
    """A stored file's bytes without palette lookup tables: a table is a smooth run of values
    that can spell any row of a smooth image, so it would match without holding any pixel."""
    if data[128:132] != b"DICM":
        return data
    for elem in pydicom.dcmread(io.BytesIO(data), force=True).iterall():
        if "PaletteColorLookupTableData" in elem.keyword and isinstance(elem.value, bytes):
            data = data.replace(elem.value, b"")
    return data


def _frames(ds: pydicom.Dataset) -> np.ndarray:
    pixels = ds.pixel_array
    return pixels if int(ds.get("NumberOfFrames") or 1) > 1 else pixels[np.newaxis]


def test_redaction_blanks_every_frame_and_keeps_no_copy_of_the_burned_in_pixels(
    sessions: SessionFactory, store: ContentStore, tmp_path: Path
) -> None:
    """A two-frame palette ultrasound (native, so its stored bytes are its pixels): the OCR proposals
    are redacted; every frame is blank there, dcmtk reads the result, and no stored file anywhere
    (blobs, previews, renditions) still holds a row of the original region's bytes."""
    trainer, _, _ = _people(sessions)
    run_import(
        sessions, store, copy_real(tmp_path / "in", "OBXXXX1A_2frame.dcm"), make_collection(sessions), principal=trainer
    )
    with sessions.scope() as session:
        held = _held(session)
        assert held.frames == 2 and held.quarantine_reason == "ultrasound without BurnedInAnnotation NO"
        proposals = [Region(**r) for r in held.proposed_regions]
        assert len(proposals) >= 3  # "Gen", "Cist", "28Hz", ... in the top left overlay
        assert all(r.x + r.width <= (held.columns or 0) and r.y + r.height <= (held.rows or 0) for r in proposals)
        original = pydicom.dcmread(store.path_for(held.file_key))
        old_key, old_sop, uid = held.file_key, held.sop_instance_uid, held.uid
    frames = _frames(original)
    # What a reviewer draws besides the proposals: the vendor's header band (date, time, study
    # number) and the settings column, whose short words ("C 61") OCR leaves out.
    drawn = [Region(0, 0, 800, 58), Region(0, 60, 330, 210)]
    regions = tuple(proposals + drawn)
    # Each stored row (8-bit indices) of the drawn boxes that crosses text: what must not survive.
    secrets = {
        frames[f, r.y + dy, r.x : r.x + r.width].tobytes()
        for f in range(frames.shape[0])
        for r in drawn
        for dy in range(r.height)
    }
    secrets = {s for s in secrets if min(s) < 64 and sum(v > 127 for v in s) >= 4}  # rows crossing glyphs
    assert len(secrets) > 50
    assert any(s in store.get(old_key) for s in secrets)  # the check can fail: the original holds them

    with sessions.scope() as session:
        after = review(
            uid, Action.REDACT, regions, comment="names blanked", session=session, principal=trainer, store=store
        )
        assert after is not None and not after.quarantined and after.uid == uid
        assert after.sop_instance_uid != old_sop and after.file_key != old_key
        new_key = after.file_key
        series = session.get(Series, after.series_uid)
        assert series is not None and series.thumbnail_key and store.has(series.thumbnail_key)  # now previewed
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "instance.redact")).one()
        assert event.actor_name == "trainer" and event.detail["instance"] == uid
        assert event.detail["regions"] == [r.as_dict() for r in regions]

    assert not store.has(old_key)
    redacted = pydicom.dcmread(store.path_for(new_key))
    assert redacted.SOPInstanceUID == redacted.file_meta.MediaStorageSOPInstanceUID != old_sop
    assert redacted.BurnedInAnnotation == "NO" and redacted.PatientIdentityRemoved == "YES"
    blank = _frames(redacted)
    assert blank.shape == frames.shape
    for r in regions:
        region = blank[:, r.y : r.y + r.height, r.x : r.x + r.width]
        assert (region == region.flat[0]).all()  # one value in every frame
    outside = np.ones(frames.shape[1:], bool)
    for r in regions:
        outside[r.y : r.y + r.height, r.x : r.x + r.width] = False
    assert (blank[:, outside] == frames[:, outside]).all()  # nothing else touched

    dump = subprocess.run(["dcmdump", "+M", str(store.path_for(new_key))], capture_output=True, text=True)
    assert dump.returncode == 0 and "BurnedInAnnotation" in dump.stdout and "[NO]" in dump.stdout
    converted = subprocess.run(
        ["dcmj2pnm", "+on", "+Fa", str(store.path_for(new_key)), str(tmp_path / "redacted")],
        capture_output=True,
        text=True,
    )
    assert converted.returncode == 0, converted.stderr
    for frame in range(frames.shape[0]):  # as dcmtk renders it, each frame is blank there too
        shown = np.asarray(Image.open(tmp_path / f"redacted.{frame}.png"))
        assert shown.shape[:2] == frames.shape[1:]
        for r in regions:
            box = shown[r.y : r.y + r.height, r.x : r.x + r.width]
            assert (box == box.reshape(-1, *box.shape[2:])[0]).all()

    leaks = [path for path, data in _all_bytes(store.root) for s in secrets if s in _searchable(data)]
    assert not leaks, f"burned-in pixels still stored in {sorted(set(leaks))}"


def test_redaction_of_a_compressed_30_frame_clip_blanks_every_frame(
    sessions: SessionFactory, store: ContentStore, tmp_path: Path
) -> None:
    trainer, _, _ = _people(sessions)
    run_import(
        sessions,
        store,
        copy_real(tmp_path / "in", "examples_ybr_color.dcm"),
        make_collection(sessions),
        principal=trainer,
    )
    region = Region(x=0, y=0, width=120, height=30)
    with sessions.scope() as session:
        held = _held(session)
        assert held.frames == 30
        after = review(held.uid, Action.REDACT, (region,), session=session, principal=trainer, store=store)
        assert after is not None
        path = store.path_for(after.file_key)
    frames = _frames(pydicom.dcmread(path))
    assert frames.shape[0] == 30
    assert (frames[:, :30, :120] == 0).all() and frames[:, 30:, 120:].any()
    assert subprocess.run(["dcmdump", str(path)], capture_output=True).returncode == 0
    assert (
        subprocess.run(["dcmj2pnm", "+on", "+Fa", str(path), str(tmp_path / "f")], capture_output=True).returncode == 0
    )
    assert len(list(tmp_path.glob("f.*.png"))) == 30


def test_a_held_image_blocks_submit_until_it_is_released(
    sessions: SessionFactory, store: ContentStore, tmp_path: Path
) -> None:
    trainer, _, _ = _people(sessions)
    run_import(
        sessions, store, copy_real(tmp_path / "in", "US1_UNCR.dcm"), make_collection(sessions), principal=trainer
    )
    with sessions.scope() as session:
        held = _held(session)
        case_uid = _case_uid(session, held)
        with pytest.raises(DomainError, match="burned-in text"):
            transition(case_uid, "SUBMIT", session=session, principal=trainer)
        session.rollback()
        released = review(held.uid, Action.RELEASE, comment="checked", session=session, principal=trainer, store=store)
        assert released is not None and not released.quarantined and store.has(released.file_key)
        assert transition(case_uid, "SUBMIT", session=session, principal=trainer).state == "SUBMITTED"
        assert session.exec(select(AuditEvent).where(AuditEvent.action == "instance.release")).one()


def _held_us_beside_an_mr(sessions: SessionFactory, store: ContentStore, tmp_path: Path) -> Principal:
    """A draft case with a held ultrasound (its own study) and a clean MR; returns its trainer."""
    trainer, _, _ = _people(sessions)
    run_import(
        sessions,
        store,
        copy_real(tmp_path / "in", "US1_UNCR.dcm", "MR_small.dcm"),
        make_collection(sessions),
        principal=trainer,
    )
    return trainer


def test_reject_removes_the_image_its_blob_and_its_empty_series(
    sessions: SessionFactory, store: ContentStore, tmp_path: Path
) -> None:
    trainer = _held_us_beside_an_mr(sessions, store, tmp_path)
    with sessions.scope() as session:
        held = _held(session)
        key, case_uid = held.file_key, _case_uid(session, held)
        assert review(held.uid, Action.REJECT, session=session, principal=trainer, store=store) is None
        assert session.get(Instance, held.uid) is None and not store.has(key)
        assert len(session.exec(select(Series)).all()) == 1  # the MR's series is left; the US's went
        assert transition(case_uid, "SUBMIT", session=session, principal=trainer).state == "SUBMITTED"
        assert session.exec(select(AuditEvent).where(AuditEvent.action == "instance.reject")).one()


def test_a_held_image_in_a_detached_study_no_longer_blocks_submit(
    sessions: SessionFactory, store: ContentStore, tmp_path: Path
) -> None:
    trainer = _held_us_beside_an_mr(sessions, store, tmp_path)
    with sessions.scope() as session:
        held = _held(session)
        case_uid = _case_uid(session, held)
        series = session.get(Series, held.series_uid)
        assert series is not None
        with pytest.raises(DomainError, match="burned-in text"):
            transition(case_uid, "SUBMIT", session=session, principal=trainer)
        session.rollback()
        case = get_case(case_uid, session=session, principal=trainer)
        detach_study(case_uid, series.study_uid, expected_version=case.version, session=session, principal=trainer)
        # The held image is still stored (older versions list its study) but is not submitted.
        assert session.get(Instance, held.uid) is not None
        assert transition(case_uid, "SUBMIT", session=session, principal=trainer).state == "SUBMITTED"


def _snapshot(sessions: SessionFactory, store: ContentStore) -> tuple[object, ...]:
    with sessions.scope() as session:
        rows = tuple((i.uid, i.file_key, i.sop_instance_uid, i.quarantined) for i in session.exec(select(Instance)))
        audits = len(session.exec(select(AuditEvent)).all())
    return rows, audits, tuple(p for p, _ in _all_bytes(store.root))


@pytest.mark.parametrize(
    ("who", "action", "regions", "code"),
    [
        ("trainer", Action.REDACT, (Region(600, 0, 50, 10),), ErrorCode.INVALID_INPUT),  # past the right edge
        ("trainer", Action.REDACT, (Region(-1, 0, 5, 5),), ErrorCode.INVALID_INPUT),
        ("trainer", Action.REDACT, (Region(0, 0, 0, 5),), ErrorCode.INVALID_INPUT),
        ("trainer", Action.REDACT, (), ErrorCode.INVALID_INPUT),
        ("trainer", Action.RELEASE, (Region(0, 0, 5, 5),), ErrorCode.INVALID_INPUT),
        ("trainee", Action.RELEASE, (), ErrorCode.NOT_FOUND),  # a trainee does not even see a draft case
        ("contributor", Action.REJECT, (), ErrorCode.NOT_FOUND),  # may not see another's draft
        ("read token", Action.RELEASE, (), ErrorCode.FORBIDDEN),  # the trainer's read-only token sees, may not edit
    ],
)
def test_a_bad_review_is_a_coded_error_and_writes_nothing(
    sessions: SessionFactory,
    store: ContentStore,
    tmp_path: Path,
    who: str,
    action: Action,
    regions: tuple[Region, ...],
    code: ErrorCode,
) -> None:
    trainer, trainee, contributor = _people(sessions)
    principal = {
        "trainer": trainer,
        "trainee": trainee,
        "contributor": contributor,
        "read token": dataclasses.replace(trainer, token_scope="read"),
    }[who]
    run_import(
        sessions, store, copy_real(tmp_path / "in", "US1_UNCR.dcm"), make_collection(sessions), principal=trainer
    )
    with sessions.scope() as session:
        uid = _held(session).uid
    before = _snapshot(sessions, store)
    with sessions.scope() as session, pytest.raises(DomainError) as refused:
        review(uid, action, regions, session=session, principal=principal, store=store)
    assert refused.value.code is code
    assert _snapshot(sessions, store) == before


def test_an_unknown_or_already_reviewed_instance_is_refused(
    sessions: SessionFactory, store: ContentStore, tmp_path: Path
) -> None:
    trainer, _, _ = _people(sessions)
    run_import(
        sessions, store, copy_real(tmp_path / "in", "US1_UNCR.dcm"), make_collection(sessions), principal=trainer
    )
    with sessions.scope() as session:
        with pytest.raises(DomainError) as unknown:
            review("0" * 32, Action.RELEASE, session=session, principal=trainer, store=store)
        assert unknown.value.code is ErrorCode.NOT_FOUND
        uid = _held(session).uid
        review(uid, Action.RELEASE, session=session, principal=trainer, store=store)
    before = _snapshot(sessions, store)
    with sessions.scope() as session, pytest.raises(DomainError) as stale:
        review(uid, Action.REDACT, (Region(0, 0, 10, 10),), session=session, principal=trainer, store=store)
    assert stale.value.code is ErrorCode.VERSION_CONFLICT
    assert _snapshot(sessions, store) == before


def _stamped_radiograph(folder: Path) -> Path:
    """A real chest radiograph with a name and date stamped into its pixels, as a CR console does."""
    ds = pydicom.dcmread(_find("RG3_UNCR.dcm"))
    pixels = ds.pixel_array.copy()
    label = Image.new("L", (900, 120), 0)
    ImageDraw.Draw(label).text((10, 10), "DOE JOHN 12/03/1961", fill=255, font=ImageFont.load_default(size=80))
    mask = np.asarray(label) > 128
    pixels[60:180, 60:960][mask] = pixels.max()  # MONOCHROME1: the highest value shows black, on white
    ds.PixelData = pixels.tobytes()
    for keyword in ("StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID"):
        setattr(ds, keyword, generate_uid())
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    folder.mkdir(parents=True, exist_ok=True)
    ds.save_as(folder / "stamped.dcm")
    return folder / "stamped.dcm"


def test_ocr_holds_a_radiograph_with_burned_in_text_and_not_one_without(
    sessions: SessionFactory, store: ContentStore, tmp_path: Path
) -> None:
    trainer, _, _ = _people(sessions)
    sources = [_stamped_radiograph(tmp_path / "in"), *copy_real(tmp_path / "in", "RG3_UNCR.dcm", "RG1_UNCR.dcm")]
    run_import(sessions, store, sources, make_collection(sessions), principal=trainer)
    with sessions.scope() as session:
        rows = session.exec(select(Instance)).all()
        held = [i for i in rows if i.quarantined]
        # RG3's lone "R" marker and the letters OCR imagines in RG1's lungs hold nothing.
        assert len(rows) == 3 and len(held) == 1
        assert held[0].quarantine_reason and held[0].quarantine_reason.startswith("text found in the pixels by OCR")
        boxes = held[0].proposed_regions
        assert boxes and all(b["x"] >= 50 and b["x"] + b["width"] <= 980 and 50 <= b["y"] <= 190 for b in boxes)
        ds = pydicom.dcmread(io.BytesIO(store.get(held[0].file_key)))
        assert ds.Modality == "CR"


def test_an_ultrasound_whose_header_says_no_is_held_when_ocr_reads_text(
    sessions: SessionFactory, store: ContentStore, tmp_path: Path
) -> None:
    """pydicom-data's echo says BurnedInAnnotation NO, and shows "Adult Echo" and the heart rate."""
    trainer, _, _ = _people(sessions)
    source = copy_real(tmp_path / "in", "JPGLosslessP14SV1_1s_1f_8b.dcm")
    assert pydicom.dcmread(source[0], stop_before_pixels=True).BurnedInAnnotation == "NO"
    run_import(sessions, store, source, make_collection(sessions), principal=trainer)
    with sessions.scope() as session:
        held = _held(session)
        assert held.quarantine_reason and held.quarantine_reason.startswith("text found in the pixels by OCR")
        assert any(r["y"] < 60 for r in held.proposed_regions)  # the top-left label block
