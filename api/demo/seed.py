"""Seed a demo repository: the sample curriculum, four people, collections and teaching cases."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from sqlmodel import Session, select

from api.demo.images import attach_images, attach_volume
from api.settings import Settings
from content.cases.service import create_case
from content.cases.transitions import transition
from content.collections.service import by_path, create_collection
from content.curriculum.service import SAMPLE_CURRICULUM, load_tree, read_tree_file
from content.errors import DomainError
from content.principal import SYSTEM
from content.users.models import User
from content.users.service import add_to_cohort, add_user, get_or_create_cohort, principal_for
from content.worklists.assignments import assign_worklist
from content.worklists.feedback import give_feedback
from content.worklists.report_fields import ReportFields
from content.worklists.reports import submit_report
from content.worklists.service import WorklistSpec, create_worklist
from media.store import ContentStore

CASES_FILE = Path(__file__).with_name("cases.yaml")
PEOPLE = (
    ("admin", "administrator", "Dr A. Admin"),
    ("trainer", "trainer", "Dr T. Trainer"),
    ("validator", "validator", "Dr V. Validator"),
    ("trainee", "trainee", "Dr R. Registrar"),
)
CASE_FIELDS = (
    "title",
    "clinical_history",
    "findings",
    "diagnosis",
    "differential_diagnoses",
    "discussion",
    "teaching_points",
    "difficulty",
    "modalities",
    "body_regions",
    "patient_age_band",
    "patient_sex",
    "tags",
)


def seed(session: Session, *, settings: Settings | None = None) -> Iterator[str]:
    settings = settings or Settings()  # read when seeding, never at import time
    if session.exec(select(User)).first() is not None:
        yield "the data dir already holds a repository; nothing seeded"
        return
    added, _ = load_tree(read_tree_file(SAMPLE_CURRICULUM), session=session, principal=SYSTEM)
    yield f"curriculum: {added} codes"
    users = {}
    for username, role, name in PEOPLE:
        password = secrets.token_urlsafe(12)
        users[username] = add_user(
            username, roles=[role], password=password, display_name=name, session=session, principal=SYSTEM
        )
        yield f"user {username:<10} role {role:<13} password {password}"
    data: dict[str, Any] = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8")) if CASES_FILE.exists() else {}
    for spec in data.get("collections", []):
        parent_path, _, slug = spec["path"].rpartition("/")
        parent = by_path(parent_path, session=session).uid if parent_path else None
        create_collection(title=spec["title"], parent_uid=parent, slug=slug, session=session, principal=SYSTEM)
        yield f"collection {spec['path']}"
    trainer = principal_for(users["trainer"], session=session)
    validator = principal_for(users["validator"], session=session)
    steps = {
        "DRAFT": [],
        "SUBMITTED": [("SUBMIT", trainer)],
        "VALIDATED": [("SUBMIT", trainer), ("VALIDATE", validator)],
    }
    count = images = 0
    validated: list[str] = []
    volumes: list[str] = []  # validated cases with a phantom volume: on the worklist, reported blind
    store, secret = ContentStore(settings.media_dir), settings.secret()
    for spec in data.get("cases", []):
        fields = {k: spec[k] for k in CASE_FIELDS if spec.get(k) is not None}
        fields["curriculum_codes"] = spec.get("curriculum", [])
        try:
            case = create_case(
                collection_uid=by_path(spec["collection"], session=session).uid,
                fields=fields,
                comment="demo case",
                session=session,
                principal=trainer,
            )
            if spec.get("images"):  # before the workflow steps: images are part of the version validated
                images += attach_images(case, spec["images"], session=session, store=store, secret=secret).imported
            if spec.get("volume"):  # a synthetic multi-slice series, as a second study
                images += attach_volume(case, spec["volume"], session=session, store=store, secret=secret).imported
            for name, actor in steps.get(spec.get("state", "DRAFT"), []):
                transition(case.uid, name, comment="demo", session=session, principal=actor)
            count += 1
            if spec.get("state") == "VALIDATED":
                validated.append(case.uid)
                if spec.get("volume"):
                    volumes.append(case.uid)
        except DomainError as exc:
            yield f"skipped case {spec.get('title')!r}: {exc.message}"
    yield f"cases: {count}, with {images} DICOM images"
    # The first validated case is reported and marked; the volumes come next, for the viewer.
    ordered = validated[:1] + volumes + [uid for uid in validated[1:] if uid not in volumes]
    yield from _reporting_round(session, users, ordered)


def _reporting_round(session: Session, users: dict[str, User], validated: list[str]) -> Iterator[str]:
    """A worklist assigned to a cohort with one case reported and marked, so progress and coverage
    have something to show on first start."""
    if len(validated) < 2:
        return
    trainer = principal_for(users["trainer"], session=session)
    cohort = get_or_create_cohort("ST1 2026", session=session, principal=SYSTEM)
    add_to_cohort(cohort.uid, users["trainee"].uid, session=session, principal=SYSTEM)
    worklist = create_worklist(
        WorklistSpec(
            title="Demo reporting list",
            mode="LONG_CASE",
            case_uids=tuple(validated[:4]),
            instructions="Report each case as you would on call.",
        ),
        session=session,
        principal=trainer,
    )
    [assignment] = assign_worklist(worklist.uid, cohort_uid=cohort.uid, session=session, principal=trainer)
    trainee = principal_for(users["trainee"], session=session)
    report = submit_report(
        assignment.uid,
        validated[0],
        ReportFields(
            observations="Findings as described on the images.",
            principal_diagnosis="See model answer",
            differential_diagnoses=[],
            management="Discuss with the on-call team.",
        ),
        session=session,
        principal=trainee,
    )
    give_feedback(
        report.uid,
        score=6,
        comment="A sound report; compare with the model answer.",
        session=session,
        principal=trainer,
    )
    yield f"worklist {worklist.title!r}: {len(validated[:4])} cases, assigned to cohort {cohort.title}, 1 reported"
