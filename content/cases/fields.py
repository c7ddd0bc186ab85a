"""Checking and normalising the editable fields of a case before anything is written."""

from __future__ import annotations

from enum import Enum
from typing import Any

from sqlmodel import Session

from content.curriculum.service import check_codes
from content.errors import DomainError, ErrorCode


class Difficulty(str, Enum):
    """How hard a case is."""

    FOUNDATION = "FOUNDATION"
    INTERMEDIATE = "INTERMEDIATE"
    ADVANCED = "ADVANCED"


TEXT_LIMITS = {
    "title": 300,
    "clinical_history": 20_000,
    "findings": 20_000,
    "diagnosis": 1_000,
    "discussion": 50_000,
    "teaching_points": 20_000,
    "patient_age_band": 10,
    "patient_sex": 1,
    "licence": 100,
}
LIST_FIELDS = {"differential_diagnoses", "modalities", "body_regions", "curriculum_codes", "tags", "key_images"}
MAX_LIST_ITEMS = 100
MAX_ITEM_CHARS = 200
EDITABLE = set(TEXT_LIMITS) | LIST_FIELDS | {"difficulty"}


def _clean_list(name: str, values: Any) -> list[str]:
    if not isinstance(values, list | tuple):
        raise DomainError(ErrorCode.INVALID_INPUT, f"{name} must be a list", field=name)
    if len(values) > MAX_LIST_ITEMS:
        raise DomainError(ErrorCode.INVALID_INPUT, f"{name}: at most {MAX_LIST_ITEMS} items", field=name)
    out = []
    for value in values:
        text = str(value).strip()
        if not text or len(text) > MAX_ITEM_CHARS:
            raise DomainError(ErrorCode.INVALID_INPUT, f"{name}: items of 1 to {MAX_ITEM_CHARS} characters", field=name)
        if name in {"modalities", "body_regions"}:
            text = text.upper()
        if text not in out:
            out.append(text)
    return out


def clean_changes(changes: dict[str, Any], *, session: Session) -> dict[str, Any]:
    """Validated copies of the given fields; unknown or invalid fields refuse the whole edit."""
    out: dict[str, Any] = {}
    for name, value in changes.items():
        if name not in EDITABLE:
            raise DomainError(ErrorCode.INVALID_INPUT, f"{name} cannot be edited", field=name)
        if name == "difficulty":
            try:
                out[name] = Difficulty(value).value if value is not None else None
            except ValueError as exc:
                raise DomainError(ErrorCode.INVALID_INPUT, f"unknown difficulty {value!r}", field=name) from exc
        elif name in LIST_FIELDS:
            out[name] = _clean_list(name, value or [])
        else:
            text = (value or "").strip() if isinstance(value, str) or value is None else None
            if text is None or len(text) > TEXT_LIMITS[name]:
                raise DomainError(
                    ErrorCode.INVALID_INPUT, f"{name}: text up to {TEXT_LIMITS[name]} characters", field=name
                )
            out[name] = text if (text or name not in {"patient_age_band", "patient_sex"}) else None
    if "title" in out and not out["title"]:
        raise DomainError(ErrorCode.INVALID_INPUT, "a case needs a title", field="title")
    if "curriculum_codes" in out:
        out["curriculum_codes"] = check_codes(out["curriculum_codes"], session=session)
    return out
