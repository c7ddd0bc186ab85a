"""Domain errors name domain fields; the GraphQL edge names the input field, in one table."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from content.errors import DomainError, ErrorCode
from schema.core.errors import INPUT_FIELDS, Error, input_field, refusable, to_error

ROOT = Path(__file__).resolve().parents[3]
BELOW_THE_EDGES = ("content", "importers", "search", "media", "integrations")
SNAKE = re.compile(r"[a-z][a-z0-9_]*")


def _error_fields() -> list[tuple[str, int, str]]:
    """Every literal `field="..."` given to an error or a helper below the edges."""
    found = []
    for package in BELOW_THE_EDGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call):
                    for kw in node.keywords:
                        if kw.arg == "field" and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str):
                            found.append((str(path.relative_to(ROOT)), node.lineno, kw.value.value))
    return found


def test_errors_below_the_edges_carry_snake_case_domain_names() -> None:
    fields = _error_fields()
    assert len(fields) > 50  # the scan reads the packages
    assert [f for f in fields if not SNAKE.fullmatch(f[2])] == []


def test_every_translated_name_is_a_domain_name_and_a_camel_case_input_field() -> None:
    for domain, graphql in INPUT_FIELDS.items():
        assert SNAKE.fullmatch(domain) and re.fullmatch(r"[a-z][A-Za-z0-9]*", graphql), domain


@pytest.mark.parametrize(
    ("field", "mutation", "expected"),
    [
        ("expected_version", "updateCase", "expectedVersion"),
        ("curriculum_codes", None, "curriculumCodes"),
        ("new_password", "changePassword", "newPassword"),
        ("title", "createWorklist", "title"),
        (None, "createWorklist", None),
        # The answer fields of a report are camelCase inputs of the report mutations only.
        ("principal_diagnosis", "submitReport", "principalDiagnosis"),
        ("differential_diagnoses", "saveReportDraft", "differentialDiagnoses"),
        ("differential_diagnoses", "updateCase", "differential_diagnoses"),
    ],
)
def test_input_field(field: str | None, mutation: str | None, expected: str | None) -> None:
    assert input_field(field, mutation) == expected
    error = to_error(DomainError(ErrorCode.INVALID_INPUT, "no", field=field), mutation)
    assert (error.field, error.message, error.code) == (expected, "no", ErrorCode.INVALID_INPUT)


@refusable(lambda errs: errs)
def submit(self: Any, info: Any, field: str) -> list[Error]:
    raise DomainError(ErrorCode.INVALID_INPUT, "too long", field=field)


def test_a_refused_mutation_names_the_field_as_its_client_sent_it() -> None:
    info = SimpleNamespace(
        field_name="submitReport", context=SimpleNamespace(session=SimpleNamespace(rollback=lambda: None))
    )
    assert [e.field for e in submit(None, info, "principal_diagnosis")] == ["principalDiagnosis"]
    assert [e.field for e in submit(None, info, "due_at")] == ["dueAt"]
