"""Marking long cases: the rubric (1..8 overall and per section). Rapid reporting: content.worklists.rapid_marking."""

from __future__ import annotations

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
    """The score if within the scale; INVALID_INPUT (on `field`) otherwise."""
    if not MIN_SCORE <= score <= MAX_SCORE:
        raise DomainError(ErrorCode.INVALID_INPUT, f"score is {MIN_SCORE} to {MAX_SCORE}", field=field)
    return score


def check_sections(sections: dict[str, int]) -> dict[str, int]:
    """Rubric section scores if every section is known and in scale; INVALID_INPUT otherwise."""
    for name, score in sections.items():
        if name not in SECTIONS:
            raise DomainError(ErrorCode.INVALID_INPUT, f"unknown rubric section {name}", field="sections")
        check_score(score, field="sections")
    return dict(sections)
