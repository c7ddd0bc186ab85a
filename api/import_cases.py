"""`lightbox import cases FILE --collection PATH`: case metadata from JSON lines or CSV (contract/CLI.md).

Thin: resolves the collection and the principals, calls importers.case_records, prints the report.
Registered on the `import` group in api.cli (not in api.imports, which this module builds on).
"""

from __future__ import annotations

import time
from pathlib import Path

import typer
from sqlmodel import Session

from api.imports import _fail, _import_session, _principal
from content.errors import DomainError, ErrorCode
from content.principal import Principal
from importers.case_report import CaseImportReport

# Help paragraphs are single strings: typer's rich help keeps a docstring's line breaks.
HELP = (
    "Import case metadata from JSON lines (.jsonl, .ndjson) or CSV (.csv) as new cases.\n\n"
    "Columns: title (required), clinical_history (or history), findings, diagnosis, differential_diagnoses "
    "(or differentials), discussion, teaching_points, difficulty (foundation, intermediate, advanced), "
    "patient_age_band, patient_sex, modalities, body_regions, curriculum_codes (or curriculum), tags, state "
    "(draft, the default; submitted; or validated, which needs --validated-by). In CSV, separate the items "
    "of a list field with ';' or '|'; in JSON lines give a list of strings.\n\n"
    "The title is a case's identity: a row whose title matches a case already in the collection (ignoring "
    "case and spacing) is skipped, so re-running a file imports only what is new. Every row is checked "
    "first; any bad row is reported with its line and field, and nothing is imported (exit 1)."
)


def _validator(session: Session, validated_by: str | None, as_user: str | None) -> Principal | None:
    if validated_by is None:
        return None
    if validated_by == as_user:
        raise DomainError(
            ErrorCode.FORBIDDEN,
            "--validated-by must name someone other than --as-user (four eyes)",
            field="validated_by",
        )
    try:
        return _principal(session, validated_by)
    except DomainError as exc:
        raise DomainError(exc.code, f"--validated-by: {exc.message}", field="validated_by") from exc


def _print(report: CaseImportReport, file: Path, seconds: float) -> None:
    for case in report.cases:
        typer.echo(case.line_text(dry_run=report.dry_run))
    if report.errors:
        for error in report.errors:
            typer.echo(f"error: {file.name}: {error.text()}", err=True)
        _fail(f"{file.name}: {report.text()}")
    typer.echo(report.text() + f" in {seconds:.1f} s")


def import_cases(
    file: Path = typer.Argument(..., help="A .jsonl, .ndjson or .csv file of case metadata."),
    collection: str = typer.Option(..., "--collection", help="Collection path, e.g. /north/leeds."),
    as_user: str | None = typer.Option(None, "--as-user", help="Import as this person (their permissions)."),
    validated_by: str | None = typer.Option(
        None, "--validated-by", help="The validator who validates rows with state validated; not the importer."
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Check and report, then write nothing."),
) -> None:
    """Import case metadata from JSON lines or CSV as new cases (HELP says how)."""
    from importers.case_records import import_case_file

    started = time.perf_counter()
    with _import_session(as_user, collection) as (_, session, principal, collection_uid):
        report = import_case_file(
            file,
            collection_uid=collection_uid,
            session=session,
            principal=principal,
            validator=_validator(session, validated_by, as_user),
            dry_run=dry_run,
        )
    _print(report, file, time.perf_counter() - started)
