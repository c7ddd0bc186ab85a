"""CI and the pre-commit hook run the same lint and type checks, over the packages pyproject names."""

import ast
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = {"content", "search", "media", "importers", "jobs", "integrations", "schema", "api"}
STRICT = {"content.*", "search.*", "media.*", "importers.*", "jobs.*"}


def _test_sh_checks() -> list[str]:
    lines = (ROOT / "scripts" / "test.sh").read_text().splitlines()
    return [line.strip() for line in lines if line.startswith(".venv/bin/") and "pytest" not in line]


def test_test_sh_lints_and_type_checks_before_pytest() -> None:
    lines = [line for line in (ROOT / "scripts" / "test.sh").read_text().splitlines() if line.startswith(".venv/bin/")]
    assert lines[-1].startswith(".venv/bin/python -m pytest")
    assert _test_sh_checks() == [".venv/bin/ruff check .", ".venv/bin/ruff format --check .", ".venv/bin/mypy"]


def test_pre_commit_runs_what_test_sh_runs() -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    entries = [hook["entry"] for repo in config["repos"] for hook in repo["hooks"]]
    assert entries == _test_sh_checks()


def test_bare_mypy_checks_every_package_and_is_strict_where_settled() -> None:
    mypy = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]
    assert set(mypy["files"]) == PACKAGES
    assert all((ROOT / package).is_dir() for package in mypy["files"])
    strict = [o for o in mypy["overrides"] if set(o["module"]) == STRICT]
    assert strict and strict[0]["disallow_untyped_defs"] and strict[0]["warn_return_any"]
    # schema/ takes the same flags but one: strawberry types `@strawberry.field(...)` as a decorator Any.
    (schema,) = [o for o in mypy["overrides"] if o["module"] == ["schema.*"]]
    assert {k: v for k, v in strict[0].items() if k != "disallow_untyped_decorators"} == schema | {
        "module": strict[0]["module"]
    }
    assert all(set(o["module"]) in (STRICT, {"schema.*"}) for o in mypy["overrides"]), "no per-module escapes"


def _undocumented_functions(package: str) -> list[str]:
    missing = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for node in ast.parse(path.read_text()).body:
            if (
                isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
                and not node.name.startswith("_")
                and ast.get_docstring(node) is None
            ):
                missing.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    return missing


def test_public_functions_of_the_strict_packages_have_a_docstring() -> None:
    packages = ("content", "search", "media", "importers", "jobs")
    assert [hit for package in packages for hit in _undocumented_functions(package)] == []
