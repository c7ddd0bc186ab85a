"""Importing case metadata (title, history, findings, codes, tags, state...) as new cases in a collection.

Two phases over a whole file. First every row is checked: columns, each field through the case
services' own rules (content.cases.fields, curriculum codes included), the state, four eyes; any bad
row refuses the file and every bad row is reported. Then the new cases are created and moved
through the workflow by the content services, as the importer (and the validator for VALIDATE), in
one transaction committed once: a refusal from a service halfway through leaves nothing behind.

Identity: a case's title within the collection, compared ignoring case and runs of spaces. A row
whose title matches a case already there is skipped, so re-running a file imports only what is new;
two rows of one file with the same title are a bad row (one of them would be skipped silently).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from content.cases.fields import LIST_FIELDS, clean_changes
from content.cases.models import Case
from content.cases.service import create_case
from content.cases.transitions import transition
from content.collections.service import get_collection
from content.errors import DomainError, ErrorCode
from content.principal import Principal
from content.security.policy import require
from content.security.roles import Permission
from content.workflow import State, Transition
from importers.case_files import RawRow, read_case_file
from importers.case_report import CaseImportReport, CaseOutcome, RowError

# File column → case field. The case's own field names, plus the short names people write in a
# spreadsheet. Licence and key images are not importable: the licence comes from the collection,
# key images point at DICOM instances a metadata file cannot name.
FIELDS = (
    "title",
    "clinical_history",
    "findings",
    "diagnosis",
    "differential_diagnoses",
    "discussion",
    "teaching_points",
    "difficulty",
    "patient_age_band",
    "patient_sex",
    "modalities",
    "body_regions",
    "curriculum_codes",
    "tags",
)
ALIASES = {
    "history": "clinical_history",
    "differentials": "differential_diagnoses",
    "curriculum": "curriculum_codes",
    "modality": "modalities",
    "body_region": "body_regions",
}
COLUMNS: dict[str, str] = {**{name: name for name in FIELDS}, **ALIASES, "state": "state"}
# `;` or `|` between the items of a list field in a CSV cell (or a JSON string given for a list).
# Not `,`: it is the CSV delimiter and appears inside diagnoses ("Fracture, distal radius").
LIST_SEPARATORS = re.compile(r"[;|]")
# The workflow steps that bring a new (draft) case to each state a file may ask for, and who takes
# each: the importer submits, the named validator validates.
STEPS: dict[State, tuple[Transition, ...]] = {
    State.DRAFT: (),
    State.SUBMITTED: (Transition.SUBMIT,),
    State.VALIDATED: (Transition.SUBMIT, Transition.VALIDATE),
}


@dataclass(frozen=True)
class CaseRecord:
    """A checked row: what create_case gets, the state to reach, and the case it matches if any."""

    line: int
    fields: dict[str, Any]
    state: State
    existing: tuple[str, str] | None = None  # (path, state) of the case already holding this title


def title_key(title: str) -> str:
    """A title as compared for duplicates: whitespace collapsed, case folded."""
    return " ".join(title.split()).casefold()


def column_name(name: str) -> str:
    """`Clinical history`, `clinical-history` and `clinical_history` name the same column."""
    return re.sub(r"[\s-]+", "_", name.strip().lower())


def _field_value(field: str, value: Any) -> Any:
    if field in LIST_FIELDS and isinstance(value, str):
        return [item.strip() for item in LIST_SEPARATORS.split(value) if item.strip()]
    if field == "difficulty" and isinstance(value, str):
        return value.strip().upper()
    return value


def _state(
    row: RawRow, name: str, value: Any, validator: Principal | None, importer: Principal
) -> tuple[State | None, RowError | None]:
    text = value.strip().upper() if isinstance(value, str) else None
    state = State(text) if text in {s.value for s in STEPS} else None
    if state is None:
        return None, RowError(
            row.line, name, ErrorCode.INVALID_INPUT.value, f"state must be draft, submitted or validated, not {value!r}"
        )
    if state is State.VALIDATED and (validator is None or validator.user_id == importer.user_id):
        # Four eyes: a validated case needs a second person, named for the import, who did not author it.
        return None, RowError(
            row.line,
            name,
            ErrorCode.FORBIDDEN.value,
            "a validated case needs a validator other than the importer (four eyes)",
        )
    return state, None


def check_row(
    row: RawRow, *, session: Session, importer: Principal, validator: Principal | None
) -> tuple[CaseRecord | None, list[RowError]]:
    """The row as a record ready to create, or every reason it is not."""
    errors: list[RowError] = []
    fields: dict[str, Any] = {}
    given: dict[str, str] = {}  # field → the column that gave it, to refuse a field given twice
    state: State | None = State.DRAFT
    for name, value in row.values.items():
        field = COLUMNS.get(column_name(name))
        if field is None:
            errors.append(RowError(row.line, name, ErrorCode.INVALID_INPUT.value, "unknown field"))
            continue
        if field in given:
            errors.append(RowError(row.line, name, ErrorCode.INVALID_INPUT.value, f"given twice (also {given[field]})"))
            continue
        given[field] = name
        if value is None:  # JSON null: as if absent
            continue
        if field == "state":
            state, error = _state(row, name, value, validator, importer)
            errors.extend([error] if error else [])
            continue
        try:
            fields.update(clean_changes({field: _field_value(field, value)}, session=session))
        except DomainError as exc:
            errors.append(RowError(row.line, name, exc.code.value, exc.message))
    if "title" not in given:
        errors.append(RowError(row.line, "title", ErrorCode.INVALID_INPUT.value, "a case needs a title"))
    if errors or state is None:
        return None, errors
    return CaseRecord(row.line, fields, state), []


def check_rows(
    rows: Iterable[RawRow], *, collection_uid: str, session: Session, importer: Principal, validator: Principal | None
) -> tuple[list[CaseRecord], list[RowError]]:
    """Rows checked against the collection and the curriculum: records to create and row errors."""
    existing = {
        title_key(title): (path, state)
        for title, path, state in session.exec(
            select(Case.title, Case.path, Case.state).where(Case.collection_uid == collection_uid)
        )
    }
    records: list[CaseRecord] = []
    errors: list[RowError] = []
    first_line: dict[str, int] = {}
    for row in rows:
        record, row_errors = check_row(row, session=session, importer=importer, validator=validator)
        errors.extend(row_errors)
        if record is None:
            continue
        key = title_key(record.fields["title"])
        if key in first_line:
            errors.append(
                RowError(row.line, "title", ErrorCode.DUPLICATE.value, f"the same title as line {first_line[key]}")
            )
            continue
        first_line[key] = row.line
        records.append(CaseRecord(record.line, record.fields, record.state, existing.get(key)))
    return records, errors


def _write(
    record: CaseRecord,
    *,
    collection_uid: str,
    source: str,
    session: Session,
    importer: Principal,
    validator: Principal | None,
) -> CaseOutcome:
    title = record.fields["title"]
    if record.existing is not None:
        return CaseOutcome(record.line, "skipped", title, *record.existing)
    case = create_case(
        collection_uid=collection_uid,
        fields=record.fields,
        comment=f"imported from {source}, line {record.line}",
        session=session,
        principal=importer,
        commit=False,
    )
    for step in STEPS[record.state]:
        actor = validator if step is Transition.VALIDATE and validator is not None else importer
        transition(case.uid, step, comment=f"imported from {source}", session=session, principal=actor, commit=False)
    return CaseOutcome(record.line, "created", title, case.path, case.state)


def import_case_rows(
    rows: Iterable[RawRow],
    *,
    collection_uid: str,
    session: Session,
    principal: Principal,
    validator: Principal | None = None,
    source: str = "a file",
    dry_run: bool = False,
    unreadable: Sequence[RowError] = (),
) -> CaseImportReport:
    """Check every row, then create the new cases in one transaction (rolled back on a dry run).

    `unreadable` are rows the reader could not parse: they refuse the file like any bad row, and
    are reported with the others so one run shows every problem. The report's errors are
    non-empty exactly when nothing was written.
    """
    require(principal, Permission.IMPORT, get_collection(collection_uid, session=session))
    records, errors = check_rows(
        rows, collection_uid=collection_uid, session=session, importer=principal, validator=validator
    )
    if unreadable or errors:
        session.rollback()
        return CaseImportReport(errors=sorted([*unreadable, *errors], key=lambda e: e.line), dry_run=dry_run)
    report = CaseImportReport(dry_run=dry_run)
    record: CaseRecord | None = None
    try:
        for record in records:
            report.cases.append(
                _write(
                    record,
                    collection_uid=collection_uid,
                    source=source,
                    session=session,
                    importer=principal,
                    validator=validator,
                )
            )
    except DomainError as exc:
        # A service refused (a permission, a guard): the row is as bad as one refused by the checks.
        session.rollback()
        line = record.line if record is not None else 0
        return CaseImportReport(errors=[RowError(line, exc.field, exc.code.value, exc.message)], dry_run=dry_run)
    except BaseException:
        session.rollback()
        raise
    if dry_run:
        session.rollback()  # the events of a rolled-back transaction are discarded: nothing is indexed
    else:
        session.commit()
    return report


def import_case_file(
    path: Path,
    *,
    collection_uid: str,
    session: Session,
    principal: Principal,
    validator: Principal | None = None,
    dry_run: bool = False,
) -> CaseImportReport:
    """Import a .jsonl/.ndjson or .csv file of case metadata whole, or report why not."""
    rows, unreadable = read_case_file(path)
    if not rows and not unreadable:
        raise DomainError(ErrorCode.INVALID_INPUT, f"{path.name} holds no cases", field="file")
    return import_case_rows(
        rows,
        collection_uid=collection_uid,
        session=session,
        principal=principal,
        validator=validator,
        source=path.name,
        dry_run=dry_run,
        unreadable=unreadable,
    )
