"""Reading a case metadata file (JSON lines or CSV) into raw rows, each with the line it starts on.

Pure: no database. What a value means (which column, which list separator) is decided in
importers.case_records; this module only turns bytes into {column: value} rows and reports the
rows it cannot read.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from content.errors import DomainError, ErrorCode
from importers.case_report import RowError

JSON_LINES_SUFFIXES = frozenset({".jsonl", ".ndjson"})
CSV_SUFFIXES = frozenset({".csv"})


@dataclass(frozen=True)
class RawRow:
    line: int
    values: dict[str, Any]  # strings from CSV; JSON values (str, list, null...) from JSON lines


def read_case_file(path: Path) -> tuple[list[RawRow], list[RowError]]:
    """The rows of a .jsonl/.ndjson or .csv file and the rows that could not be read.

    A file that cannot be read at all (missing, not UTF-8, unknown kind, no header) is a
    DomainError: there is no row to blame.
    """
    suffix = path.suffix.lower()
    if suffix not in JSON_LINES_SUFFIXES | CSV_SUFFIXES:
        raise DomainError(ErrorCode.INVALID_INPUT, f"{path}: expected a .jsonl, .ndjson or .csv file", field="file")
    try:
        # utf-8-sig: spreadsheets export CSV with a byte-order mark, which would otherwise end up
        # in the first column's name.
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise DomainError(ErrorCode.INVALID_INPUT, f"cannot read {path}: {exc}", field="file") from exc
    return read_json_lines(text) if suffix in JSON_LINES_SUFFIXES else read_csv(text)


def read_json_lines(text: str) -> tuple[list[RawRow], list[RowError]]:
    """Rows from JSON-lines text, and a coded error for each line that is not a JSON object."""
    rows: list[RawRow] = []
    errors: list[RowError] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(RowError(number, None, ErrorCode.INVALID_INPUT.value, f"not JSON: {exc.msg}"))
            continue
        if not isinstance(value, dict):
            errors.append(RowError(number, None, ErrorCode.INVALID_INPUT.value, "expected a JSON object"))
            continue
        rows.append(RawRow(number, value))
    return rows, errors


def read_csv(text: str) -> tuple[list[RawRow], list[RowError]]:
    """Rows keyed by the header; a cell left empty is left out, as if the column were absent."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None or not any(name.strip() for name in header):
            raise DomainError(ErrorCode.INVALID_INPUT, "the CSV file has no header row", field="file")
        names = [name.strip() for name in header]
        doubled = sorted({n for n in names if n and names.count(n) > 1})
        if doubled:
            raise DomainError(ErrorCode.INVALID_INPUT, f"the CSV header repeats {', '.join(doubled)}", field="file")
        rows: list[RawRow] = []
        errors: list[RowError] = []
        end = reader.line_num
        for cells in reader:
            # A quoted cell may span lines: the row starts on the line after the previous row ended.
            start, end = end + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(names):
                errors.append(
                    RowError(
                        start,
                        None,
                        ErrorCode.INVALID_INPUT.value,
                        f"{len(cells)} cells but the header has {len(names)} columns",
                    )
                )
                continue
            # A short row (trailing empty cells dropped by the exporting tool) leaves the rest absent.
            values = {name: cell for name, cell in zip(names, cells, strict=False) if cell.strip()}
            unnamed = [n for n in values if not n]
            if unnamed:
                errors.append(RowError(start, None, ErrorCode.INVALID_INPUT.value, "a value under an empty header"))
                continue
            rows.append(RawRow(start, values))
    except csv.Error as exc:
        raise DomainError(
            ErrorCode.INVALID_INPUT, f"line {reader.line_num}: unreadable CSV: {exc}", field="file"
        ) from exc
    return rows, errors
