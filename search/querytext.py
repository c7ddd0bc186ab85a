"""The catalog query language, parsed leniently into a small tree both backends compile.

    stroke haemorrhage            both words (AND is implicit)
    "pulmonary embolism"          a phrase
    PE OR DVT, NOT child, -child  operators are upper-case; lower-case "or" is a word
    (stroke OR bleed) AND CT      grouping
    diagnosis:pneumothorax        a field prefix; title:(a OR b) applies to the group
    modality:CT curriculum:NEURO.STROKE state:VALIDATED   exact facet values

Nothing here raises on odd input: an unclosed quote runs to the end, stray brackets and
dangling operators are dropped, an empty or unknown prefix is ignored or read as text.
Only a query too large to run is refused (INVALID_QUERY).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TypeAlias

from content.errors import DomainError, ErrorCode
from search.analysis import query_lexemes
from search.model import CODE_RE

MAX_LEAVES = 64

TEXT_ALIASES = {
    "title": "title",
    "history": "clinical_history",
    "clinical_history": "clinical_history",
    "hx": "clinical_history",
    "findings": "findings",
    "diagnosis": "diagnosis",
    "dx": "diagnosis",
    "differential": "differential_diagnoses",
    "differentials": "differential_diagnoses",
    "differential_diagnoses": "differential_diagnoses",
    "ddx": "differential_diagnoses",
    "discussion": "discussion",
    "teaching": "teaching_points",
    "teaching_points": "teaching_points",
    "tag": "tags",
    "tags": "tags",
}
KEY_ALIASES = {
    "modality": "modalities",
    "modalities": "modalities",
    "region": "body_regions",
    "body_region": "body_regions",
    "body_regions": "body_regions",
    "difficulty": "difficulty",
    "state": "state",
    "collection": "collection",
    "curriculum": "curriculum_expanded",
}
_UPPER_KEYS = frozenset({"modalities", "difficulty", "state", "curriculum_expanded"})


@dataclass(frozen=True)
class Lex:
    """Lexemes in a text field (None: any text field); more than one lexeme is a phrase."""

    field: str | None
    lexemes: tuple[str, ...]


@dataclass(frozen=True)
class Key:
    """An exact keyword value (modality, region, state, curriculum subtree, collection)."""

    field: str
    value: str


@dataclass(frozen=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    item: Node


@dataclass(frozen=True)
class Const:
    """Matches everything (True) or nothing (False); only ever the whole tree after simplify."""

    value: bool


Node: TypeAlias = Lex | Key | And | Or | Not | Const
ALL = Const(True)
NONE = Const(False)

_LEXER = re.compile(r"""(?P<lp>\()|(?P<rp>\))|(?P<phrase>"[^"]*(?:"|$))|(?P<word>[^\s()"]+)|(?P<ws>\s+)""")
_FIELD = re.compile(r"^([A-Za-z_]+):(.*)$", re.S)


def _lex(text: str) -> list[tuple[str, str, bool]]:
    """(kind, value, adjacent-to-next) tokens; kinds: lp rp phrase word op field."""
    out: list[tuple[str, str, bool]] = []
    for m in _LEXER.finditer(text):
        kind = m.lastgroup or "ws"
        if kind == "ws":
            if out:
                out[-1] = (out[-1][0], out[-1][1], False)
            continue
        value = m.group(0)
        if kind == "word":
            if value == "-" and text[m.end() : m.end() + 1] == "(":
                out.append(("op", "NOT", True))
                continue
            if value.startswith("-") and len(value) > 1:
                out.append(("op", "NOT", True))
                value = value[1:]
            fm = _FIELD.match(value)
            if fm and fm.group(1).lower() in TEXT_ALIASES.keys() | KEY_ALIASES.keys():
                out.append(("field", fm.group(1).lower(), True))
                if fm.group(2):
                    out.append(("word", fm.group(2), True))
                continue
            if value in ("AND", "OR", "NOT", "&&", "||"):
                out.append(("op", {"&&": "AND", "||": "OR"}.get(value, value), True))
                continue
        elif kind == "phrase":
            value = value.strip('"')
        out.append((kind, value, True))
    return out


class _Parser:
    def __init__(self, tokens: list[tuple[str, str, bool]]) -> None:
        self.toks = tokens
        self.i = 0

    def peek(self) -> tuple[str, str, bool] | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def next_kind(self) -> str | None:
        tok = self.peek()
        return tok[0] if tok is not None else None

    def parse(self) -> Node | None:
        parts = []
        while self.peek() is not None:
            node = self.parse_or(None)
            if node is not None:
                parts.append(node)
            if self.next_kind() == "rp":  # stray ")"
                self.i += 1
        return _and(parts)

    def parse_or(self, field: str | None) -> Node | None:
        items = [self.parse_and(field)]
        while (tok := self.peek()) is not None and tok[:2] == ("op", "OR"):
            self.i += 1
            items.append(self.parse_and(field))
        return _or([x for x in items if x is not None])

    def parse_and(self, field: str | None) -> Node | None:
        items: list[Node] = []
        while (tok := self.peek()) is not None and tok[0] != "rp" and tok[:2] != ("op", "OR"):
            if tok[:2] == ("op", "AND"):
                self.i += 1
                continue
            node = self.parse_unary(field)
            if node is not None:
                items.append(node)
        return _and(items)

    def parse_unary(self, field: str | None) -> Node | None:
        tok = self.peek()
        if tok is not None and tok[:2] == ("op", "NOT"):
            self.i += 1
            if self.next_kind() in (None, "rp"):
                return None
            inner = self.parse_unary(field)
            return Not(inner) if inner is not None else None
        return self.parse_atom(field)

    def parse_atom(self, field: str | None) -> Node | None:
        kind, value, adjacent = self.toks[self.i]
        self.i += 1
        if kind == "lp":
            node = self.parse_or(field)
            if self.next_kind() == "rp":
                self.i += 1
            return node
        if kind == "field":
            nxt = self.peek()
            if not adjacent or nxt is None or nxt[0] in ("rp", "op", "field"):
                return None  # "title:" with nothing after it
            return self.parse_atom(value)
        if kind == "op":  # an operator where a term belongs, e.g. "OR OR"
            return None
        return _leaf(field, value)


def _leaf(field: str | None, text: str) -> Node | None:
    if field in KEY_ALIASES:
        key = KEY_ALIASES[field]
        value = text.strip()
        if key == "curriculum_expanded" and not ("." in value or value.isupper()):
            return _text_leaf("curriculum_titles", text)  # curriculum:vascular searches code titles
        if key in _UPPER_KEYS:
            value = value.upper()
        if key == "curriculum_expanded" and not CODE_RE.match(value):
            return None
        return Key(key, value) if value else None
    return _text_leaf(TEXT_ALIASES.get(field) if field else None, text)


def _text_leaf(field: str | None, text: str) -> Node | None:
    lexemes = query_lexemes(text)
    return Lex(field, lexemes) if lexemes else None


def _and(items: list[Node]) -> Node | None:
    return None if not items else items[0] if len(items) == 1 else And(tuple(items))


def _or(items: list[Node]) -> Node | None:
    return None if not items else items[0] if len(items) == 1 else Or(tuple(items))


def parse(text: str | None) -> Node | None:
    """The query tree for a text, or None when nothing searchable is left (e.g. only stop words)."""
    if not text or not text.strip():
        return None
    node = _Parser(_lex(text)).parse()
    if node is not None and count_leaves(node) > MAX_LEAVES:
        raise DomainError(ErrorCode.INVALID_QUERY, f"query has more than {MAX_LEAVES} terms", field="text")
    return node


def count_leaves(node: Node) -> int:
    """How many terms a parsed query holds (its cost, limited by validation)."""
    if isinstance(node, (And, Or)):
        return sum(count_leaves(x) for x in node.items)
    if isinstance(node, Not):
        return count_leaves(node.item)
    return 1


def simplify(node: Node) -> Node:
    """Fold Const values away so that a Const is only ever the whole tree."""
    if isinstance(node, Not):
        inner = simplify(node.item)
        return Const(not inner.value) if isinstance(inner, Const) else Not(inner)
    if isinstance(node, (And, Or)):
        absorbing = isinstance(node, Or)  # True absorbs an Or, False absorbs an And
        kept = []
        for item in (simplify(x) for x in node.items):
            if isinstance(item, Const):
                if item.value == absorbing:
                    return item
                continue
            kept.append(item)
        if not kept:
            return Const(not absorbing)
        return kept[0] if len(kept) == 1 else type(node)(tuple(kept))
    return node


def restrict(node: Node, visible: frozenset[str]) -> Node:
    """The tree as seen by a blinded case: hidden fields are empty, free text searches only `visible`."""

    def walk(n: Node) -> Node:
        if isinstance(n, Lex):
            if n.field is None:
                return (
                    And(tuple(Lex(f, n.lexemes) for f in sorted(visible)))
                    if len(visible) == 1
                    else Or(tuple(Lex(f, n.lexemes) for f in sorted(visible)))
                )
            return n if n.field in visible else NONE
        if isinstance(n, Key):
            return NONE if n.field == "curriculum_expanded" else n
        if isinstance(n, Not):
            return Not(walk(n.item))
        if isinstance(n, (And, Or)):
            return type(n)(tuple(walk(x) for x in n.items))
        return n

    return simplify(walk(node))


def positive(node: Node) -> Node:
    """The tree without its negations: what ranking and highlighting look for."""

    def walk(n: Node) -> Node:
        if isinstance(n, Not):
            return ALL
        if isinstance(n, (And, Or)):
            return type(n)(tuple(walk(x) for x in n.items))
        return n

    return simplify(walk(node))


def highlight_terms(node: Node) -> dict[str | None, set[str]]:
    """Lexemes to mark per field (None: every text field), from the positive part of a tree."""
    out: dict[str | None, set[str]] = {}

    def walk(n: Node) -> None:
        if isinstance(n, Lex):
            out.setdefault(n.field, set()).update(n.lexemes)
        elif isinstance(n, (And, Or)):
            for x in n.items:
                walk(x)

    walk(positive(node))
    return out


def words_of(node: Node) -> list[Lex]:
    """Positive single-lexeme leaves, the candidates for spelling suggestions."""
    out: list[Lex] = []

    def walk(n: Node) -> None:
        if isinstance(n, Lex):
            out.append(n)
        elif isinstance(n, (And, Or)):
            for x in n.items:
                walk(x)

    walk(positive(node))
    return out
