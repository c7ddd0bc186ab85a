"""Input types of the partner contract (contract/inputs.graphql)."""

from __future__ import annotations

from enum import Enum

import strawberry

from schema.types import CaseState, Difficulty


@strawberry.enum(description="Result order.")
class CaseOrder(Enum):
    RELEVANCE = "RELEVANCE"
    NEWEST = "NEWEST"
    TITLE = "TITLE"


@strawberry.input(description="Create a draft case in a collection.")
class CreateCaseInput:
    collection: strawberry.ID
    title: str
    clinical_history: str | None = None
    findings: str | None = None
    diagnosis: str | None = None
    differential_diagnoses: list[str] | None = None
    discussion: str | None = None
    teaching_points: str | None = None
    difficulty: Difficulty | None = None  # type: ignore[valid-type]
    curriculum_codes: list[str] | None = None
    tags: list[str] | None = None
    modalities: list[str] | None = None
    body_regions: list[str] | None = None
    comment: str | None = None


@strawberry.input(description="Edit a case; only the fields given change.")
class UpdateCaseInput:
    id: strawberry.ID
    expected_version: int
    title: str | None = strawberry.UNSET
    clinical_history: str | None = strawberry.UNSET
    findings: str | None = strawberry.UNSET
    diagnosis: str | None = strawberry.UNSET
    differential_diagnoses: list[str] | None = strawberry.UNSET
    discussion: str | None = strawberry.UNSET
    teaching_points: str | None = strawberry.UNSET
    difficulty: Difficulty | None = strawberry.UNSET  # type: ignore[valid-type]
    curriculum_codes: list[str] | None = strawberry.UNSET
    tags: list[str] | None = strawberry.UNSET
    modalities: list[str] | None = strawberry.UNSET
    body_regions: list[str] | None = strawberry.UNSET
    comment: str | None = None


@strawberry.input(description="Filters for the cases field.")
class CaseSearch:
    text: str | None = None
    curriculum: list[str] | None = None
    modalities: list[str] | None = None
    body_regions: list[str] | None = None
    difficulties: list[Difficulty] | None = None  # type: ignore[valid-type]
    states: list[CaseState] | None = None  # type: ignore[valid-type]
    collection: strawberry.ID | None = None
    order_by: CaseOrder | None = None  # type: ignore[valid-type]


@strawberry.input(description="Create a collection.")
class CreateCollectionInput:
    parent: strawberry.ID | None = None
    title: str
    slug: str | None = None


@strawberry.input(description="Username and password.")
class LoginInput:
    username: str
    password: str
