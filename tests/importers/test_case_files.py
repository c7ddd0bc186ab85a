"""Reading case metadata files: rows keyed by column, each with the line it starts on (no database)."""

from __future__ import annotations

from pathlib import Path

import pytest

from content.errors import DomainError, ErrorCode
from importers.case_files import read_case_file, read_csv, read_json_lines


def test_json_lines_keep_their_line_numbers_across_blank_lines() -> None:
    rows, errors = read_json_lines('{"title": "A"}\n\n{"title": "B", "tags": ["x"]}\n')
    assert [(r.line, r.values) for r in rows] == [(1, {"title": "A"}), (3, {"title": "B", "tags": ["x"]})]
    assert errors == []


def test_json_lines_report_lines_that_are_not_objects() -> None:
    rows, errors = read_json_lines('{"title": "A"}\n{"title": \n["a list"]\n')
    assert [r.line for r in rows] == [1]
    assert [(e.line, e.field, e.code) for e in errors] == [(2, None, "INVALID_INPUT"), (3, None, "INVALID_INPUT")]
    assert "not JSON" in errors[0].reason and "JSON object" in errors[1].reason


def test_csv_rows_start_where_a_multi_line_cell_starts_and_empty_cells_are_absent() -> None:
    text = 'title,findings,tags\nA,"two\nlines",\n\nB,,x;y\n'
    rows, errors = read_csv(text)
    assert [(r.line, r.values) for r in rows] == [
        (2, {"title": "A", "findings": "two\nlines"}),
        (5, {"title": "B", "tags": "x;y"}),
    ]
    assert errors == []


def test_csv_refuses_a_row_longer_than_its_header_and_accepts_a_short_one() -> None:
    rows, errors = read_csv("title,diagnosis\nA\nB,x,surplus\n")
    assert [(r.line, r.values) for r in rows] == [(2, {"title": "A"})]
    assert [(e.line, e.code) for e in errors] == [(3, "INVALID_INPUT")]


def test_csv_from_a_spreadsheet_loses_its_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_bytes("\ufefftitle\nA\n".encode())
    rows, _ = read_case_file(path)
    assert rows[0].values == {"title": "A"}


@pytest.mark.parametrize(
    ("name", "content", "why"),
    [
        ("cases.txt", "title\nA\n", "expected a .jsonl"),
        ("cases.csv", "", "no header"),
        ("cases.csv", "title,title\nA,B\n", "repeats title"),
    ],
)
def test_an_unreadable_file_is_refused_whole(tmp_path: Path, name: str, content: str, why: str) -> None:
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(DomainError) as caught:
        read_case_file(path)
    assert caught.value.code is ErrorCode.INVALID_INPUT and why in caught.value.message


def test_a_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cases.jsonl"
    path.write_bytes(b'{"title": "caf\xe9"}\n')
    with pytest.raises(DomainError, match="cannot read"):
        read_case_file(path)
