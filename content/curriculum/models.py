"""A curriculum node: a code such as NEURO.STROKE.ISCHAEMIC, its title, parent and flags."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class CurriculumNode(SQLModel, table=True):
    """One node of the curriculum tree, keyed by its dotted code."""

    __tablename__ = "curriculum_node"

    code: str = Field(primary_key=True, max_length=120)
    title: str = Field(max_length=300)
    parent_code: str | None = Field(default=None, foreign_key="curriculum_node.code", index=True)
    depth: int = 1
    plain_film: bool = False
    cross_sectional: bool = False
    acute: bool = False
    core: bool = False
    normal: bool = False
    # Codes are never reused or renamed: a retired code points at its replacement.
    deprecated: bool = False
    replaced_by: str | None = Field(default=None, max_length=120)


def parent_of(code: str) -> str | None:
    """The parent's code of a dotted curriculum code, or None at the top."""
    head, _, _ = code.rpartition(".")
    return head or None


def ancestors_and_self(code: str) -> list[str]:
    """A dotted code and every ancestor's code, from the top down."""
    parts = code.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]
