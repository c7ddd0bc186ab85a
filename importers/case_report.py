"""What a case metadata import reports: each bad row (line, field, why), each case, and the totals."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

CaseStatus = Literal["created", "skipped"]


@dataclass(frozen=True)
class RowError:
    line: int  # where the row starts in the file, 1-based, so the operator can go straight to it
    field: str | None  # the column as the file names it; None when the row as a whole is unreadable
    code: str  # a content.errors.ErrorCode value
    reason: str

    def text(self) -> str:
        where = f"line {self.line}" + (f": {self.field}" if self.field else "")
        return f"{where}: {self.reason} ({self.code})"


@dataclass(frozen=True)
class CaseOutcome:
    line: int
    status: CaseStatus
    title: str
    path: str  # the new case's path, or the existing case's when skipped
    state: str  # the new case's state, or the existing case's (left as it is) when skipped

    def line_text(self, *, dry_run: bool = False) -> str:
        status = f"would be {self.status}" if dry_run else self.status
        return f"{status:<8} line {self.line:>5}  {self.state:<9}  {self.path}  {self.title}"


@dataclass
class CaseImportReport:
    """Errors non-empty means nothing was written: a file is imported whole or not at all."""

    cases: list[CaseOutcome] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def created(self) -> int:
        return sum(1 for c in self.cases if c.status == "created")

    @property
    def skipped(self) -> int:
        return sum(1 for c in self.cases if c.status == "skipped")

    def text(self) -> str:
        if self.errors:
            rows = len({e.line for e in self.errors})
            return f"{rows} bad row(s), {len(self.errors)} problem(s); nothing imported"
        verb = "would be created" if self.dry_run else "created"
        return f"{self.created} cases {verb}, {self.skipped} skipped (already there)"
