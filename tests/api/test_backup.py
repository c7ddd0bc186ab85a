"""`lightbox export` / `lightbox restore`: the whole repository round-trips exactly, SQLite <-> PostgreSQL.

A repository is built through the services on one backend (the `settings` parameter), exported
with the command, restored into a fresh database of the other backend, and compared table by
table, blob by blob and search by search. Corrupt exports are refused with nothing written.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pydicom
import pytest
import sqlalchemy as sa
import typer
from sqlmodel import Session, col, select
from typer.testing import CliRunner

from api import migrate
from api.backup_cli import export, restore
from api.db import SessionFactory, make_engine
from api.runtime import Runtime
from api.settings import Settings
from content.cases.service import create_case, update_case
from content.cases.transitions import transition
from content.collections.local_roles import grant_local_role
from content.imaging.models import Instance, Series, Study
from content.principal import SYSTEM
from content.tables import metadata
from content.users.models import User
from content.users.service import add_to_cohort, get_or_create_cohort, principal_for
from content.workflow import Transition
from media.store import ContentStore
from search.service import CaseSearchRequest, search_cases
from tests.content import factories as f

PG_SERVER = os.environ.get("LIGHTBOX_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")
DICOM_DIR = Path(pydicom.__file__).parent / "data" / "test_files"
SECRET = "b" * 40

cli = typer.Typer()
cli.command("export")(export)
cli.command("restore")(restore)


def _env(settings: Settings, secret: str) -> dict[str, str]:
    return {
        "LIGHTBOX_DATA_DIR": str(settings.data_dir),
        "LIGHTBOX_DATABASE_URL": settings.db_url,
        "LIGHTBOX_SECRET_KEY": secret,
    }


def run(settings: Settings, *args: str, secret: str = SECRET) -> Any:
    return CliRunner().invoke(cli, list(args), env=_env(settings, secret))


@pytest.fixture
def target(settings: Settings, tmp_path: Path) -> Iterator[Settings]:
    """A brand-new, unmigrated database of the backend the source is not."""
    data_dir = tmp_path / "target"
    if settings.is_postgres:
        yield Settings(data_dir=data_dir, database_url=None, secret_key=SECRET)
        return
    name = f"lightbox_restore_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield Settings(data_dir=data_dir, database_url=f"{PG_SERVER}/{name}", secret_key=SECRET)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def build_repository(session: Session, store: ContentStore) -> None:
    """Users, a cohort, nested collections, local roles, cases in every state with several versions, media."""
    f.curriculum(session)
    north = f.collection(session, "North")
    leeds = f.collection(session, "Leeds", parent=north)
    trainer_user, trainer = f.person(session, "trainer", "trainer")
    _, checker = f.person(session, "checker", "validator")
    contributor_user, _ = f.person(session, "contrib", "contributor")
    trainee_user, _ = f.person(session, "trainee", "trainee")
    cohort = get_or_create_cohort("ST1 2026", session=session, principal=SYSTEM)
    add_to_cohort(cohort.uid, trainee_user.uid, session=session, principal=SYSTEM)
    grant_local_role(leeds, role="contributor", user_uid=contributor_user.uid, session=session, principal=SYSTEM)
    grant_local_role(north, role="trainee", cohort_uid=cohort.uid, session=session, principal=SYSTEM)
    plans = [
        ("Tension pneumothorax", []),
        ("Ischaemic stroke", [Transition.SUBMIT]),
        ("Lobar pneumonia", [Transition.SUBMIT, Transition.VALIDATE]),
        ("Old haemorrhage", [Transition.SUBMIT, Transition.VALIDATE, Transition.RETIRE]),
    ]
    actors = {Transition.SUBMIT: trainer, Transition.VALIDATE: checker, Transition.RETIRE: SYSTEM}
    for n, (title, steps) in enumerate(plans):
        case = create_case(
            collection_uid=leeds if n % 2 else north,
            fields={
                "title": title,
                "diagnosis": title.lower(),
                "tags": ["ünïcode", f"t{n}"],
                "curriculum_codes": ["NEURO.STROKE.ISCHAEMIC"],
                "modalities": ["CT"],
                "differential_diagnoses": ["a", "b"],
                "difficulty": "ADVANCED",
            },
            comment="first",
            session=session,
            principal=trainer,
        )
        for k in range(2):
            case = update_case(
                case.uid,
                expected_version=case.version,
                session=session,
                principal=trainer,
                changes={"findings": f"edit {k} of {title}\nline two"},
                comment=f"edit {k}",
            )
        for step in steps:
            case = transition(case.uid, step, comment="ok", session=session, principal=actors[step])
    key = store.put_file(DICOM_DIR / "CT_small.dcm")
    study = Study(
        case_uid=case.uid,
        study_instance_uid="2.25.1",
        description="CT head",
        modality="CT",
        study_date=date(2001, 2, 3),
        created=datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC),
    )
    series = Series(
        study_uid=study.uid,
        series_instance_uid="2.25.2",
        modality="CT",
        series_number=1,
        instance_count=1,
        thumbnail_key=store.put(b"thumbnail bytes"),
    )
    instance = Instance(
        series_uid=series.uid,
        sop_instance_uid="2.25.3",
        sop_class_uid="1.2.840.10008.5.1.4.1.1.2",
        rows=128,
        columns=128,
        file_key=key,
        size_bytes=(DICOM_DIR / "CT_small.dcm").stat().st_size,
        quarantined=True,
        quarantine_reason="burned-in text?",
    )
    for row in (study, series, instance):  # no ORM relationships, so flush parents first
        session.add(row)
        session.flush()
    session.commit()
    assert trainer_user.uid and contributor_user.uid


def dump(settings: Settings) -> dict[str, list[str]]:
    """Every row of every table as canonical text (datetimes in UTC), sorted: equal dumps, equal data."""
    engine = make_engine(settings)
    present = set(sa.inspect(engine).get_table_names())
    out: dict[str, list[str]] = {}
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            if table.name not in present:
                continue
            rows = []
            for row in conn.execute(sa.select(table)).mappings():
                canon = {
                    k: (
                        v.astimezone(UTC).isoformat()
                        if isinstance(v, datetime)
                        else v.isoformat()
                        if isinstance(v, date)
                        else v
                    )
                    for k, v in row.items()
                }
                rows.append(json.dumps(canon, sort_keys=True))
            out[table.name] = sorted(rows)
    engine.dispose()
    return out


def blobs(settings: Settings) -> dict[str, str]:
    root = settings.media_dir / "blobs"
    return (
        {
            p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in root.rglob("*")
            if p.is_file()
        }
        if root.is_dir()
        else {}
    )


def searches(settings: Settings) -> list[tuple[int, list[str]]]:
    runtime = Runtime.open(settings)
    answers = []
    with runtime.sessions.scope() as session:
        for username in ("trainer", "trainee", "checker"):
            user = session.exec(select(User).where(col(User.username) == username)).one()
            principal = principal_for(user, session=session)
            for text in ("pneumothorax", "stroke", None):
                result = search_cases(
                    CaseSearchRequest(text=text), session=session, principal=principal, catalog=runtime.catalog
                )
                answers.append((result.total, sorted(h.case_id for h in result.hits)))
    runtime.close()
    return answers


@pytest.fixture
def exported(sessions: SessionFactory, settings: Settings, tmp_path: Path) -> Path:
    with sessions.scope() as session:
        build_repository(session, ContentStore(settings.media_dir))
    out = tmp_path / "export"
    result = run(settings, "export", str(out))
    assert result.exit_code == 0, result.output
    return out


def test_round_trip_to_the_other_backend(exported: Path, settings: Settings, target: Settings) -> None:
    manifest = json.loads((exported / "manifest.json").read_text())
    assert manifest["alembic_revision"] == migrate.head_revision()
    assert {"case_version", "audit_event", "local_role_grant", "instance"} <= {t["name"] for t in manifest["tables"]}
    result = run(target, "restore", str(exported))
    assert result.exit_code == 0 and "warning" not in result.output, result.output
    source, restored = dump(settings), dump(target)
    assert source["case_version"] and source["audit_event"] and source["cohort_member"]
    assert restored == source
    assert blobs(target) == blobs(settings) and len(blobs(settings)) == 2
    assert searches(target) == searches(settings)
    # Sequences moved past the restored ids: the restored repository takes new writes.
    runtime = Runtime.open(target)
    with runtime.sessions.scope() as session:
        trainer = session.exec(select(User).where(col(User.username) == "trainer")).one()
        case = create_case(
            collection_uid=session.execute(sa.text("select uid from collection limit 1")).scalar_one(),
            fields={"title": "After restore"},
            session=session,
            principal=principal_for(trainer, session=session),
        )
        update_case(
            case.uid,
            expected_version=1,
            changes={"findings": "x"},
            session=session,
            principal=principal_for(trainer, session=session),
        )
    runtime.close()
    # A second restore would mix two repositories: refused, unless --force replaces the content.
    again = run(target, "restore", str(exported))
    assert again.exit_code == 1 and "not empty" in again.output and "--force" in again.output
    # Under another secret key a re-import would remap UIDs anew and duplicate studies: warned.
    forced = run(target, "restore", "--force", str(exported), secret="o" * 40)
    assert forced.exit_code == 0 and "LIGHTBOX_SECRET_KEY differs" in forced.output, forced.output
    assert dump(target) == source
    refused = run(settings, "export", str(exported))
    assert refused.exit_code == 1 and "not an empty folder" in refused.output
    # A table no model declares would be left out of a backup silently: the export refuses instead.
    engine = make_engine(target)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE stray_rows (id INTEGER PRIMARY KEY)"))
    engine.dispose()
    stray = run(target, "export", str(exported.parent / "again"))
    assert stray.exit_code == 1 and "stray_rows" in stray.output
    assert not [p.name for p in exported.parent.iterdir() if "again" in p.name]  # no partial folder left


def _corrupt_row(folder: Path) -> None:
    path = folder / "tables" / "case.jsonl"
    path.write_text(path.read_text().replace("Tension", "Tensi0n"))


def _drop_blob(folder: Path) -> None:
    next(p for p in (folder / "media").rglob("*") if p.is_file()).unlink()


def _future_format(folder: Path) -> None:
    path = folder / "manifest.json"
    path.write_text(path.read_text().replace('"format_version": 1', '"format_version": 99'))


DAMAGES = [
    (_corrupt_row, "does not match its sha256"),
    (_drop_blob, "is missing"),
    (_future_format, "format version 99"),
]


def test_a_damaged_export_is_refused_and_nothing_written(exported: Path, target: Settings, tmp_path: Path) -> None:
    for n, (damage, message) in enumerate(DAMAGES):
        broken = tmp_path / f"broken-{n}"
        shutil.copytree(exported, broken)
        damage(broken)
        result = run(target, "restore", str(broken))
        assert result.exit_code == 1 and message in result.output, result.output
        assert "Traceback" not in result.output
        engine = make_engine(target)
        assert migrate.current_revision(engine) is None  # not even the schema was written
        engine.dispose()
        assert blobs(target) == {}
