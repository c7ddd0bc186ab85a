"""Inputs of case mutations (contract/inputs.graphql)."""

from __future__ import annotations

import strawberry

from schema.cases.types import Difficulty


@strawberry.input(description="Create a draft case in a collection.")
class CreateCaseInput:
    collection: strawberry.ID = strawberry.field(description="The collection it goes in.")
    title: str = strawberry.field(description="Title.")
    clinical_history: str | None = strawberry.field(
        default=None, description="Clinical history as the referrer wrote it."
    )
    findings: str | None = strawberry.field(default=None, description="Findings.")
    diagnosis: str | None = strawberry.field(default=None, description="Diagnosis.")
    differential_diagnoses: list[str] | None = strawberry.field(default=None, description="Differential diagnoses.")
    discussion: str | None = strawberry.field(default=None, description="Teaching discussion.")
    teaching_points: str | None = strawberry.field(default=None, description="Teaching points.")
    difficulty: Difficulty | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="How hard the case is for a trainee."
    )
    curriculum_codes: list[str] | None = strawberry.field(
        default=None, description="Curriculum codes the case teaches, e.g. NEURO.STROKE.ISCHAEMIC."
    )
    tags: list[str] | None = strawberry.field(default=None, description="Free tags.")
    modalities: list[str] | None = strawberry.field(default=None, description="Modalities, e.g. CT, MR.")
    body_regions: list[str] | None = strawberry.field(default=None, description="Body regions.")
    comment: str | None = strawberry.field(default=None, description="Why, kept with the version.")


@strawberry.input(description="Edit a case; only the fields given change.")
class UpdateCaseInput:
    id: strawberry.ID = strawberry.field(description="The case.")
    expected_version: int = strawberry.field(description="The version edited; stale is VERSION_CONFLICT.")
    title: str | None = strawberry.field(default=strawberry.UNSET, description="Title.")
    clinical_history: str | None = strawberry.field(
        default=strawberry.UNSET, description="Clinical history as the referrer wrote it."
    )
    findings: str | None = strawberry.field(default=strawberry.UNSET, description="Findings.")
    diagnosis: str | None = strawberry.field(default=strawberry.UNSET, description="Diagnosis.")
    differential_diagnoses: list[str] | None = strawberry.field(
        default=strawberry.UNSET, description="Differential diagnoses."
    )
    discussion: str | None = strawberry.field(default=strawberry.UNSET, description="Teaching discussion.")
    teaching_points: str | None = strawberry.field(default=strawberry.UNSET, description="Teaching points.")
    difficulty: Difficulty | None = strawberry.field(  # type: ignore[valid-type]
        default=strawberry.UNSET, description="How hard the case is for a trainee."
    )
    curriculum_codes: list[str] | None = strawberry.field(
        default=strawberry.UNSET, description="Curriculum codes the case teaches."
    )
    tags: list[str] | None = strawberry.field(default=strawberry.UNSET, description="Free tags.")
    modalities: list[str] | None = strawberry.field(default=strawberry.UNSET, description="Modalities.")
    body_regions: list[str] | None = strawberry.field(default=strawberry.UNSET, description="Body regions.")
    comment: str | None = strawberry.field(default=None, description="Why, kept with the version.")
