"""Inputs of case mutations (contract/inputs.graphql)."""

from __future__ import annotations

import strawberry

from schema.cases.types import Difficulty


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
