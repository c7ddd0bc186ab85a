"""Checks on a GraphQL request's raw inputs that no resolver can make in time."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError, StringValueNode, Visitor, parse, visit

NUL = "\x00"


class _NulFinder(Visitor):
    found = False

    def enter_string_value(self, node: StringValueNode, *_: Any) -> None:
        if NUL in node.value:
            self.found = True


def _in_value(value: Any) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(_in_value(k) or _in_value(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_in_value(v) for v in value)
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
