"""Date shifting and age bands: the temporal facts a teaching case keeps, without the dates.

The shift is per patient (keyed on PatientID + IssuerOfPatientID) so intervals between a
patient's studies survive (Retain Longitudinal Temporal Information, Modified Dates).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import date, timedelta

MIN_SHIFT_DAYS = 30
MAX_SHIFT_DAYS = 365

# (upper bound exclusive in years, label); ages are facets, so the bands are coarse
AGE_BANDS: tuple[tuple[float, str], ...] = (
    (2, "0-1"),
    (6, "2-5"),
    (12, "6-11"),
    (18, "12-17"),
    (30, "18-29"),
    (40, "30-39"),
    (50, "40-49"),
    (60, "50-59"),
    (70, "60-69"),
    (80, "70-79"),
)
OLDEST_BAND = "80+"

_AS_UNITS = {"D": 1 / 365.25, "W": 7 / 365.25, "M": 1 / 12, "Y": 1.0}
_AS_RE = re.compile(r"^\s*(\d{1,3})\s*([DWMY])\s*$")


def patient_offset_days(secret: bytes, patient_key: str) -> int:
    """A deterministic negative shift in [-MAX_SHIFT_DAYS, -MIN_SHIFT_DAYS] for this patient."""
    digest = hmac.new(secret, b"date:" + patient_key.encode("utf-8"), hashlib.sha256).digest()
    span = MAX_SHIFT_DAYS - MIN_SHIFT_DAYS + 1
    return -(MIN_SHIFT_DAYS + int.from_bytes(digest[:8], "big") % span)


def parse_da(value: str) -> date | None:
    """A DICOM DA value as a date, or None when it is not one."""
    digits = re.sub(r"[^0-9]", "", value)  # tolerate ACR-NEMA "1995.01.31"
    if len(digits) != 8:
        return None
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None


def shift_da(value: str, days: int) -> str:
    """Shift a DA value (or a DA range "a-b"); anything unparseable becomes empty, not kept."""
    parts = value.split("-") if "-" in value.strip("-") else [value]
    shifted = []
    for part in parts:
        parsed = parse_da(part) if part.strip() else None
        if part.strip() and parsed is None:
            return ""
        shifted.append((parsed + timedelta(days=days)).strftime("%Y%m%d") if parsed else "")
    return "-".join(shifted)


def shift_dt(value: str, days: int) -> str:
    """Shift the date part of a DT value, keeping time and zone; partial dates become empty."""
    text = value.strip()
    parsed = parse_da(text[:8]) if len(text) >= 8 and text[:8].isdigit() else None
    if parsed is None:
        return ""
    return (parsed + timedelta(days=days)).strftime("%Y%m%d") + text[8:]


def age_in_years(patient_age: str | None, birth_date: str | None, on: str | None) -> float | None:
    """Age from PatientAge (AS), else from birth date and the study's own date."""
    if patient_age:
        match = _AS_RE.match(patient_age)
        if match:
            return int(match.group(1)) * _AS_UNITS[match.group(2)]
    born = parse_da(birth_date) if birth_date else None
    seen = parse_da(on) if on else None
    if born is None or seen is None or seen < born:
        return None
    return (seen - born).days / 365.25


def age_band(years: float | None) -> str | None:
    """An age in years as the coarse band kept after de-identification."""
    if years is None:
        return None
    for upper, label in AGE_BANDS:
        if years < upper:
            return label
    return OLDEST_BAND
