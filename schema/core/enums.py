"""Descriptions for the values of enums the domain defines (content/ may not import strawberry)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from strawberry.types.enum import has_enum_definition


def describe_values(enum: Any, descriptions: Mapping[str, str]) -> None:
    """Give each value of a strawberry enum its SDL description, by member name.

    A value left out stays undescribed, so the schema linter (tests/schema/test_schema_lint.py) names it; a
    name that is not a member is a typo and fails at import.
    """
    if not has_enum_definition(enum):
        raise TypeError(f"{enum!r} is not a strawberry enum")
    values = {value.name: value for value in enum.__strawberry_definition__.values}
    unknown = set(descriptions) - set(values)
    if unknown:
        raise ValueError(f"{enum.__strawberry_definition__.name} has no values {sorted(unknown)}")
    for name, description in descriptions.items():
        values[name].description = description
