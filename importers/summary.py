"""What an import reports: per study, per file, and the totals a person reads at the end."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

StudyStatus = Literal["created", "added", "skipped", "duplicate", "empty"]


@dataclass(frozen=True)
class FileProblem:
    label: str  # the path (or "archive.zip!member") as the user gave it
    reason: str


@dataclass
class StudyOutcome:
    study_instance_uid: str  # remapped: the original never leaves the importer
    status: StudyStatus
    case_uid: str | None = None
    case_path: str | None = None
    title: str = ""
    series: int = 0
    files: int = 0
    quarantined: int = 0

    def line(self) -> str:
        where = self.case_path or "-"
        return f"{self.status:<9} {self.files:>5} files {self.series:>3} series  {where}  {self.title}".rstrip()


@dataclass
class ImportSummary:
    studies: list[StudyOutcome] = field(default_factory=list)
    imported: int = 0  # files stored and attached to a case
    skipped: list[FileProblem] = field(default_factory=list)  # already in the archive: a no-op
    failed: list[FileProblem] = field(default_factory=list)  # not DICOM, truncated, unsupported...
    duplicates: list[FileProblem] = field(default_factory=list)  # their study is already in the archive
    bytes_imported: int = 0
    seconds: float = 0.0

    @property
    def studies_created(self) -> int:
        return sum(1 for s in self.studies if s.status in ("created", "added"))

    def text(self) -> str:
        return (
            f"{self.studies_created} studies imported, {self.imported} files imported, "
            f"{len(self.skipped)} skipped (already there), {len(self.duplicates)} duplicate, "
            f"{len(self.failed)} failed"
        )

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["studies_created"] = self.studies_created
        return out


@dataclass(frozen=True)
class Progress:
    phase: Literal["scan", "import"]
    done: int
    total: int | None  # None while scanning: the total is not known yet
    bytes_done: int


ProgressCallback = Callable[[Progress], None]


def no_progress(_: Progress) -> None:
    """A progress callback that reports nothing."""
    return None
