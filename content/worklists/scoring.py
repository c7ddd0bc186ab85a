"""Marking: the long-case rubric (1..8 overall and per section) and the rapid-reporting automatic mark."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from content.curriculum.service import nodes_by_code
from content.errors import DomainError, ErrorCode

# The stated long-case rubric, after the FRCR 2B long-case marking scale.
RUBRIC: dict[int, str] = {
    1: "Unsafe: dangerous omissions or misinterpretation",
    2: "Poor: major findings missed, conclusion wrong",
    3: "Weak: several findings missed, conclusion doubtful",
    4: "Borderline fail: main finding seen, interpretation or management inadequate",
    5: "Borderline pass: main findings and a reasonable conclusion, with gaps",
    6: "Pass: findings, interpretation and management appropriate",
    7: "Good: complete and well prioritised, sensible differentials",
    8: "Excellent: complete, concise, with subtle findings and ideal management",
}
MIN_SCORE, MAX_SCORE, PASS_SCORE = 1, 8, 6
SECTIONS = ("observations", "interpretation", "principal_diagnosis", "differential_diagnoses", "management")


def check_score(score: int, *, field: str = "score") -> int:
    if not MIN_SCORE <= score <= MAX_SCORE:
        raise DomainError(ErrorCode.INVALID_INPUT, f"score is {MIN_SCORE} to {MAX_SCORE}", field=field)
    return score


def check_sections(sections: dict[str, int]) -> dict[str, int]:
    for name, score in sections.items():
        if name not in SECTIONS:
            raise DomainError(ErrorCode.INVALID_INPUT, f"unknown rubric section {name}", field="sections")
        check_score(score, field="sections")
    return dict(sections)


# Words that say nothing about which abnormality it is.
_STOP = frozenset({"left", "right", "bilateral", "with", "without", "the", "and", "of", "acute", "chronic",
                   "small", "large", "from", "there", "this", "that", "is", "a", "an", "in", "on"})
_WORD = re.compile(r"[a-z0-9]+")
_FILLER = frozenset({"the", "and", "of", "in", "on", "a", "an", "at"})


def _terms(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if len(w) >= 4 and w not in _STOP}


def is_normal_case(data: dict[str, Any], *, session: Session) -> bool:
    """Normal studies are tagged with a curriculum node flagged normal, or the tag/diagnosis 'normal'."""
    codes = data.get("curriculum_codes") or []
    if any(n.normal for n in nodes_by_code(codes, session=session).values()):
        return True
    tags = {t.lower() for t in data.get("tags") or []}
    return "normal" in tags or (data.get("diagnosis") or "").strip().lower().startswith("normal")


@dataclass(frozen=True)
class RapidMark:
    normal_correct: bool
    abnormality_correct: bool | None  # None for a normal case
    correct: bool


def mark_rapid(abnormal: bool, abnormality: str, site: str, data: dict[str, Any], *, session: Session) -> RapidMark:
    """Normal case: correct when called normal. Abnormal case: called abnormal and the abnormality named
    (a key term of the validated diagnosis); a site, when given, must agree with the diagnosis or findings."""
    normal = is_normal_case(data, session=session)
    if normal:
        return RapidMark(normal_correct=not abnormal, abnormality_correct=None, correct=not abnormal)
    named = bool(_terms(abnormality) & _terms(data.get("diagnosis") or ""))
    answer_text = f"{data.get('diagnosis') or ''} {data.get('findings') or ''}".lower()
    site_words = set(_WORD.findall(site.lower())) - _FILLER
    # Sides count for the site ("left apex"), unlike for naming the abnormality.
    site_ok = not site_words or bool(site_words & set(_WORD.findall(answer_text)))
    hit = abnormal and named and site_ok
    return RapidMark(normal_correct=abnormal, abnormality_correct=hit, correct=hit)
