"""Rapid-reporting marks, in the examiners' order: the normal/abnormal call, then the named abnormality,
then its site. Naming more than the film shows (over-calling) costs the abnormality mark, so listing
every abnormality one can think of scores nothing.

The model answer is the pinned version's diagnosis and findings plus the titles of its curriculum
codes (and their parents). A "term" is a word of four or more letters that names something.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, select

from content.curriculum.models import CurriculumNode, ancestors_and_self
from content.curriculum.service import nodes_by_code

# Words that say nothing about which abnormality it is.
_STOP = frozenset(
    {
        "left",
        "right",
        "bilateral",
        "with",
        "without",
        "the",
        "and",
        "of",
        "acute",
        "chronic",
        "small",
        "large",
        "from",
        "there",
        "this",
        "that",
        "is",
        "a",
        "an",
        "in",
        "on",
    }
)
# Words of curriculum condition titles that qualify a condition rather than name one.
_QUALIFIERS = frozenset(
    {
        "including",
        "other",
        "upper",
        "lower",
        "body",
        "pattern",
        "multiple",
        "focal",
        "diffuse",
        "deep",
        "diagnosis",
        "principles",
        "guideline",
        "classification",
        "suspected",
        "suspicious",
        "usual",
        "physical",
        "proximal",
        "distal",
        "solid",
        "organ",
        "acquired",
        "community",
        "aggressive",
        "invasive",
        "spontaneous",
        "characterisation",
        "cell",
        "situ",
        "lesion",
        "mass",
        "masses",
        "complications",
        "adult",
        "child",
        "children",
        "related",
        "change",
        "changes",
        "severe",
        "mild",
        "moderate",
        "simple",
        "complex",
        "early",
        "late",
    }
)
_WORD = re.compile(r"[a-z0-9]+")
_FILLER = frozenset({"the", "and", "of", "in", "on", "a", "an", "at"})
_SIDES = frozenset({"left", "right", "bilateral"})
# Between named abnormalities: a list, alternatives or a hedge ("pneumothorax ? effusion").
_ITEMS = re.compile(r"[,;/\n|+&?]|\b(?:or|and|versus|vs|also|plus|differential)\b")


def _terms(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if len(w) >= 4 and w not in _STOP}


def named_items(answer: str) -> list[set[str]]:
    """The abnormalities an answer names, each as its terms; pieces that name nothing are dropped."""
    return [t for t in (_terms(piece) for piece in _ITEMS.split(answer.lower())) if t]


def is_normal_case(data: dict[str, Any], *, session: Session) -> bool:
    """Normal studies are tagged with a curriculum node flagged normal, or the tag/diagnosis 'normal'."""
    codes = data.get("curriculum_codes") or []
    if any(n.normal for n in nodes_by_code(codes, session=session).values()):
        return True
    tags = {t.lower() for t in data.get("tags") or []}
    return "normal" in tags or (data.get("diagnosis") or "").strip().lower().startswith("normal")


def condition_terms(session: Session) -> frozenset[str]:
    """Terms that name a condition: words of the curriculum's condition titles (depth 3 and below, not
    normal) that no system or topic title uses (those name a region: chest, spine, bowel)."""
    conditions: set[str] = set()
    regions: set[str] = set()
    for title, depth, normal in session.exec(select(CurriculumNode.title, CurriculumNode.depth, CurriculumNode.normal)):
        (conditions if depth >= 3 and not normal else regions).update(_terms(title))
    return frozenset(conditions - regions - _QUALIFIERS)


def _answer_terms(data: dict[str, Any], session: Session) -> set[str]:
    codes = {a for c in data.get("curriculum_codes") or () for a in ancestors_and_self(c)}
    titles = " ".join(n.title for n in nodes_by_code(codes, session=session).values())
    return _terms(f"{data.get('diagnosis') or ''} {data.get('findings') or ''} {titles}")


def over_calls(items: Iterable[set[str]], answer: set[str], conditions: frozenset[str]) -> list[str]:
    """What the answer names that the film does not show: a whole item none of whose terms the model
    answer has, or a condition term the model answer lacks (so word lists in one item count too)."""
    out: list[str] = []
    for item in items:
        if not item & answer:
            out.append(" ".join(sorted(item)))
        else:
            out.extend(sorted((item & conditions) - answer))
    return out


def _site_ok(site: str, answer_text: str) -> bool:
    """A site, when given, must agree: a side the answer does not name is wrong, and so is naming both."""
    site_words = set(_WORD.findall(site.lower())) - _FILLER
    if not site_words:
        return True
    answer_words = set(_WORD.findall(answer_text))
    sides = site_words & _SIDES
    if sides and (len(sides) > 1 or not sides <= answer_words):
        return False
    places = site_words - _SIDES
    return not places or bool(places & answer_words) or bool(sides)


@dataclass(frozen=True)
class RapidMark:
    """How a rapid report was marked: normal/abnormal call, abnormality, over-calls."""

    normal_correct: bool
    abnormality_correct: bool | None  # None for a normal case
    correct: bool
    over_calls: tuple[str, ...] = ()


def mark_rapid(abnormal: bool, abnormality: str, site: str, data: dict[str, Any], *, session: Session) -> RapidMark:
    """Normal case: correct when called normal. Abnormal case: called abnormal, the first abnormality
    named is the diagnosis, nothing else is named that the film does not show, and the site agrees."""
    if is_normal_case(data, session=session):
        return RapidMark(normal_correct=not abnormal, abnormality_correct=None, correct=not abnormal)
    if not abnormal:
        return RapidMark(normal_correct=False, abnormality_correct=False, correct=False)
    items = named_items(abnormality)
    named = bool(items) and bool(items[0] & _terms(data.get("diagnosis") or ""))
    extra = tuple(over_calls(items, _answer_terms(data, session), condition_terms(session)))
    answer_text = f"{data.get('diagnosis') or ''} {data.get('findings') or ''}".lower()
    hit = named and not extra and _site_ok(site, answer_text)
    return RapidMark(normal_correct=True, abnormality_correct=hit, correct=hit, over_calls=extra)
