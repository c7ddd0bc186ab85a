"""Every type, field, argument, enum value and input field of the built schema says what it is."""

from __future__ import annotations

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
)

from schema.build import build_schema


def undocumented(schema: GraphQLSchema) -> list[str]:
    """Schema coordinates (Type, Type.field, Type.field(arg:), Input.field, Enum.VALUE) that have no description."""
    missing = []
    for name, t in schema.type_map.items():
        if name.startswith("__"):
            continue
        if name in ("String", "Int", "Float", "Boolean", "ID"):
            continue
        if not t.description:
            missing.append(name)
        if isinstance(t, (GraphQLObjectType, GraphQLInterfaceType)):
            for fname, field in t.fields.items():
                if not field.description:
                    missing.append(f"{name}.{fname}")
                missing += [f"{name}.{fname}({a}:)" for a, arg in field.args.items() if not arg.description]
        elif isinstance(t, GraphQLInputObjectType):
            missing += [f"{name}.{f}" for f, field in t.fields.items() if not field.description]
        elif isinstance(t, GraphQLEnumType):
            missing += [f"{name}.{v}" for v, value in t.values.items() if not value.description]
    return missing


def test_every_type_field_argument_and_input_field_is_described() -> None:
    missing = undocumented(build_schema()._schema)
    assert missing == [], f"{len(missing)} without a description: {missing}"
