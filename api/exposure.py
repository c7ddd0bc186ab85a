"""What the API tells a caller about its own schema: introspection and "Did you mean" hints.

Signed-in callers (people and partners) keep both, since their tools are built on them; an
anonymous caller learns only what a sign-in page needs, not a map of every field. A setting
turns introspection off for everyone.
"""

from __future__ import annotations

from typing import Any

from graphql import FieldNode, GraphQLError, Visitor, parse, visit

INTROSPECTION_FIELDS = frozenset({"__schema", "__type"})
SUGGESTION = " Did you mean"


class _IntrospectionFinder(Visitor):
    found = False

    def enter_field(self, node: FieldNode, *_: Any) -> None:
        if node.name.value in INTROSPECTION_FIELDS:
            self.found = True


def introspects(query: str, *, max_tokens: int) -> bool:
    """True when the document (fragments included) asks for `__schema` or `__type`.

    GraphQL names have no escapes, so a document without either word in its text cannot ask
    and is not parsed here; `__typename` alone is not introspection.
    """
    if not any(name in query for name in INTROSPECTION_FIELDS):
        return False
    try:
        document = parse(query, max_tokens=max_tokens)
    except GraphQLError:
        return False  # the schema reports the syntax error
    finder = _IntrospectionFinder()
    visit(document, finder)
    return finder.found


def without_suggestions(message: str) -> str:
    """A validation message with graphql-core's list of similar names cut off."""
    return message.split(SUGGESTION, 1)[0]
