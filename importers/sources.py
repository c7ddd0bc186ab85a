"""Find DICOM files in what a user hands us: files, folders, zip files and DICOMDIRs.

Nothing is extracted to disk and nothing is parsed beyond a sniff: each candidate becomes a
`SourceFile` (a label for reports and a way to open its bytes) or a `Skipped` with a reason.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

import pydicom

PREAMBLE = 128
MAGIC = b"DICM"
FORCE_SNIFF_BYTES = 64 * 1024  # enough for groups 0002-0008, where SOPInstanceUID lives
DICOMDIR_CLASS = "1.2.840.10008.1.3.10"


@dataclass(frozen=True)
class SourceFile:
    label: str  # a path, or "archive.zip!member/path", for reports
    size: int
    opener: Callable[[], BinaryIO]

    def open(self) -> BinaryIO:
        return self.opener()


@dataclass(frozen=True)
class Skipped:
    label: str
    reason: str


@dataclass(frozen=True)
class ZipLimits:
    """Zip bomb guards: declared and actual sizes are both capped, and so is the ratio."""

    max_member_bytes: int = 1 << 30
    max_total_bytes: int = 20 << 30
    max_ratio: float = 200.0  # DICOM rarely deflates beyond ~10:1; bombs reach 1000:1
    max_members: int = 200_000


Found = SourceFile | Skipped


def iter_sources(paths: Iterable[str | Path], *, limits: ZipLimits | None = None) -> Iterator[Found]:
    """Every DICOM file under the given files, folders, DICOMDIRs and zips, each once."""
    limits = limits or ZipLimits()
    seen: set[Path] = set()  # a DICOMDIR and a folder walk may reach the same file
    for path in map(Path, paths):
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                yield from _from_file(child, seen, limits)
        elif path.is_file():
            yield from _from_file(path, seen, limits)
        else:
            yield Skipped(str(path), "no such file or folder")


def _from_file(path: Path, seen: set[Path], limits: ZipLimits) -> Iterator[Found]:
    resolved = path.resolve()
    if resolved in seen:
        return
    seen.add(resolved)
    if zipfile.is_zipfile(path):
        yield from _from_zip(path, limits)
        return
    with path.open("rb") as fh:
        reason = sniff(fh)
    if reason:
        yield Skipped(str(path), reason)
        return
    if _is_dicomdir(path):
        yield from _from_dicomdir(path, seen, limits)
        return
    yield SourceFile(str(path), path.stat().st_size, lambda: path.open("rb"))


def sniff(fh: BinaryIO) -> str | None:
    """None when fh holds DICOM; otherwise why not. Leaves fh at its start."""
    head = fh.read(PREAMBLE + len(MAGIC))
    fh.seek(0)
    if head[PREAMBLE:] == MAGIC:
        return None
    # Preamble-less files (old ACR-NEMA style or raw datasets) parse "successfully" as junk
    # under force=True; we accept one only when it names its SOP instance.
    try:
        ds = pydicom.dcmread(io.BytesIO(fh.read(FORCE_SNIFF_BYTES)), force=True, stop_before_pixels=True)
        uid = ds.get("SOPInstanceUID")
    except Exception:  # pydicom raises many types on junk; all mean "not DICOM"
        uid = None
    finally:
        fh.seek(0)
    if uid:
        return None
    return "not DICOM: no 'DICM' prefix after the 128-byte preamble and no SOP Instance UID"


def _is_dicomdir(path: Path) -> bool:
    try:
        meta = pydicom.filereader.read_file_meta_info(path)
        # Elements convert when first read, so a damaged one fails here too.
        return str(meta.get("MediaStorageSOPClassUID", "")) == DICOMDIR_CLASS
    except Exception:  # a damaged meta raises many types (unknown VR, wrong length): not a DICOMDIR
        return False


def _from_dicomdir(path: Path, seen: set[Path], limits: ZipLimits) -> Iterator[Found]:
    root = path.parent.resolve()
    try:
        index = pydicom.dcmread(path)
        records = index.DirectoryRecordSequence
    except Exception as exc:  # a broken index is reported, never fatal
        yield Skipped(str(path), f"unreadable DICOMDIR: {exc}")
        return
    for record in records:
        parts = record.get("ReferencedFileID")
        if not parts:
            continue
        parts = [parts] if isinstance(parts, str) else list(parts)
        target = root.joinpath(*parts).resolve()
        if not target.is_relative_to(root):  # a file ID with ".." must not leave the media
            yield Skipped(f"{path}:{'/'.join(parts)}", "DICOMDIR record points outside its folder")
        elif not target.is_file():
            yield Skipped(str(target), "referenced by DICOMDIR but missing")
        else:
            yield from _from_file(target, seen, limits)


def _unsafe_member(name: str) -> bool:
    pure = PurePosixPath(name.replace("\\", "/"))
    return pure.is_absolute() or ".." in pure.parts or ":" in (pure.parts[0] if pure.parts else "")


def _from_zip(path: Path, limits: ZipLimits) -> Iterator[Found]:
    with zipfile.ZipFile(path) as archive:
        infos = [info for info in archive.infolist() if not info.is_dir()]
    if len(infos) > limits.max_members:
        yield Skipped(str(path), f"zip has {len(infos)} members, more than {limits.max_members}")
        return
    total = 0
    for info in infos:
        label = f"{path}!{info.filename}"
        if _unsafe_member(info.filename):
            yield Skipped(label, "unsafe path in zip (absolute or '..')")
            continue
        if info.file_size > limits.max_member_bytes:
            yield Skipped(label, f"zip member larger than {limits.max_member_bytes} bytes")
            continue
        if info.compress_size and info.file_size / info.compress_size > limits.max_ratio:
            yield Skipped(label, f"compression ratio above {limits.max_ratio:g} (zip bomb?)")
            continue
        total += info.file_size
        if total > limits.max_total_bytes:
            yield Skipped(label, f"zip expands beyond {limits.max_total_bytes} bytes; rest not read")
            return
        opener = _zip_opener(path, info.filename, limits.max_member_bytes)
        try:
            reason = _sniff_member(path, info.filename)
        except (zipfile.BadZipFile, zlib.error, ValueError, OSError, EOFError) as exc:
            reason = f"unreadable zip member: {exc}"
        if reason:
            yield Skipped(label, reason)
        else:
            yield SourceFile(label, info.file_size, opener)


def _sniff_member(path: Path, name: str) -> str | None:
    """`sniff` on a member's first bytes only: a large member is never inflated whole to be typed."""
    with zipfile.ZipFile(path) as archive, archive.open(name) as member:
        head = member.read(FORCE_SNIFF_BYTES)
    return sniff(io.BytesIO(head))


def _zip_opener(path: Path, name: str, cap: int) -> Callable[[], BinaryIO]:
    def open_member() -> BinaryIO:
        # Read at most cap + 1 bytes: a member whose header lies about its size still stops.
        with zipfile.ZipFile(path) as archive, archive.open(name) as member:
            data = member.read(cap + 1)
        if len(data) > cap:
            raise ValueError(f"zip member {name} exceeds {cap} bytes")
        return io.BytesIO(data)

    return open_member
