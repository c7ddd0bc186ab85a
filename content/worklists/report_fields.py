"""The fields a trainee writes in a report, checked before anything is stored."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from content.annotations.kinds import AnnotationSpec
from content.errors import DomainError, ErrorCode

TEXT_LIMIT = 20_000
MAX_DIFFERENTIALS, MAX_ITEM = 20, 200


@dataclass(frozen=True)
class ReportFields:
    """None means "not given": a draft keeps what it had."""

    observations: str | None = None
    interpretation: str | None = None
    principal_diagnosis: str | None = None
    differential_diagnoses: list[str] | None = None
    management: str | None = None
    abnormal: bool | None = None
    abnormality: str | None = None
    site: str | None = None
    # The trainee's marks on the images: checked against the reported version's images (reports.py).
    annotations: list[AnnotationSpec] | None = None


_FIELD_NAMES = {"principal_diagnosis": "principalDiagnosis", "differential_diagnoses": "differentialDiagnoses"}


def cleaned(values: ReportFields) -> dict[str, Any]:
    """The report fields that were set, trimmed and checked, as stored."""
    out: dict[str, Any] = {}
    for f in fields(values):
        value = getattr(values, f.name)
        if value is None or f.name == "annotations":
            continue
        field = _FIELD_NAMES.get(f.name, f.name)
        if f.name == "abnormal":
            out[f.name] = bool(value)
        elif f.name == "differential_diagnoses":
            items = [str(v).strip() for v in value if str(v).strip()]
            if len(items) > MAX_DIFFERENTIALS or any(len(v) > MAX_ITEM for v in items):
                raise DomainError(
                    ErrorCode.INVALID_INPUT,
                    f"up to {MAX_DIFFERENTIALS} differentials of {MAX_ITEM} characters",
                    field=field,
                )
            out[f.name] = list(dict.fromkeys(items))
        else:
            text = str(value).strip()
            if len(text) > TEXT_LIMIT:
                raise DomainError(ErrorCode.INVALID_INPUT, f"{field}: up to {TEXT_LIMIT} characters", field=field)
            out[f.name] = text
    return out
