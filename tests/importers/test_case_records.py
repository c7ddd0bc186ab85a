"""Importing case metadata: fields land, states go through the workflow with four eyes, a bad row
writes nothing, re-runs skip. On SQLite and PostgreSQL, with real objects built through the services."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, col, func, select

from api.db import SessionFactory
from content.audit import AuditEvent
from content.cases.models import Case, CaseVersion
from content.errors import DomainError, ErrorCode
from content.principal import SYSTEM, Principal
from importers.case_records import import_case_file
from importers.case_report import CaseImportReport
from search import SearchBackend
from search.indexer import CatalogIndexer
from search.service import CaseSearchRequest, search_cases
from tests.content import factories as f

Team = dict[str, Any]


@pytest.fixture
def team(session: Session) -> Team:
    f.curriculum(session)
    out: Team = {"coll": f.collection(session, "Leeds")}
    for name, role in (
        ("author", "trainer"),
        ("checker", "validator"),
        ("registrar", "trainee"),
        ("helper", "contributor"),
    ):
        out[name] = f.person(session, name, role)[1]
    return out


def jsonl(tmp_path: Path, *rows: dict[str, Any] | str) -> Path:
    path = tmp_path / "cases.jsonl"
    path.write_text("".join((row if isinstance(row, str) else json.dumps(row)) + "\n" for row in rows))
    return path


def run(
    session: Session,
    team: Team,
    path: Path,
    *,
    principal: Principal | None = None,
    validator: Principal | None = None,
    dry_run: bool = False,
) -> CaseImportReport:
    return import_case_file(
        path,
        collection_uid=team["coll"],
        session=session,
        principal=principal or team["author"],
        validator=validator,
        dry_run=dry_run,
    )


def cases(session: Session) -> dict[str, Case]:
    session.expire_all()
    return {c.title: c for c in session.exec(select(Case))}


def written(session: Session) -> tuple[int, int, int]:
    """Cases, versions and case audit events: all three stay at zero when a file is refused."""
    return (
        session.exec(select(func.count()).select_from(Case)).one(),
        session.exec(select(func.count()).select_from(CaseVersion)).one(),
        session.exec(
            select(func.count()).select_from(AuditEvent).where(col(AuditEvent.action).startswith("case."))
        ).one(),
    )


def found(
    session: Session, catalog: SearchBackend, indexer: CatalogIndexer, principal: Principal, **request: Any
) -> set[str]:
    assert indexer.wait_idle(10)
    result = search_cases(CaseSearchRequest(**request), session=session, principal=principal, catalog=catalog)
    return {hit.case_id for hit in result.hits}


PNEUMOTHORAX = {
    "title": "Left pneumothorax",
    "history": "Sudden breathlessness after a run.",
    "findings": "Visible pleural edge.",
    "diagnosis": "Pneumothorax, left",
    "differential_diagnoses": ["Bulla", "Skin fold"],
    "curriculum_codes": ["CHEST.PLEURA.PNEUMOTHORAX"],
    "tags": ["plain film"],
    "modalities": ["cr"],
    "body_regions": ["chest"],
    "difficulty": "foundation",
    "patient_age_band": "18-30",
    "patient_sex": "M",
}


def test_json_lines_create_draft_cases_with_every_field(
    session: Session, team: Team, tmp_path: Path, catalog: SearchBackend, indexer: CatalogIndexer
) -> None:
    report = run(session, team, jsonl(tmp_path, PNEUMOTHORAX, {"title": "Normal chest", "state": None}))
    assert report.errors == [] and (report.created, report.skipped) == (2, 0)
    assert [(c.line, c.status, c.path, c.state) for c in report.cases] == [
        (1, "created", "/leeds/left-pneumothorax", "DRAFT"),
        (2, "created", "/leeds/normal-chest", "DRAFT"),
    ]
    case = cases(session)["Left pneumothorax"]
    assert (case.clinical_history, case.findings, case.diagnosis) == (
        "Sudden breathlessness after a run.",
        "Visible pleural edge.",
        "Pneumothorax, left",
    )
    assert case.differential_diagnoses == ["Bulla", "Skin fold"]
    assert (case.curriculum_codes, case.tags) == (["CHEST.PLEURA.PNEUMOTHORAX"], ["plain film"])
    assert (case.modalities, case.body_regions, case.difficulty) == (["CR"], ["CHEST"], "FOUNDATION")
    assert (case.patient_age_band, case.patient_sex, case.state, case.version) == ("18-30", "M", "DRAFT", 1)
    version = session.exec(select(CaseVersion).where(CaseVersion.case_uid == case.uid)).one()
    assert version.author_uid == team["author"].user_id and version.comment == "imported from cases.jsonl, line 1"
    # In the catalog after the commit, found through a curriculum ancestor by its editors only.
    assert found(session, catalog, indexer, team["author"], curriculum=["CHEST"]) == {case.uid}
    assert found(session, catalog, indexer, team["registrar"], curriculum=["CHEST"]) == set()


def test_csv_splits_list_cells_on_semicolons_and_bars(session: Session, team: Team, tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_text(
        "Title,Clinical history,Curriculum,Tags,Modalities,Differentials,Difficulty\n"
        'Acute stroke,"Left arm weakness,\nonset 2 h ago",NEURO.STROKE.ISCHAEMIC,'
        'hyperdense MCA | stroke,CT;MR,"Haemorrhage; Tumour ",Intermediate\n'
    )
    report = run(session, team, path)
    assert report.errors == [] and report.created == 1
    case = cases(session)["Acute stroke"]
    assert case.clinical_history == "Left arm weakness,\nonset 2 h ago"
    assert case.curriculum_codes == ["NEURO.STROKE.ISCHAEMIC"]
    assert (case.tags, case.modalities) == (["hyperdense MCA", "stroke"], ["CT", "MR"])
    assert (case.differential_diagnoses, case.difficulty) == (["Haemorrhage", "Tumour"], "INTERMEDIATE")


def test_state_submitted_runs_submit_as_the_importer(session: Session, team: Team, tmp_path: Path) -> None:
    report = run(
        session, team, jsonl(tmp_path, {"title": "Subdural haematoma", "state": "Submitted"}), principal=team["helper"]
    )
    assert report.errors == [] and report.cases[0].state == "SUBMITTED"
    case = cases(session)["Subdural haematoma"]
    assert (case.state, case.version, case.creator_id) == ("SUBMITTED", 2, team["helper"].user_id)


def test_state_validated_needs_a_second_person(
    session: Session, team: Team, tmp_path: Path, catalog: SearchBackend, indexer: CatalogIndexer
) -> None:
    path = jsonl(
        tmp_path,
        {"title": "Draft one"},
        {"title": "Ischaemic stroke", "state": "validated", "curriculum": ["NEURO.STROKE.ISCHAEMIC"]},
    )
    for validator in (None, team["author"]):
        refused = run(session, team, path, validator=validator)
        assert [(e.line, e.field, e.code) for e in refused.errors] == [(2, "state", "FORBIDDEN")]
        assert "four eyes" in refused.errors[0].reason
        assert written(session) == (0, 0, 0)
    report = run(session, team, path, validator=team["checker"])
    assert report.errors == [] and [c.state for c in report.cases] == ["DRAFT", "VALIDATED"]
    case = cases(session)["Ischaemic stroke"]
    assert (case.state, case.published_version) == ("VALIDATED", 3)
    versions = session.exec(
        select(CaseVersion).where(CaseVersion.case_uid == case.uid).order_by(col(CaseVersion.version))
    ).all()
    assert [(v.state, v.author_uid) for v in versions] == [
        ("DRAFT", team["author"].user_id),
        ("SUBMITTED", team["author"].user_id),
        ("VALIDATED", team["checker"].user_id),
    ]
    assert versions[-1].validator_uid == team["checker"].user_id
    # Published: a trainee now finds it, through the curriculum ancestor too.
    assert found(session, catalog, indexer, team["registrar"], curriculum=["NEURO"]) == {case.uid}


def test_the_system_importer_may_have_cases_validated(session: Session, team: Team, tmp_path: Path) -> None:
    report = run(
        session,
        team,
        jsonl(tmp_path, {"title": "Pleural effusion", "state": "VALIDATED"}),
        principal=SYSTEM,
        validator=team["checker"],
    )
    assert report.errors == [] and cases(session)["Pleural effusion"].state == "VALIDATED"


GOOD = '{"title": "A good row"}'
BAD_ROWS = {
    "unknown field": ('{"title": "X", "colour": "red"}', "colour", "INVALID_INPUT", "unknown field"),
    "missing title": ('{"diagnosis": "No title"}', "title", "INVALID_INPUT", "needs a title"),
    "empty title": ('{"title": "  "}', "title", "INVALID_INPUT", "needs a title"),
    "unknown code": (
        '{"title": "X", "curriculum_codes": ["CHEST.NOPE"]}',
        "curriculum_codes",
        "INVALID_CURRICULUM_CODE",
        "CHEST.NOPE",
    ),
    "bad state": ('{"title": "X", "state": "retired"}', "state", "INVALID_INPUT", "draft, submitted or validated"),
    "bad difficulty": ('{"title": "X", "difficulty": "easy"}', "difficulty", "INVALID_INPUT", "unknown difficulty"),
    "not a list": ('{"title": "X", "tags": 7}', "tags", "INVALID_INPUT", "must be a list"),
    "too long": ('{"title": "' + "x" * 301 + '"}', "title", "INVALID_INPUT", "up to 300"),
    "field twice": (
        '{"title": "X", "history": "a", "clinical_history": "b"}',
        "clinical_history",
        "INVALID_INPUT",
        "given twice",
    ),
    "same title": ('{"title": "a GOOD  row"}', "title", "DUPLICATE", "line 1"),
    "not JSON": ('{"title": ', None, "INVALID_INPUT", "not JSON"),
}


@pytest.mark.parametrize("kind", sorted(BAD_ROWS))
def test_a_bad_row_is_reported_and_nothing_is_written(session: Session, team: Team, tmp_path: Path, kind: str) -> None:
    row, field, code, why = BAD_ROWS[kind]
    report = run(session, team, jsonl(tmp_path, GOOD, row, GOOD.replace("A good", "Another")))
    assert [(e.line, e.field, e.code) for e in report.errors] == [(2, field, code)]
    assert why in report.errors[0].reason and report.cases == []
    assert written(session) == (0, 0, 0)


def test_every_bad_row_is_reported_in_one_run(session: Session, team: Team, tmp_path: Path) -> None:
    path = jsonl(tmp_path, '{"title": "X", "state": "nope", "difficulty": "easy"}', GOOD, "[]", '{"tags": ["a"]}')
    report = run(session, team, path)
    assert [(e.line, e.field) for e in report.errors] == [(1, "state"), (1, "difficulty"), (3, None), (4, "title")]
    assert written(session) == (0, 0, 0)


def test_a_refusal_by_a_service_halfway_rolls_back_the_whole_file(session: Session, team: Team, tmp_path: Path) -> None:
    # Another trainer passes the row checks (not the importer) but may not validate: the workflow
    # refuses on row 2, after row 1's case was created in the same transaction.
    other_trainer = f.person(session, "trainer2", "trainer")[1]
    path = jsonl(tmp_path, GOOD, {"title": "To validate", "state": "validated"})
    report = run(session, team, path, validator=other_trainer)
    assert [(e.line, e.field, e.code) for e in report.errors] == [(2, "transition", "FORBIDDEN")]
    assert written(session) == (0, 0, 0)


def test_an_importer_without_import_permission_is_refused_before_any_row(
    session: Session, team: Team, tmp_path: Path
) -> None:
    with pytest.raises(DomainError) as caught:
        run(session, team, jsonl(tmp_path, GOOD), principal=team["registrar"])
    assert caught.value.code is ErrorCode.FORBIDDEN
    assert written(session) == (0, 0, 0)


def test_a_rerun_skips_cases_already_in_the_collection(
    session: Session, team: Team, tmp_path: Path, sessions: SessionFactory
) -> None:
    first = run(session, team, jsonl(tmp_path, PNEUMOTHORAX, {"title": "Normal chest"}))
    assert first.created == 2
    before = written(session)
    # The same titles, differently cased and spaced, are the same cases; a new title is imported.
    again = run(
        session,
        team,
        jsonl(
            tmp_path,
            {"title": "LEFT  pneumothorax"},
            {"title": "Normal chest"},
            {"title": "Rib fracture", "state": "submitted"},
        ),
    )
    assert again.errors == []
    assert [(c.status, c.path) for c in again.cases] == [
        ("skipped", "/leeds/left-pneumothorax"),
        ("skipped", "/leeds/normal-chest"),
        ("created", "/leeds/rib-fracture"),
    ]
    assert (again.created, again.skipped) == (1, 2)
    assert written(session)[0] == before[0] + 1
    # A collection is its own namespace: the same title elsewhere is a new case.
    with sessions.scope() as other:
        elsewhere = import_case_file(
            jsonl(tmp_path, {"title": "Normal chest"}),
            collection_uid=f.collection(other, "York"),
            session=other,
            principal=SYSTEM,
        )
    assert elsewhere.created == 1


def test_a_dry_run_reports_what_it_would_do_and_writes_nothing(session: Session, team: Team, tmp_path: Path) -> None:
    report = run(session, team, jsonl(tmp_path, PNEUMOTHORAX), dry_run=True)
    assert report.errors == [] and report.created == 1 and "would be created" in report.text()
    assert written(session) == (0, 0, 0)


def test_an_empty_file_is_refused(session: Session, team: Team, tmp_path: Path) -> None:
    with pytest.raises(DomainError, match="holds no cases"):
        run(session, team, jsonl(tmp_path, ""))
