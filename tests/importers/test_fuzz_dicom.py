"""Fuzzing the ways in: real DICOM files, damaged at random (bytes flipped, files cut short, tags,
lengths and VRs corrupted, chunks shuffled, attributes given impossible values), fed to the
importer and to the renderer.

Whatever the damage, the importer reports each file once (imported, skipped, duplicate or
failed with a reason), leaves no half-written study behind and keeps the catalog (subscribed as
in the app) in step; the renderer returns an image or refuses with a coded RenderError. Nothing
else may escape either of them.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pydicom
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from pydicom.datadict import dictionary_VR, tag_for_keyword
from pydicom.dataelem import DataElement, RawDataElement
from pydicom.tag import Tag
from sqlmodel import func, select

from api.db import SessionFactory
from api.settings import Settings
from content.cases.models import Case
from content.errors import DomainError
from content.imaging.models import Instance, Study
from content.integrity import check_repository
from content.principal import SYSTEM
from importers.pipeline import ImportTarget, import_paths
from media.errors import RenderError
from media.render import RenderOptions, render_file
from media.store import ContentStore
from search import consistency
from search.indexer import CatalogIndexer
from tests.importers.conftest import _find
from tests.importers.importing import SECRET, make_collection

# Small real files across encodings: explicit/implicit little endian, big endian, deflate, RLE,
# JPEG 2000, JPEG-LS, baseline JPEG, RGB, multi-frame, and an RT plan without pixels.
SOURCES = (
    "CT_small.dcm",
    "MR_small.dcm",
    "MR_small_bigendian.dcm",
    "MR_small_implicit.dcm",
    "MR_small_RLE.dcm",
    "JPEG2000.dcm",
    "emri_small_jpeg_ls_lossless.dcm",
    "SC_rgb_jpeg_gdcm.dcm",
    "SC_rgb_rle_2frame.dcm",
    "image_dfl.dcm",
    "rtplan.dcm",
)
ORIGINALS = {name: _find(name).read_bytes() for name in SOURCES}

# Attributes the readers, grouping, de-identification and pixel pipeline rely on, each with values
# a damaged or hostile file could carry.
BAD_VALUES: dict[str, tuple[Any, ...]] = {
    "Rows": (0, 1, 3, 65535),
    "Columns": (0, 1, 7, 65535),
    "BitsAllocated": (0, 1, 7, 12, 64),
    "BitsStored": (0, 1, 17, 40),
    "HighBit": (0, 31, 200),
    "PixelRepresentation": (1, 2),
    "SamplesPerPixel": (0, 2, 3, 4),
    "PlanarConfiguration": (1, 2),
    "PhotometricInterpretation": ("MONOCHROME1", "RGB", "PALETTE COLOR", "YBR_FULL_422", "YBR_ICT", "BOGUS", ""),
    "NumberOfFrames": ("0", "-1", "x", "2", "99999", "1.5"),
    "WindowCenter": ("nan", "inf", "1e308", "", "40\\x", "-1e308"),
    "WindowWidth": ("0", "-5", "nan", "1e-300"),
    "RescaleSlope": ("0", "nan", "inf", "-1e308", "x"),
    "RescaleIntercept": ("nan", "1e308", "abc"),
    "VOILUTFunction": ("SIGMOID", "LINEAR_EXACT", "BOGUS"),
    "StudyInstanceUID": ("", "1.2.3", "x" * 64),
    "SeriesInstanceUID": ("", "1.2.3"),
    "SOPInstanceUID": ("", "1.2.3", "1.2.840.10008.1.2"),
    "SOPClassUID": ("", "1.2.3"),
    "StudyDate": ("20231399", "x", "19000101", "99999999"),
    "PatientBirthDate": ("x", "00000000"),
    "PatientAge": ("999Y", "abc", "000D"),
    "PatientSex": ("X", "\x00"),
    "Modality": ("", "C T", "X" * 40),
    "ImagePositionPatient": (["x", "1", "2"], [1.0], ["nan", "0", "0"], [1e308, -1e308, 0]),
    "ImageOrientationPatient": ([0, 0, 0, 0, 0, 0], [1.0, 0.0], ["nan"] * 6, [1, 0, 0, 1, 0, 0]),
    "InstanceNumber": ("x", "-1", "99999999999999"),
    "SeriesNumber": ("x", "1.5", ""),
    "BurnedInAnnotation": ("YES", "MAYBE"),
    "BodyPartExamined": ("", "X" * 64),
}
NUMERIC_VRS = {"US": "H", "SS": "h", "UL": "I", "SL": "i", "FD": "d", "FL": "f"}
TRANSFER_SYNTAXES = (
    "1.2.840.10008.1.2",
    "1.2.840.10008.1.2.1",
    "1.2.840.10008.1.2.2",
    "1.2.840.10008.1.2.5",
    "1.2.840.10008.1.2.4.50",
    "1.2.840.10008.1.2.4.90",
    "1.2.840.10008.1.2.1.99",
    "1.2.3.4",
    "1.2.840.10008.1.2.4.80",
)
# Tags whose element headers the byte-level mutations aim at (either byte order).
TARGET_TAGS = (
    0x00020010,
    0x00020000,
    0x00080016,
    0x00080018,
    0x0020000D,
    0x0020000E,
    0x00280002,
    0x00280004,
    0x00280008,
    0x00280010,
    0x00280011,
    0x00280100,
    0x00280101,
    0x00280103,
    0x00281050,
    0x00281051,
    0x00281052,
    0x00281053,
    0x7FE00010,
    0x00100010,
    0x00080020,
    0x00200032,
    0xFFFEE000,
    0xFFFEE0DD,
)


@dataclass(frozen=True)
class Mutant:
    source: str
    attribute_edits: tuple[tuple[str, Any], ...]  # dataset-level: (keyword or "-keyword", value)
    byte_edits: tuple[tuple[Any, ...], ...]  # byte-level, applied after the rewrite
    fresh_uids: bool  # a new Study/Series/SOP UID, so mutants do not collide

    def build(self, salt: int) -> bytes:
        data = ORIGINALS[self.source]
        if self.attribute_edits or self.fresh_uids:
            data = _rewrite(data, self.attribute_edits, salt if self.fresh_uids else None)
        for edit in self.byte_edits:
            data = BYTE_EDITS[edit[0]](data, *edit[1:])
        return data


def _rewrite(data: bytes, edits: tuple[tuple[str, Any], ...], salt: int | None) -> bytes:
    """Parse, set impossible values without pydicom's checks, and write back as it was encoded."""
    ds = pydicom.dcmread(io.BytesIO(data), force=True)
    syntax = None
    if salt is not None:
        for n, keyword in enumerate(("StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID")):
            ds[keyword] = DataElement(keyword, "UI", f"2.25.{salt}{n}{len(data)}")
    for keyword, value in edits:
        if keyword in ("StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID") and salt is not None:
            continue  # fresh UIDs are what this mutant is about
        if keyword == "TransferSyntaxUID":
            syntax = value
        elif keyword.startswith("-"):
            ds.pop(keyword[1:], None)
        elif keyword == "PixelData*":
            if "PixelData" in ds:
                pixels = ds.PixelData
                ds.PixelData = pixels[: len(pixels) // value] if value > 0 else pixels * 2
        else:
            _set_raw(ds, keyword, value)
    out = io.BytesIO()
    ds.save_as(out, enforce_file_format=False)
    return out.getvalue() if syntax is None else _lie_about_syntax(out.getvalue(), syntax)


def _set_raw(ds: pydicom.Dataset, keyword: str, value: Any) -> None:
    """Put the value's bytes in as read from a file: pydicom converts (and may choke on) them only
    when a reader asks, as with a damaged file."""
    tag, vr = tag_for_keyword(keyword), dictionary_VR(keyword)
    assert tag is not None
    implicit, little = ds.original_encoding
    order = "<" if little in (True, None) else ">"
    items = value if isinstance(value, list) else [value]
    if vr in NUMERIC_VRS:
        raw = b"".join(struct.pack(order + NUMERIC_VRS[vr], v) for v in items)
    else:
        raw = "\\".join(str(v) for v in items).encode("latin-1")
        raw += (b"\x00" if vr == "UI" else b" ") * (len(raw) % 2)
    ds[tag] = RawDataElement(
        Tag(tag), None if implicit else vr, len(raw), raw, 0, bool(implicit), little in (True, None), True, False
    )


def _lie_about_syntax(data: bytes, syntax: str) -> bytes:
    """Name another transfer syntax in the file meta, leaving the data set encoded as it was."""
    at = data.find(b"\x02\x00\x10\x00UI", 132)
    if at == -1:
        return data
    (old,) = struct.unpack("<H", data[at + 6 : at + 8])
    value = syntax.encode() + b"\x00" * (len(syntax) % 2)
    data = data[: at + 6] + struct.pack("<H", len(value)) + value + data[at + 8 + old :]
    group = data.find(b"\x02\x00\x00\x00UL\x04\x00", 132)
    if group != -1:
        (length,) = struct.unpack("<I", data[group + 8 : group + 12])
        data = data[: group + 8] + struct.pack("<I", length + len(value) - old) + data[group + 12 :]
    return data


def _at(data: bytes, where: int) -> int:
    return where % max(1, len(data))


def _flip(data: bytes, where: int, mask: int) -> bytes:
    buf = bytearray(data)
    if buf:
        buf[_at(data, where)] ^= mask or 0xFF
    return bytes(buf)


def _truncate(data: bytes, where: int, _: int) -> bytes:
    return data[: _at(data, where)]


def _shuffle(data: bytes, where: int, size: int) -> bytes:
    a, b = _at(data, where), _at(data, where * 7 + size)
    a, b = min(a, b), max(a, b)
    size = min(size, b - a)
    return data[:a] + data[b : b + size] + data[a + size : b] + data[a : a + size] + data[b + size :]


def _zero(data: bytes, where: int, size: int) -> bytes:
    a = _at(data, where)
    return data[:a] + bytes(min(size, len(data) - a)) + data[a + size :]


def _duplicate(data: bytes, where: int, size: int) -> bytes:
    a = _at(data, where)
    return data[: a + size] + data[a : a + size] + data[a + size :]


def _tag_offsets(data: bytes, tag: int) -> list[int]:
    out = []
    for order in ("<", ">"):
        needle = struct.pack(order + "HH", tag >> 16, tag & 0xFFFF)
        start = data.find(needle)
        while start != -1:
            out.append(start)
            start = data.find(needle, start + 1)
    return sorted(out)


def _element(data: bytes, tag_index: int, which: int, part: str, value: int) -> bytes:
    """Corrupt the VR, the length or the tag of one element header (found by its tag's bytes)."""
    offsets = _tag_offsets(data, TARGET_TAGS[tag_index % len(TARGET_TAGS)])
    if not offsets:
        return _flip(data, which * 131 + value, value & 0xFF)
    at = offsets[which % len(offsets)]
    buf = bytearray(data)
    if part == "vr":
        buf[at + 4 : at + 6] = (b"UN", b"SQ", b"OB", b"XX", b"\x00\x00", b"US", b"FD", b"DS")[value % 8]
    elif part == "short-length":
        buf[at + 6 : at + 8] = struct.pack("<H", value & 0xFFFF)
    elif part == "long-length":
        buf[at + 4 : at + 8] = struct.pack("<I", value & 0xFFFFFFFF)
    elif part == "vr-long-length":
        buf[at + 8 : at + 12] = struct.pack("<I", value & 0xFFFFFFFF)
    else:  # the tag itself
        buf[at : at + 4] = struct.pack("<I", value & 0xFFFFFFFF)
    return bytes(buf[: len(data)]) if len(buf) > len(data) else bytes(buf)


BYTE_EDITS: dict[str, Callable[..., bytes]] = {
    "flip": _flip,
    "truncate": _truncate,
    "shuffle": _shuffle,
    "zero": _zero,
    "duplicate": _duplicate,
    "element": _element,
}
LENGTHS = st.sampled_from([0, 1, 2, 3, 4, 8, 0xFF, 0x7FFF, 0xFFFF, 0xFFFE, 0x10000, 0x7FFFFFFF, 0xFFFFFFFF])
positions = st.integers(0, 1 << 20)
byte_edits = st.one_of(
    st.tuples(st.just("flip"), positions, st.integers(0, 255)),
    st.tuples(st.just("truncate"), positions, st.just(0)),
    st.tuples(st.sampled_from(["shuffle", "zero", "duplicate"]), positions, st.integers(1, 512)),
    st.tuples(
        st.just("element"),
        st.integers(0, len(TARGET_TAGS) - 1),
        st.integers(0, 8),
        st.sampled_from(["vr", "short-length", "long-length", "vr-long-length", "tag"]),
        LENGTHS,
    ),
)
attribute_edits = st.one_of(
    st.sampled_from(sorted(BAD_VALUES)).flatmap(lambda k: st.tuples(st.just(k), st.sampled_from(BAD_VALUES[k]))),
    st.tuples(st.just("TransferSyntaxUID"), st.sampled_from(TRANSFER_SYNTAXES)),
    st.tuples(
        st.sampled_from(
            [
                "-PixelData",
                "-Rows",
                "-Columns",
                "-BitsAllocated",
                "-SOPClassUID",
                "-PhotometricInterpretation",
                "-StudyInstanceUID",
                "-SamplesPerPixel",
            ]
        ),
        st.none(),
    ),
    st.tuples(st.just("PixelData*"), st.sampled_from([0, 2, 3])),
)
mutants = st.builds(
    Mutant,
    source=st.sampled_from(SOURCES),
    attribute_edits=st.lists(attribute_edits, max_size=3).map(tuple),
    byte_edits=st.lists(byte_edits, max_size=3).map(tuple),
    fresh_uids=st.booleans(),
)
FUZZ = hsettings(deadline=None, database=None, suppress_health_check=list(HealthCheck))


def test_mutants_are_built_as_drawn() -> None:
    """The mutator itself: each kind of edit changes the bytes, and no edit is a silent no-op."""
    original = ORIGINALS["CT_small.dcm"]
    assert Mutant("CT_small.dcm", (), (), False).build(1) == original
    for edit in (
        ("flip", 200, 1),
        ("truncate", 1000, 0),
        ("shuffle", 300, 64),
        ("zero", 2000, 16),
        ("duplicate", 500, 8),
        ("element", 9, 0, "tag", 0x12345678),
    ):
        assert Mutant("CT_small.dcm", (), (edit,), False).build(1) != original, edit
    rows = pydicom.dcmread(io.BytesIO(Mutant("CT_small.dcm", (("Rows", 3),), (), False).build(1)), force=True)
    assert rows.Rows == 3
    fresh = pydicom.dcmread(io.BytesIO(Mutant("CT_small.dcm", (), (), True).build(7)), force=True)
    assert fresh.SOPInstanceUID.startswith("2.25.7")


def test_renderer_returns_an_image_or_a_coded_refusal(tmp_path: Path) -> None:
    outcomes: dict[str, int] = {}
    path = tmp_path / "mutant.dcm"

    @hsettings(FUZZ, max_examples=1500)
    @given(
        mutant=mutants,
        frame=st.sampled_from([1, 2]),
        size=st.sampled_from([None, 64]),
        preset=st.sampled_from([None, "lung", "bone"]),
        fmt=st.sampled_from(["png", "webp", "jpeg"]),
    )
    def render(mutant: Mutant, frame: int, size: int | None, preset: str | None, fmt: Any) -> None:
        path.write_bytes(mutant.build(1))
        try:
            image = render_file(path, RenderOptions(frame=frame, size=size, preset=preset, format=fmt))
        except RenderError as exc:
            assert exc.code.value in {"UNDECODABLE", "INVALID_INPUT"} and exc.message, exc
            outcomes[exc.code.value] = outcomes.get(exc.code.value, 0) + 1
        else:
            assert image[:4] in {b"\x89PNG", b"RIFF"} or image[:2] == b"\xff\xd8", image[:16]
            outcomes["image"] = outcomes.get("image", 0) + 1

    render()
    # Damage the renderer draws through and damage it refuses were both reached.
    assert outcomes.get("image", 0) > 40 and outcomes.get("UNDECODABLE", 0) > 40, outcomes


def _imported_state(sessions: SessionFactory) -> tuple[int, int, int]:
    with sessions.scope() as session:
        return (
            session.exec(select(func.count()).select_from(Instance)).one(),
            session.exec(select(func.count()).select_from(Study)).one(),
            session.exec(select(func.count()).select_from(Case)).one(),
        )


def test_importer_reports_every_damaged_file_and_leaves_no_half_study(
    sessions: SessionFactory, settings: Settings, indexer: CatalogIndexer, tmp_path: Path
) -> None:
    store = ContentStore(settings.media_dir)
    collection = make_collection(sessions)
    batches = {"n": 0, "files": 0, "failed": 0, "imported": 0}
    examples = 80 if settings.is_postgres else 250

    @hsettings(FUZZ, max_examples=examples)
    @given(batch=st.lists(mutants, min_size=1, max_size=8))
    def run(batch: list[Mutant]) -> None:
        batches["n"] += 1
        folder = tmp_path / f"batch-{batches['n']}"
        folder.mkdir()
        paths = []
        for i, mutant in enumerate(batch):
            path = folder / f"{i:02d}-{mutant.source}"
            path.write_bytes(mutant.build(batches["n"] * 100 + i))
            paths.append(path)
        before = _imported_state(sessions)
        with sessions.scope() as session:
            try:
                summary = import_paths(
                    paths,
                    target=ImportTarget(collection),
                    session=session,
                    principal=SYSTEM,
                    store=store,
                    secret=SECRET,
                    workers=1,
                )
            except DomainError as exc:  # a refusal of the whole import must still be coded and explained
                assert exc.code.value and exc.message
                summary = None
        after = _imported_state(sessions)
        if summary is not None:
            problems = [*summary.failed, *summary.skipped, *summary.duplicates]
            # Each file is accounted for exactly once: stored, or named with its reason.
            assert summary.imported + len(problems) == len(paths), (summary.text(), summary.as_dict())
            assert {p.label for p in problems} <= {str(p) for p in paths}
            assert all(p.reason.strip() for p in problems), problems
            created = sum(1 for s in summary.studies if s.status == "created")
            assert after == (before[0] + summary.imported, before[1] + created, before[2] + created), (
                before,
                after,
                summary.as_dict(),
            )
            batches["failed"] += len(summary.failed)
            batches["imported"] += summary.imported
        else:
            assert after == before
        batches["files"] += len(paths)
        with sessions.scope() as session:
            assert check_repository(session, has_blob=store.has) == []

    run()
    # The fuzzer reached both outcomes: damage that is refused and damage the importer survives.
    assert batches["failed"] > 0 and batches["imported"] > 0, batches
    # The catalog kept up with every import: no update waits for a retry, no entry is out of step.
    assert indexer.pending == frozenset()
    with sessions.scope() as session:
        assert consistency.check(indexer.backend, session).consistent
