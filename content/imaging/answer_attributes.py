"""The DICOM attributes that can give a blind case's answer away, withheld on every DICOMweb route.

For a principal to whom a case is blind (content.cases.visibility), QIDO results, WADO metadata and
WADO instances of its studies go out without these attributes, while pixel, geometry, UID and
display attributes stay, so the viewer still loads the images.

The list is derived from the de-identification profile (importers/deid/profile.py), not hand-kept:
- every free-text attribute (LO, SH, LT, ST, UT, UC) or sequence the profile keeps as text, i.e.
  whose action is C (the cleaned descriptions: study, series, protocol and procedure names) or K;
- every free-text attribute or sequence the profile removes (X): absent from files we import, but
  withheld too should an older import or another archive have kept one (comments, reasons for
  study, admitting diagnoses, additional history...);
- attributes the profile does not list (so the engine keeps them) that name the procedure or the
  reason for it: NOT_IN_PROFILE below, the only hand-written part;
- any long free text (LT, ST, UT, UC) the profile does not list, by VR, at any depth.
Attributes the profile replaces with a dummy or empties (D, Z) carry nothing of the source and stay.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydicom.datadict import dictionary_VR, tag_for_keyword
from pydicom.dataset import Dataset
from sqlmodel import Session

from content.cases.visibility import blind_case_uids
from content.principal import Principal
from importers.deid.profile import BASIC_PROFILE, CLEAN_DESCRIPTORS, COMBINED, Action, build_rules

TEXT_VRS = frozenset({"LO", "SH", "LT", "ST", "UT", "UC"})
LONG_TEXT_VRS = frozenset({"LT", "ST", "UT", "UC"})
# Text the profile keeps (C, K) or removes (X): the actions whose value would be the source's own words.
SOURCE_TEXT_ACTIONS = frozenset({Action.CLEAN, Action.KEEP, Action.REMOVE})

# Unlisted in PS3.15 Table E.1-1, so de-identification keeps them, yet they name what was done or why.
NOT_IN_PROFILE: tuple[str, ...] = (
    "ProcedureCodeSequence",
    "RequestedProcedureCodeSequence",
    "PerformedProcedureCodeSequence",
    "ScheduledProtocolCodeSequence",
    "PerformedProtocolCodeSequence",
    "ProtocolContextSequence",
    "ReasonForPerformedProcedureCodeSequence",
    "PotentialReasonsForProcedure",
    "PotentialReasonsForProcedureCodeSequence",
    "PotentialRequestedProcedureCodeSequence",
    "PotentialScheduledProtocolCodeSequence",
    "SeriesDescriptionCodeSequence",
)


def _vr(tag: int) -> str | None:
    try:
        return dictionary_VR(tag)
    except KeyError:
        return None


def _from_profile() -> frozenset[int]:
    rules = build_rules(keep_descriptions=True)
    out = set()
    for rule in BASIC_PROFILE:
        action = rules.get(rule.tag, rule.action)
        action = COMBINED.get(action, action)
        if _vr(rule.tag) in TEXT_VRS | {"SQ"} and action in SOURCE_TEXT_ACTIONS:
            out.add(rule.tag)
    out.update(t for t in map(tag_for_keyword, CLEAN_DESCRIPTORS) if t is not None)
    return frozenset(out)


def _named(keywords: Iterable[str]) -> frozenset[int]:
    tags = {keyword: tag_for_keyword(keyword) for keyword in keywords}
    unknown = [k for k, t in tags.items() if t is None]
    if unknown:  # a typo must fail at import, not silently let an attribute through
        raise ValueError(f"unknown DICOM keywords: {unknown}")
    return frozenset(t for t in tags.values() if t is not None)


ANSWER_TAGS: frozenset[int] = _from_profile() | _named(NOT_IN_PROFILE)


def is_answer_bearing(tag: int, vr: str | None = None) -> bool:
    """Whether a DICOM attribute may carry the answer (a listed tag or a long-text VR)."""
    return tag in ANSWER_TAGS or (vr or _vr(tag)) in LONG_TEXT_VRS


def shown_text(keyword: str, value: str, *, blind: bool) -> str:
    """An attribute's text as GraphQL shows it (Study.description is StudyDescription): empty when
    the case is blind to the caller and the attribute is answer-bearing, as on DICOMweb."""
    tag = tag_for_keyword(keyword)
    return "" if blind and tag is not None and is_answer_bearing(tag) else value


def strip_dataset(ds: Dataset) -> Dataset:
    """Remove answer-bearing attributes at every depth, in place; pixel data and geometry stay."""
    for elem in list(ds):
        if is_answer_bearing(int(elem.tag), elem.VR):
            del ds[elem.tag]
        elif elem.VR == "SQ":
            for item in elem.value:
                strip_dataset(item)
    return ds


def strip_json(attrs: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The same for DICOM JSON (tags as 8 hex digits), at every depth."""
    out: dict[str, dict[str, Any]] = {}
    for key, attr in attrs.items():
        if is_answer_bearing(int(key, 16), attr.get("vr")):
            continue
        if attr.get("vr") == "SQ" and isinstance(attr.get("Value"), list):
            attr = {**attr, "Value": [strip_json(item) if isinstance(item, dict) else item for item in attr["Value"]]}
        out[key] = attr
    return out


@dataclass(frozen=True)
class Withholding:
    """Which cases' DICOM the caller gets without its answer-bearing attributes."""

    blind_cases: frozenset[str]

    def applies(self, case_uid: str) -> bool:
        """Whether this case's answer-bearing attributes are withheld."""
        return case_uid in self.blind_cases

    def json(self, case_uid: str, attrs: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        """DICOM JSON attributes, stripped of answer-bearing ones if the case is withheld."""
        return strip_json(attrs) if self.applies(case_uid) else attrs

    def dataset(self, case_uid: str, ds: Dataset) -> Dataset:
        """A dataset, stripped of answer-bearing attributes if the case is withheld."""
        return strip_dataset(ds) if self.applies(case_uid) else ds


def withholding_for(*, session: Session, principal: Principal) -> Withholding:
    """What to withhold from `principal`: the answers of the cases they see blind."""
    return Withholding(blind_case_uids(session, principal))
