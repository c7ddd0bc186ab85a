"""The published SDL passes graphql-schema-linter (npm, tools/schema-lint) with the Relay and description rules."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from tests.helpers import npm_installed_by_setup

ROOT = Path(__file__).resolve().parents[2]
LINT = ROOT / "tools" / "schema-lint"
BINARY = LINT / "node_modules" / ".bin" / "graphql-schema-linter"
SDL = ROOT / "schema.graphql"
RULES = {
    "relay-connection-types-spec",
    "relay-connection-arguments-spec",
    "relay-page-info-spec",
    "types-have-descriptions",
    "fields-have-descriptions",
    "arguments-have-descriptions",
    "input-object-values-have-descriptions",
    "enum-values-have-descriptions",
}


def lint(sdl: Path, output: str = "json") -> subprocess.CompletedProcess[str]:
    """graphql-schema-linter on one SDL file, with the rules of tools/schema-lint/package.json."""
    assert BINARY.is_file(), "graphql-schema-linter is missing: run scripts/setup.sh (npm ci in tools/schema-lint)"
    command = [str(BINARY), "--config-directory", str(LINT), "--format", output, str(sdl)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def reported_rules(result: subprocess.CompletedProcess[str]) -> set[str]:
    return {error["rule"] for error in json.loads(result.stdout)["errors"]}


def test_the_linter_runs_the_relay_and_description_rules() -> None:
    config = json.loads((LINT / "package.json").read_text())["graphql-schema-linter"]
    assert set(config["rules"]) == RULES
    assert set(config) == {"rules"}, "no rule is switched off for parts of the schema"


def test_the_linter_is_pinned_by_a_lock_file_and_installed_by_setup() -> None:
    manifest = json.loads((LINT / "package.json").read_text())
    lock = json.loads((LINT / "package-lock.json").read_text())
    assert set(manifest["dependencies"]) == {"graphql", "graphql-schema-linter"}
    for name, version in manifest["dependencies"].items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), (name, version)  # exact, not a range
        assert lock["packages"][f"node_modules/{name}"]["version"] == version
        assert lock["packages"][f"node_modules/{name}"]["integrity"].startswith("sha512-")
    assert "tools/schema-lint" in npm_installed_by_setup((ROOT / "scripts" / "setup.sh").read_text())


def test_schema_graphql_passes_the_linter() -> None:
    result = lint(SDL, output="text")
    assert result.returncode == 0, f"graphql-schema-linter:\n{result.stdout}{result.stderr}"
    assert "0 errors detected" in result.stdout


def test_the_linter_fails_a_schema_without_descriptions_or_relay_shape(tmp_path: Path) -> None:
    # The same SDL with every description stripped, one connection without pageInfo, its field without
    # `after` and PageInfo without hasPreviousPage: each rule must speak up, or the passing test proves nothing.
    sdl = re.sub(r'^\s*"""[\s\S]*?"""\n', "", SDL.read_text(), flags=re.MULTILINE)
    sdl = re.sub(r"(type CaseConnection \{[^}]*?)\n  pageInfo: PageInfo!", r"\1", sdl)
    sdl = re.sub(r"\n\s*after: String = null(\s*\): CaseConnection!)", r"\1", sdl)
    sdl = re.sub(r"(type PageInfo \{[^}]*?)\n  hasPreviousPage: Boolean!", r"\1", sdl)
    broken = tmp_path / "schema.graphql"
    broken.write_text(sdl)
    result = lint(broken)
    assert result.returncode != 0
    assert reported_rules(result) == RULES
