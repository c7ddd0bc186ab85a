"""The layer rules, read from the source: content/ is the domain and does no I/O on its own behalf.

content/ never imports the edges (api/, schema/, admin_ui/) nor integrations/, which does its
I/O for it (HTTP delivery, backup files, HTML, DICOMweb query syntax). Each exception that
holds today is listed with its reason, so a new one fails here and has to be argued for.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"

EDGES = ("api", "schema", "admin_ui", "integrations")
# content.worklists.from_search builds a worklist from a catalog search (the one place the domain
# asks the search projection for case uids); no other content module may reach into search/.
SEARCH_ALLOWED = {"content.worklists.from_search"}
# Clients, servers, processes, temporary files, markup: the I/O integrations/ and api/ do.
IO_MODULES = (
    "httpx",
    "requests",
    "urllib.request",
    "http.client",
    "http.server",
    "socketserver",
    "smtplib",
    "subprocess",
    "shutil",
    "tempfile",
    "html",
    "asyncio",
)
# content.webhooks.targets resolves a subscription's host to refuse internal addresses (the SSRF
# rule) at subscription time as well as at send time; it only looks names up, it never connects.
SOCKET_ALLOWED = {"content.webhooks.targets"}
# Locks guard in-process caches (the revocation cache, the ephemeral sealing key); no thread is started.
THREADING_NAMES_ALLOWED = {"Lock", "RLock"}
WRITING_METHODS = {"write_text", "write_bytes", "mkdir", "unlink", "rmdir", "rename", "touch", "symlink_to"}


def _modules() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(CONTENT.rglob("*.py")):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        yield name, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


MODULES = dict(_modules())


def _imports(tree: ast.Module) -> set[str]:
    """Every module imported anywhere in the file (top level or inside a function)."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _under(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def test_the_content_package_is_read() -> None:
    assert len(MODULES) > 50 and "content.workflow" in MODULES and "content.webhooks.outbox" in MODULES


@pytest.mark.parametrize("package", EDGES)
def test_content_imports_no_edge_and_no_integration(package: str) -> None:
    offenders = sorted(name for name, tree in MODULES.items() if any(_under(m, package) for m in _imports(tree)))
    assert offenders == [], f"content modules importing {package}/"


def test_content_reaches_search_only_to_build_a_worklist_from_a_search() -> None:
    offenders = {name for name, tree in MODULES.items() if any(_under(m, "search") for m in _imports(tree))}
    assert offenders == SEARCH_ALLOWED


def test_content_imports_no_client_server_process_or_markup_module() -> None:
    offenders = sorted(
        (name, m) for name, tree in MODULES.items() for m in _imports(tree) if any(_under(m, io) for io in IO_MODULES)
    )
    assert offenders == []


def test_only_the_target_rule_looks_up_addresses() -> None:
    users = {name for name, tree in MODULES.items() if "socket" in _imports(tree)}
    assert users == SOCKET_ALLOWED


def test_content_starts_no_thread() -> None:
    used = {
        (name, node.attr)
        for name, tree in MODULES.items()
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "threading"
    }
    from_imports = {(name, m) for name, tree in MODULES.items() for m in _imports(tree) if m.startswith("threading.")}
    assert {attr for _, attr in used} <= THREADING_NAMES_ALLOWED, sorted(used)
    assert from_imports == set()


def test_content_writes_no_file() -> None:
    writes = []
    for name, tree in MODULES.items():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr in WRITING_METHODS:
                writes.append((name, func.attr))
            # open(path, mode) and Path.open(mode): the mode is the second or the first argument.
            at = 1 if isinstance(func, ast.Name) and func.id == "open" else 0
            if not (at == 1 or (isinstance(func, ast.Attribute) and func.attr == "open")):
                continue
            modes = [node.args[at]] if len(node.args) > at else []
            modes += [k.value for k in node.keywords if k.arg == "mode"]
            if any(not isinstance(m, ast.Constant) or set(str(m.value)) & set("wax+") for m in modes):
                writes.append((name, "open for writing"))
    assert writes == []


# --- schema/: resolvers call services; the SQL lives below them --------------------------------------

SCHEMA = ROOT / "schema"
SCHEMA_MODULES = {
    ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): ast.parse(
        path.read_text(encoding="utf-8"), filename=str(path)
    )
    for path in sorted(SCHEMA.rglob("*.py"))
}
# What a resolver may take from the ORM: the Session type, to annotate the context it is handed.
SCHEMA_ORM_ALLOWED = {"sqlmodel.Session"}
# Running a statement: Session.exec/execute/scalars/scalar/query (session.get by key stays allowed).
QUERY_METHODS = {"exec", "execute", "scalars", "scalar", "query"}


def test_the_schema_package_is_read() -> None:
    assert len(SCHEMA_MODULES) > 50 and "schema.workflow.queries" in SCHEMA_MODULES


def test_schema_builds_no_sql() -> None:
    """No select/col/func/sqlalchemy in schema/: a listing, a count or a filter is a service's."""
    offenders = sorted(
        (name, m)
        for name, tree in SCHEMA_MODULES.items()
        for m in _imports(tree)
        if (_under(m, "sqlmodel") or _under(m, "sqlalchemy")) and m not in SCHEMA_ORM_ALLOWED and m != "sqlmodel"
    )
    assert offenders == []


def test_schema_runs_no_statement() -> None:
    calls = sorted(
        (name, node.func.attr)
        for name, tree in SCHEMA_MODULES.items()
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in QUERY_METHODS
    )
    assert calls == []
