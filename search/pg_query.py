"""A Plan as SQL over the catalog table: a tsquery for the text, array operators for the
filters and the permission filter, all in one WHERE so totals and facets count what may be seen."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from search.model import TEXT_FIELDS
from search.pg_schema import FIELD_PREFIX, HEAD_FIELDS, KEY_PREFIX, _quote
from search.plan import Plan
from search.querytext import And, Const, Key, Lex, Node, Not, Or, positive


def tsquery(node: Node) -> str:
    """tsquery input text for a tree without Const nodes."""
    if isinstance(node, Lex):
        names = TEXT_FIELDS if node.field is None else (node.field,)
        alts = [" <-> ".join(_quote(f"{FIELD_PREFIX[n]}:{lex}") for lex in node.lexemes) for n in names]
        return "(" + " | ".join(f"({a})" for a in alts) + ")"
    if isinstance(node, Key):
        return _quote(f"{KEY_PREFIX[node.field]}:{node.value}")
    if isinstance(node, And):
        return "(" + " & ".join(tsquery(x) for x in node.items) + ")"
    if isinstance(node, Or):
        return "(" + " | ".join(tsquery(x) for x in node.items) + ")"
    if isinstance(node, Not):
        return "!" + tsquery(node.item)
    raise ValueError(f"cannot express {node!r} as a tsquery")


@dataclass
class Sql:
    """A WHERE clause and a rank expression with their parameters."""

    where: str
    rank: str
    params: dict[str, Any] = field(default_factory=dict)


def _match(node: Node | None, name: str, params: dict[str, Any], keys: str | None = None) -> str:
    if node is None:
        return "TRUE"
    if isinstance(node, Const):
        return "TRUE" if node.value else "FALSE"
    params[name] = tsquery(node) if keys is None else f"{tsquery(node)} & {keys}"
    return f"tsv @@ CAST(:{name} AS tsquery)"


def filter_keys(plan: Plan) -> str | None:
    """The plan's filters as keyword lexemes of the tsvector ("mo:CT", "co:/north"), ANDed, or None.

    ANDed into the text's tsquery they change nothing (the array conditions still hold) but let one
    GIN scan of `tsv` intersect text and filters: otherwise the planner may take a filter's array
    index and test `tsv @@` row by row, reading every candidate's TOASTed tsvector (0.7 s for a
    common word and a common modality at 100,000 cases)."""
    q = plan.query
    groups = [
        [f"{KEY_PREFIX[key]}:{v}" for v in sorted(values)]
        for key, values in (
            ("modalities", q.modalities),
            ("body_regions", q.body_regions),
            ("difficulty", q.difficulties),
            ("state", q.states),
            ("curriculum_expanded", q.curriculum),
        )
        if values
    ]
    if plan.collection:
        groups.append([f"{KEY_PREFIX['collection']}:{plan.collection}"])
    if not groups:
        return None
    return " & ".join("(" + " | ".join(_quote(lexeme) for lexeme in group) + ")" for group in groups)


def _rank(node: Node | None, name: str, params: dict[str, Any]) -> str:
    """ts_rank over the head fields (title A, diagnosis/curriculum B, the rest D)."""
    if node is None:
        return "CAST(0 AS real)"
    pos = positive(node)
    if isinstance(pos, Const):
        return "CAST(0 AS real)"
    params[name] = tsquery(pos)
    return f"ts_rank(head, CAST(:{name} AS tsquery))"


def compile_plan(plan: Plan) -> Sql:
    """The SQL WHERE clause and parameters of a plan for the PostgreSQL catalog."""
    q = plan.query
    params: dict[str, Any] = {"principals": sorted(q.principals)}
    where = ["allowed && CAST(:principals AS text[])", "NOT (denied && CAST(:principals AS text[]))"]
    for column, values, op in (
        ("modalities", q.modalities, "&&"),
        ("body_regions", q.body_regions, "&&"),
        ("difficulty", q.difficulties, "= ANY"),
        ("state", q.states, "= ANY"),
    ):
        if values:
            params[column] = sorted(values)
            where.append(
                f"{column} && CAST(:{column} AS text[])" if op == "&&" else f"{column} = ANY(CAST(:{column} AS text[]))"
            )
    if plan.collection:
        params["collection"] = [plan.collection]
        where.append("collections @> CAST(:collection AS text[])")
    seen = [_match(plan.text, "q", params, filter_keys(plan))]
    if q.curriculum:
        params["curriculum"] = sorted(q.curriculum)
        seen.append("curriculum && CAST(:curriculum AS text[])")
    ranked = plan.order == "RELEVANCE"
    rank = _rank(plan.text if ranked else None, "rq", params)
    if plan.blinded:
        params["blind"] = sorted(q.blinded_case_ids)
        blind_match = "FALSE" if q.curriculum else _match(plan.blind_text, "qb", params)
        where.append(
            f"((NOT case_id = ANY(CAST(:blind AS text[])) AND {' AND '.join(seen)})"
            f" OR (case_id = ANY(CAST(:blind AS text[])) AND {blind_match}))"
        )
        blind_rank = _rank(plan.blind_text if ranked else None, "rqb", params)
        rank = f"CASE WHEN case_id = ANY(CAST(:blind AS text[])) THEN {blind_rank} ELSE {rank} END"
    else:
        where.extend(s for s in seen if s != "TRUE")
    return Sql(where=" AND ".join(where), rank=rank, params=params)


# order -> (sort column in the matched set, direction, keyset comparison)
ORDERS = {
    "RELEVANCE": ("rank", "DESC", "rank < CAST(:k AS real)", "rank = CAST(:k AS real)"),
    "NEWEST": ("created_us", "DESC", "created_us < :k", "created_us = :k"),
    "TITLE": ("title_key", "ASC", "title_key > CAST(:k AS text)", "title_key = CAST(:k AS text)"),  # C collation
}


def keyset(plan: Plan, params: dict[str, Any]) -> str:
    """The condition for rows after the cursor, in (sort key, doc_id) order."""
    if plan.cursor is None:
        return "TRUE"
    _, _, after, same = ORDERS[plan.order]
    params["k"] = plan.cursor.key
    params["d"] = plan.cursor.doc_id
    return f"({after} OR ({same} AND doc_id > CAST(:d AS text)))"


def head_lexemes(plan: Plan) -> str | None:
    """Every head-field lexeme the ranking looks for, ORed (None when the rank is a constant).

    `ts_rank(head, q)` is 0 exactly when `head` holds none of q's lexemes (1e-20 for a partial
    match, more for a full one), and `head` holds exactly the head fields' entries of `tsv`. So
    `tsv @@ <these>` finds, through the GIN index, every row whose rank can be above 0: only those
    need ranking; the rest share rank 0 and sort by doc_id."""
    if plan.order != "RELEVANCE":
        return None
    found: set[str] = set()
    for node in (plan.text, plan.blind_text if plan.blinded else None):
        if node is None:
            continue
        pos = positive(node)
        if isinstance(pos, Const):
            continue
        found.update(_head_lexemes(pos))
    return " | ".join(_quote(lexeme) for lexeme in sorted(found)) if found else None


def _head_lexemes(node: Node) -> set[str]:
    if isinstance(node, Lex):
        names = TEXT_FIELDS if node.field is None else (node.field,)
        return {f"{FIELD_PREFIX[n]}:{lex}" for n in names if n in HEAD_FIELDS for lex in node.lexemes}
    if isinstance(node, (And, Or)):
        return set().union(*(_head_lexemes(item) for item in node.items))
    return set()  # keywords (never in head) and constants
