"""Checks on a GraphQL request's raw inputs that no resolver can make in time.

The body is measured as bytes before `json.loads` turns it into Python objects: a document
nested a few thousand levels deep would otherwise exhaust the recursion limit in the decoder
(or in any walk over the decoded value), and a huge one would be held in memory whole.
"""

from __future__ import annotations

import json
import re
from typing import Any

from graphql import GraphQLError, StringValueNode, Visitor, parse, visit

from content.errors import DomainError, ErrorCode

NUL = "\x00"
# A JSON string (skipped whole, escapes included) or one bracket; nothing else matters for depth.
_STRUCTURE = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')
_OPEN = frozenset(b"[{")


class _NulFinder(Visitor):
    found = False

    def enter_string_value(self, node: StringValueNode, *_: Any) -> None:
        if NUL in node.value:
            self.found = True


def json_depth(raw: bytes) -> int:
    """The deepest nesting of arrays and objects in a JSON text, found without decoding it."""
    depth = deepest = 0
    for match in _STRUCTURE.finditer(raw):
        char = match.group()
        if len(char) != 1:
            continue  # a string
        if char[0] in _OPEN:
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def load_json(raw: bytes | str, *, max_bytes: int, max_depth: int, what: str = "request body") -> Any:
    """JSON decoded only once its size and nesting are known to be within the limits."""
    data = raw.encode() if isinstance(raw, str) else raw
    if len(data) > max_bytes:
        raise DomainError(ErrorCode.TOO_LARGE, f"the {what} is larger than {max_bytes} bytes")
    if json_depth(data) > max_depth:
        raise DomainError(ErrorCode.INVALID_INPUT, f"the {what} nests deeper than {max_depth} levels")
    try:
        return json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise DomainError(ErrorCode.INVALID_QUERY, f"the {what} is not JSON") from exc


def _in_value(value: Any) -> bool:
    # A loop, not recursion: the depth is bounded by load_json, but a walk should not rely on it.
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if NUL in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def contains_nul(query: str, variables: dict[str, Any] | None) -> bool:
    """True when a variable or a string literal of the document holds U+0000.

    A literal can only hold it through the escape \\u0000 (GraphQL source text refuses the raw
    character), so documents without that escape are not parsed here.
    """
    if variables and _in_value(variables):
        return True
    if "\\u0000" not in query.lower():
        return False
    try:
        document = parse(query)
    except GraphQLError:
        return False  # the schema reports the syntax error
    finder = _NulFinder()
    visit(document, finder)
    return finder.found
