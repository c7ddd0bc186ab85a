"""Refusals are shaped in one module (api/errors.py), and every code a client can see is published."""

import ast
from pathlib import Path

from graphql import GraphQLEnumType, build_schema

from api.errors import HTTP_STATUS, error_response, graphql_refusal
from content.errors import DomainError, ErrorCode

ROOT = Path(__file__).resolve().parents[2]
BODY_KEYS = {"error", "errors", "extensions", "code"}
CODES = {c.value for c in ErrorCode}


def _api_modules() -> list[Path]:
    return sorted(p for p in (ROOT / "api").rglob("*.py") if "migrations" not in p.parts)


def _inline_bodies(path: Path) -> list[str]:
    """Dict literals keyed like an error body, and bare uppercase strings given as a `code`."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Dict):
            keys = {k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)}
            if keys & BODY_KEYS:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} dict with {sorted(keys & BODY_KEYS)}")
        if isinstance(node, ast.Constant) and node.value in CODES:
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} code as a string {node.value!r}")
    return found


def test_no_route_shapes_an_error_body_or_spells_a_code_itself() -> None:
    modules = [p for p in _api_modules() if p.name != "errors.py"]
    assert len(modules) > 20  # the walk sees the routes
    offenders = [hit for path in modules for hit in _inline_bodies(path)]
    assert offenders == []


def test_the_walk_finds_an_inline_body() -> None:
    sample = ROOT / "api" / "errors.py"
    assert any("dict with" in hit for hit in _inline_bodies(sample))


def test_every_code_is_published_in_schema_graphql() -> None:
    # Parsed, not scraped: value descriptions may be block strings spanning lines.
    enum = build_schema((ROOT / "schema.graphql").read_text()).get_type("ErrorCode")
    assert isinstance(enum, GraphQLEnumType)
    published = set(enum.values)
    assert published == {c.value for c in ErrorCode}
    assert set(HTTP_STATUS) <= set(ErrorCode)


def test_plain_and_graphql_bodies_take_their_status_from_the_table() -> None:
    plain = error_response(DomainError(ErrorCode.NOT_ACCEPTABLE, "offered as JSON", field="accept"))
    assert plain.status_code == 406
    assert plain.body == b'{"error":{"code":"NOT_ACCEPTABLE","message":"offered as JSON","field":"accept"}}'
    refused = graphql_refusal(DomainError(ErrorCode.TOO_LARGE, "too big"), headers={"x-a": "1"})
    assert refused.status_code == 413 and refused.headers["x-a"] == "1"
    assert refused.body == b'{"errors":[{"message":"too big","extensions":{"code":"TOO_LARGE"}}]}'
    assert error_response(DomainError(ErrorCode.INVALID_INPUT, "bad")).status_code == 400
