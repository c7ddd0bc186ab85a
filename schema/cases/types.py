"""A teaching case as the caller may see it, its versions, audit trail and provenance."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry.types import Info

from content.cases.fields import Difficulty as DifficultyLevel
from content.cases.models import Case as CaseRow
from content.cases.versions import history
from content.cases.visibility import CaseView, case_view
from content.imaging.answer_attributes import shown_text
from content.imaging.served import shown_version
from content.imaging.tree import case_images, key_instances, thumbnail_series
from content.security.policy import may
from content.security.roles import Permission
from content.workflow import State
from media.urls import thumbnail_url
from schema.annotations.types import Annotation, annotations_of
from schema.collections.types import Collection
from schema.core.context import Context
from schema.core.enums import describe_values
from schema.core.errors import Error
from schema.core.ids import to_global_id
from schema.core.node import Node
from schema.curriculum.types import CurriculumNode
from schema.imaging.types import Instance, Series, Study
from schema.users.types import Person

# The domain's own enums, exposed as they are: one definition of each value set.
CaseState = strawberry.enum(State, name="CaseState", description="Workflow state.")

describe_values(
    CaseState,
    {
        "DRAFT": "Being written; visible to its owners, trainers and administrators.",
        "SUBMITTED": "Waiting for a validator's review.",
        "VALIDATED": "Published: visible to every role.",
        "RETIRED": "Withdrawn from publication; visible to editors and validators.",
    },
)


Difficulty = strawberry.enum(DifficultyLevel, name="Difficulty", description="How hard a case is for a trainee.")

describe_values(
    Difficulty,
    {
        "FOUNDATION": "For a trainee early in training.",
        "INTERMEDIATE": "For a trainee midway through training.",
        "ADVANCED": "For a trainee near the end of training.",
    },
)


@strawberry.type(description="One saved version of a case.")
class CaseVersion:
    version: int = strawberry.field(description="Version number.")
    state: CaseState = strawberry.field(description="State it was saved in.")  # type: ignore[valid-type]
    author: Person | None = strawberry.field(description="Who saved it.")
    created_at: datetime = strawberry.field(description="When.")
    comment: str = strawberry.field(description="Why.")
    changed_fields: list[str] = strawberry.field(description="Fields changed from the previous version.")


@strawberry.type(description="One audited change.")
class AuditEntry:
    at: datetime = strawberry.field(description="When.")
    actor: str = strawberry.field(description="Username of who did it.")
    action: str = strawberry.field(description="What, e.g. case.validate.")
    comment: str | None = strawberry.field(description="The comment given, if any.")


@strawberry.type(description="Where a case comes from and who vouched for it: what a partner must cite.")
class Provenance:
    licence: str = strawberry.field(description="Licence of the version shown, e.g. CC-BY-NC-4.0.")
    collection: Collection | None = strawberry.field(description="The contributing collection.")
    validated_by: str | None = strawberry.field(
        description="Display name of whoever validated the published version; null if never validated."
    )
    validated_at: datetime | None = strawberry.field(description="When the published version was validated.")


def _prime_validators(ctx: Context) -> None:
    """Once per request: every validator of the page's published versions, in one users query."""
    if ctx.caches.validators_primed:
        return
    ctx.caches.validators_primed = True
    loaders = ctx.loaders
    keys = [(r.uid, r.published_version) for r in loaders.case_rows.values() if r.published_version]
    loaders.versions.want(keys)
    snaps = [loaders.versions.get(k) for k in keys]  # one query for every key not loaded yet
    loaders.users.want(s.validator_uid for s in snaps if s is not None)


@strawberry.type(description="A teaching case, as the caller may see it.")
class Case(Node):
    row: strawberry.Private[CaseRow]
    data: strawberry.Private[dict[str, Any]]
    blind: strawberry.Private[bool]
    uid: str = strawberry.field(description="Stable unique id.")
    path: str = strawberry.field(description="Path in the repository.")
    state: CaseState = strawberry.field(description="Workflow state of the version shown.")  # type: ignore
    version: int = strawberry.field(description="Version shown.")
    published_version: int | None = strawberry.field(description="Last validated version.")
    created_at: datetime = strawberry.field(description="Created.")
    modified_at: datetime = strawberry.field(description="Last modified.")

    # Plain attributes, not resolver methods: strawberry reads them without a call per field.
    title: str | None = strawberry.field(description="Title.")
    clinical_history: str | None = strawberry.field(description="Clinical history as the referrer wrote it.")
    findings: str | None = strawberry.field(description="Findings.")
    diagnosis: str | None = strawberry.field(description="Diagnosis.")
    differential_diagnoses: list[str] | None = strawberry.field(description="Differential diagnoses.")
    discussion: str | None = strawberry.field(description="Teaching discussion.")
    teaching_points: str | None = strawberry.field(description="Teaching points.")
    difficulty: Difficulty | None = strawberry.field(description="Difficulty.")  # type: ignore[valid-type]
    patient_age_band: str | None = strawberry.field(description="Patient age band.")
    patient_sex: str | None = strawberry.field(description="Patient sex (M, F, O).")
    modalities: list[str] = strawberry.field(description="Modalities.")
    body_regions: list[str] = strawberry.field(description="Body regions.")
    tags: list[str] | None = strawberry.field(description="Free tags.")
    licence: str = strawberry.field(description="Licence.")

    def _get(self, name: str) -> Any:
        return self.data.get(name)

    @strawberry.field(description="Curriculum nodes the case teaches.")
    def curriculum(self, info: Info[Context, None]) -> list[CurriculumNode] | None:
        codes = self._get("curriculum_codes")
        if codes is None:
            return None
        loader = info.context.loaders.curriculum
        loader.want(codes)  # one query for all of them (a lone case page is not primed)
        return [CurriculumNode.of(n) for n in (loader.get(c) for c in codes) if n]

    @strawberry.field(description="The contributing collection.")
    def collection(self, info: Info[Context, None]) -> Collection | None:
        row = info.context.loaders.collections.get(self.row.collection_uid)
        return Collection.of(row) if row else None

    @strawberry.field(description="Who created the case.")
    def creator(self, info: Info[Context, None]) -> Person | None:
        row = info.context.loaders.users.get(self.row.creator_id)
        return Person(display_name=row.display_name) if row else None

    @strawberry.field(
        description="Key images of the version shown, in order; null while the case is blind "
        "to the caller (they point at the answer)."
    )
    def key_images(self, info: Info[Context, None]) -> list[Instance] | None:
        uids = self._get("key_images")
        if uids is None:
            return None
        ctx = info.context
        rows = key_instances(uids, session=ctx.session, principal=ctx.principal, case=self.row)
        return [Instance.of(r) for r in rows]

    @strawberry.field(
        description="Arrows, ellipses and measurements on the images of the version shown; null while the case "
        "is blind to the caller (they point at the answer)."
    )
    def annotations(self, info: Info[Context, None]) -> list[Annotation] | None:
        if self.blind:
            return None
        return annotations_of(self._get("annotations"), info.context)

    @strawberry.field(
        description="DICOM studies of the version shown (its image set), de-identified, as the caller may see them."
    )
    def studies(self, info: Info[Context, None]) -> list[Study]:
        ctx = info.context
        views = case_images(
            [self.row], session=ctx.session, principal=ctx.principal, versions={self.row.uid: self.version}
        )[self.row.uid]
        # A study or series description ("CT head - stroke protocol") can name the answer of a blind case.
        blind = self.row.uid in ctx.blinded_cases()
        return [
            Study(
                id=strawberry.ID(to_global_id("Study", v.study.uid)),
                description=shown_text("StudyDescription", v.study.description, blind=blind),
                modality=v.study.modality,
                study_date=v.study.study_date.isoformat() if v.study.study_date else None,
                series=[Series.of(s, blind=blind, study_instance_uid=v.study.study_instance_uid) for s in v.series],
            )
            for v in views
        ]

    @strawberry.field(description="Thumbnail of the case's key image series (or its first series).")
    def thumbnail_url(self, info: Info[Context, None]) -> str | None:
        ctx = info.context
        if self.version != shown_version(ctx.principal, self.row):
            # An assignment's pinned version: the thumbnail comes from its own image set.
            series = thumbnail_series(
                [self.row], session=ctx.session, principal=ctx.principal, versions={self.row.uid: self.version}
            )[self.row.uid]
            return thumbnail_url(series) if series is not None else None
        loaders = ctx.loaders
        loaders.case_rows.setdefault(self.row.uid, self.row)
        series = loaders.thumbnails.get(self.row.uid)
        return thumbnail_url(series) if series is not None else None

    @strawberry.field(description="Saved versions, oldest first (editors only).")
    def history(self, info: Info[Context, None]) -> list[CaseVersion] | None:
        ctx = info.context
        if not may(ctx.principal, Permission.VIEW_HISTORY, self.row):
            return None
        rows = history(ctx.session, self.row.uid)
        ctx.loaders.users.want(r.author_uid for r in rows)
        out = []
        for r in rows:
            author = ctx.loaders.users.get(r.author_uid)
            out.append(
                CaseVersion(
                    version=r.version,
                    state=CaseState(r.state),
                    created_at=r.created,
                    author=Person(display_name=author.display_name) if author else None,
                    comment=r.comment,
                    changed_fields=list(r.changed_fields),
                )
            )
        return out

    @strawberry.field(description="The audit trail of the case (editors only), oldest first.")
    def audit_trail(self, info: Info[Context, None]) -> list[AuditEntry] | None:
        from content.audit import trail

        ctx = info.context
        if not may(ctx.principal, Permission.VIEW_HISTORY, self.row):
            return None
        return [
            AuditEntry(at=e.at, actor=e.actor_name, action=e.action, comment=e.detail.get("comment"))
            for e in trail(ctx.session, self.row.uid)
        ]

    @strawberry.field(description="Transitions this caller may make now.")
    def available_transitions(self, info: Info[Context, None]) -> list[str]:
        from content.cases.transitions import available_transitions

        ctx = info.context
        return [t.value for t in available_transitions(self.row, session=ctx.session, principal=ctx.principal)]

    @strawberry.field(description="Who validated the published version (provenance).")
    def validator(self, info: Info[Context, None]) -> Person | None:
        snap = info.context.loaders.versions.get((self.row.uid, self.row.published_version or 0))
        row = info.context.loaders.users.get(snap.validator_uid) if snap else None
        return Person(display_name=row.display_name) if row else None

    @strawberry.field(description="Licence, contributing collection and validation of the published version.")
    def provenance(self, info: Info[Context, None]) -> Provenance:
        ctx = info.context
        ctx.loaders.case_rows.setdefault(self.row.uid, self.row)
        _prime_validators(ctx)
        published = self.row.published_version
        snap = ctx.loaders.versions.get((self.row.uid, published)) if published else None
        validator = ctx.loaders.users.get(snap.validator_uid) if snap is not None else None
        collection = ctx.loaders.collections.get(self.row.collection_uid)
        return Provenance(
            licence=self.licence,
            collection=Collection.of(collection) if collection else None,
            validated_by=validator.display_name if validator else None,
            validated_at=snap.created if snap is not None and snap.validator_uid else None,
        )

    @staticmethod
    def of(row: CaseRow, ctx: Context) -> Case | None:
        """The case as the caller may see it (content.cases.visibility): version, and answer if blind."""

        def snapshot(version: int) -> dict[str, Any] | None:
            snap = ctx.loaders.versions.get((row.uid, version))
            return dict(snap.data) if snap is not None else None

        view = case_view(row, ctx.principal, blind_label=ctx.blind_labels().get(row.uid), snapshot=snapshot)
        return Case.from_view(row, view) if view is not None else None

    @staticmethod
    def from_view(row: CaseRow, view: CaseView) -> Case:
        get = view.data.get
        return Case(
            id=strawberry.ID(to_global_id("Case", row.uid)),
            row=row,
            data=view.data,
            blind=view.blind,
            uid=row.uid,
            path=view.path,
            state=CaseState(view.state),
            version=view.version,
            published_version=row.published_version,
            created_at=row.created,
            modified_at=row.modified,
            title=get("title"),
            clinical_history=get("clinical_history"),
            findings=get("findings"),
            diagnosis=get("diagnosis"),
            differential_diagnoses=get("differential_diagnoses"),
            discussion=get("discussion"),
            teaching_points=get("teaching_points"),
            difficulty=DifficultyLevel(get("difficulty")) if get("difficulty") else None,
            patient_age_band=get("patient_age_band"),
            patient_sex=get("patient_sex"),
            modalities=get("modalities") or [],
            body_regions=get("body_regions") or [],
            tags=get("tags"),
            licence=get("licence") or row.licence,
        )


def prime_cases(rows: list[CaseRow], ctx: Context) -> None:
    """Tell the loaders everything a page of cases will ask for, so each relation is one query."""
    ctx.loaders.case_rows.update((r.uid, r) for r in rows)
    ctx.loaders.thumbnails.want(r.uid for r in rows)
    ctx.loaders.collections.want(r.collection_uid for r in rows)
    ctx.loaders.users.want(r.creator_id for r in rows)
    ctx.loaders.curriculum.want(code for r in rows for code in r.curriculum_codes)
    ctx.loaders.versions.want((r.uid, r.published_version) for r in rows if r.published_version)


def pinned_case(row: CaseRow, version: int, *, blind: bool, label: str, ctx: Context) -> Case | None:
    """The pinned version for its assignee. Blind: answer fields are null and the title is `label`
    ("Case 2 of Chest list"), whatever else the caller could see of the case."""

    def snapshot(v: int) -> dict[str, Any] | None:
        snap = ctx.loaders.versions.get((row.uid, v))
        return dict(snap.data) if snap is not None else None

    view = case_view(row, ctx.principal, blind_label=label if blind else None, snapshot=snapshot, pinned=version)
    return Case.from_view(row, view) if view is not None else None


@strawberry.type(description="Result of a case mutation.")
class CasePayload:
    case: Case | None = strawberry.field(description="The case after the change.")
    errors: list[Error] = strawberry.field(description="Why it failed.")
