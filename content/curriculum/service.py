"""Curriculum services: load a tree from YAML or CSV, check codes, read the tree."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import yaml
from sqlmodel import Session, col, select

from content import audit
from content.curriculum.models import CurriculumNode, parent_of
from content.errors import DomainError, ErrorCode
from content.principal import Principal
from content.security.policy import require
from content.security.roles import Permission

CODE_PATTERN = re.compile(r"^[A-Z0-9_]+(\.[A-Z0-9_]+)*$")
SAMPLE_CURRICULUM = Path(__file__).with_name("sample_curriculum.yaml")
_FLAGS = ("plain_film", "cross_sectional", "acute", "core", "normal", "deprecated")


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "y"}
    return bool(value)


def read_tree_file(path: Path) -> list[dict[str, Any]]:
    """Rows of code/title/parent/flags from YAML ({nodes: [...]}) or CSV (code,title,parent,...)."""
    try:
        if path.suffix.lower() == ".csv":
            with path.open(newline="", encoding="utf-8") as fh:
                return list(csv.DictReader(fh))
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError, csv.Error) as exc:
        raise DomainError(ErrorCode.INVALID_INPUT, f"cannot read {path}: {exc}") from exc
    nodes = data.get("nodes") if isinstance(data, dict) else data
    if not isinstance(nodes, list):
        raise DomainError(ErrorCode.INVALID_INPUT, f"{path}: expected a list of nodes")
    return nodes


def _validated(rows: Iterable[dict[str, Any]], existing: set[str]) -> list[CurriculumNode]:
    nodes: dict[str, CurriculumNode] = {}
    for n, row in enumerate(rows, start=1):
        code = str(row.get("code") or "").strip()
        title = str(row.get("title") or "").strip()
        if not CODE_PATTERN.match(code):
            raise DomainError(ErrorCode.INVALID_CURRICULUM_CODE, f"row {n}: bad code {code!r}", field="code")
        if not title:
            raise DomainError(ErrorCode.INVALID_INPUT, f"row {n}: {code} has no title", field="title")
        parent = str(row.get("parent") or "").strip() or parent_of(code)
        if parent != parent_of(code):
            raise DomainError(
                ErrorCode.INVALID_CURRICULUM_CODE, f"row {n}: parent of {code} must be {parent_of(code)}, not {parent}"
            )
        nodes[code] = CurriculumNode(
            code=code,
            title=title,
            parent_code=parent,
            depth=code.count(".") + 1,
            replaced_by=(str(row["replaced_by"]) if row.get("replaced_by") else None),
            **{flag: _truthy(row.get(flag, False)) for flag in _FLAGS},
        )
    for node in nodes.values():
        if node.parent_code and node.parent_code not in nodes and node.parent_code not in existing:
            raise DomainError(
                ErrorCode.INVALID_CURRICULUM_CODE, f"{node.code}: parent {node.parent_code} is not in the tree"
            )
        if node.replaced_by is not None and (
            not node.deprecated
            or node.replaced_by == node.code
            or (node.replaced_by not in nodes and node.replaced_by not in existing)
        ):
            # A retag follows replaced_by: it must name another code this tree knows, on a retired code.
            raise DomainError(
                ErrorCode.INVALID_CURRICULUM_CODE,
                f"{node.code}: replaced_by {node.replaced_by} must name another known code, "
                "on a retired (deprecated) code",
                field="replaced_by",
            )
    return sorted(nodes.values(), key=lambda n: n.depth)


def load_tree(rows: Iterable[dict[str, Any]], *, session: Session, principal: Principal) -> tuple[int, int]:
    """Insert new codes and update titles/flags of known ones; returns (added, updated).

    Codes are never deleted: a code missing from the file stays, so old cases keep their tags.
    """
    require(principal, Permission.MANAGE_CURRICULUM)
    existing = {n.code: n for n in session.exec(select(CurriculumNode))}
    nodes = _validated(rows, set(existing))
    added = updated = 0
    for node in nodes:
        current = existing.get(node.code)
        if current is None:
            session.add(node)
            added += 1
            continue
        changed = False
        for attr in ("title", "replaced_by", *_FLAGS):
            if getattr(current, attr) != getattr(node, attr):
                setattr(current, attr, getattr(node, attr))
                changed = True
        updated += changed
    session.flush()
    audit.record(session, principal, "curriculum.load", "curriculum", None, added=added, updated=updated)
    session.commit()
    return added, updated


def check_codes(codes: Iterable[str], *, session: Session) -> list[str]:
    """The codes, de-duplicated in order, after checking each exists and is not deprecated."""
    wanted = list(dict.fromkeys(c.strip() for c in codes))
    if not wanted:
        return []
    found = {n.code: n for n in session.exec(select(CurriculumNode).where(col(CurriculumNode.code).in_(wanted)))}
    for code in wanted:
        node = found.get(code)
        if node is None:
            raise DomainError(
                ErrorCode.INVALID_CURRICULUM_CODE, f"unknown curriculum code {code}", field="curriculum_codes"
            )
        if node.deprecated:
            hint = f"; use {node.replaced_by}" if node.replaced_by else ""
            raise DomainError(
                ErrorCode.INVALID_CURRICULUM_CODE, f"curriculum code {code} is retired{hint}", field="curriculum_codes"
            )
    return wanted


def subtree(root: str | None, *, session: Session) -> list[CurriculumNode]:
    """The curriculum under `root` (all of it without one); INVALID_CURRICULUM_CODE for an unknown root."""
    stmt = select(CurriculumNode)
    if root:
        if session.get(CurriculumNode, root) is None:
            raise DomainError(ErrorCode.INVALID_CURRICULUM_CODE, f"unknown curriculum code {root}", field="root")
        stmt = stmt.where(
            (col(CurriculumNode.code) == root) | col(CurriculumNode.code).startswith(root + ".", autoescape=True)
        )
    return list(session.exec(stmt.order_by(col(CurriculumNode.code))))


def nodes_by_code(codes: Iterable[str], *, session: Session) -> dict[str, CurriculumNode]:
    """The curriculum nodes with these codes, by code (unknown codes are left out)."""
    wanted = set(codes)
    if not wanted:
        return {}
    stmt = select(CurriculumNode).where(col(CurriculumNode.code).in_(wanted))
    return {n.code: n for n in session.exec(stmt)}


# Past this many codes, reading the whole (small) curriculum is cheaper than an IN list of them.
_FEW_CODES = 32


def curriculum_titles(codes: set[str], *, session: Session) -> dict[str, str]:
    """code -> title of these curriculum codes (unknown ones left out)."""
    table = CurriculumNode.__table__  # type: ignore[attr-defined]
    stmt = sa.select(table.c.code, table.c.title)
    if len(codes) <= _FEW_CODES:
        stmt = stmt.where(table.c.code.in_(codes))
    return {code: title for code, title in session.execute(stmt) if code in codes}
