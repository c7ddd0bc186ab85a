"""The de-identification profile as data: the Basic profile table plus the options Lightbox uses.

The engine never names an attribute: it asks `build_rules()` for a tag -> action map. Options
are overrides of the Basic profile's action, written as tables, so a reviewer can read what
we deviate from the standard (and why) without reading the engine.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from pydicom.datadict import tag_for_keyword

from importers.deid.table import ROWS


class Action(StrEnum):
    """PS3.15 E.1.1 action codes, including the combined ones the table uses."""

    DUMMY = "D"
    ZERO = "Z"
    REMOVE = "X"
    KEEP = "K"
    CLEAN = "C"
    UID = "U"
    ZERO_OR_DUMMY = "Z/D"
    REMOVE_OR_ZERO = "X/Z"
    REMOVE_OR_DUMMY = "X/D"
    REMOVE_OR_ZERO_OR_DUMMY = "X/Z/D"
    REMOVE_OR_ZERO_OR_UID = "X/Z/U*"


@dataclass(frozen=True)
class Rule:
    tag: int
    keyword: str
    name: str
    action: Action


def _rule(keyword: str, name: str, code: str) -> Rule:
    tag = tag_for_keyword(keyword)
    if tag is None:  # a typo in the table must fail at import, not silently keep an attribute
        raise ValueError(f"unknown DICOM keyword in profile table: {keyword}")
    return Rule(tag=tag, keyword=keyword, name=name, action=Action(code))


BASIC_PROFILE: tuple[Rule, ...] = tuple(_rule(*row) for row in ROWS)

# Combined codes mean "the first unless the IOD needs the next". We do not know every IOD's
# attribute types, so we pick the variant that keeps objects readable by viewers (a type 1 or
# 2 attribute stays present) while carrying nothing: X/Z -> Z, X/D and Z/D -> D, X/Z/D -> Z
# (dates excepted: the engine shifts them), X/Z/U* -> keep the sequence and remap its UIDs.
COMBINED: Mapping[Action, Action] = {
    Action.ZERO_OR_DUMMY: Action.DUMMY,
    Action.REMOVE_OR_ZERO: Action.ZERO,
    Action.REMOVE_OR_DUMMY: Action.DUMMY,
    Action.REMOVE_OR_ZERO_OR_DUMMY: Action.ZERO,
    Action.REMOVE_OR_ZERO_OR_UID: Action.UID,
}

# Repeating groups the table lists as (50xx,xxxx) curves and (60xx,3000)/(60xx,4000) overlay
# data and comments. We drop the whole overlay group, not only its data: a group left with
# rows/columns but no data is malformed, and overlays are where annotations are drawn.
REMOVED_GROUP_RANGES: tuple[tuple[int, int], ...] = ((0x5000, 0x50FF), (0x6000, 0x60FF))

# Retain Patient Characteristics Option (DCM 113108), the part we use: sex is kept as a
# teaching facet. Age is not kept as such: the engine reports an age band and removes
# PatientAge (X in the Basic profile), so exact ages (identifying above 89) never leave.
RETAIN_PATIENT_CHARACTERISTICS: Mapping[str, Action] = {"PatientSex": Action.KEEP}

# Clean Descriptors Option (DCM 113105), limited to the descriptions a teaching case needs.
# Free-text comments (ImageComments, StudyComments...) stay removed: too risky to clean.
CLEAN_DESCRIPTORS: Mapping[str, Action] = {
    "StudyDescription": Action.CLEAN,
    "SeriesDescription": Action.CLEAN,
    "ProtocolName": Action.CLEAN,
    "PerformedProcedureStepDescription": Action.CLEAN,
    "RequestedProcedureDescription": Action.CLEAN,
    "ScheduledProcedureStepDescription": Action.CLEAN,
}

# Modified Dates option: dates that are not removed are shifted, except these, which keep
# their Basic action. A shifted birth date plus the bounded shift would narrow the real one;
# the age band is what we keep instead.
NOT_SHIFTED: frozenset[str] = frozenset({"PatientBirthDate"})

# PS3.16 CID 7050 codes written into DeidentificationMethodCodeSequence.
METHOD_CODES: Mapping[str, tuple[str, str]] = {
    "basic": ("113100", "Basic Application Confidentiality Profile"),
    "clean_descriptors": ("113105", "Clean Descriptors Option"),
    "modified_dates": ("113107", "Retain Longitudinal Temporal Information Modified Dates Option"),
    "patient_characteristics": ("113108", "Retain Patient Characteristics Option"),
}


def build_rules(*, keep_descriptions: bool) -> dict[int, Action]:
    """Tag -> action after options; combined codes are left for the engine (dates need the VR)."""
    rules = {rule.tag: rule.action for rule in BASIC_PROFILE}
    overrides = dict(RETAIN_PATIENT_CHARACTERISTICS)
    if keep_descriptions:
        overrides.update(CLEAN_DESCRIPTORS)
    for keyword, action in overrides.items():
        tag = tag_for_keyword(keyword)
        assert tag is not None, keyword
        rules[tag] = action
    return rules


def not_shifted_tags() -> frozenset[int]:
    """Tags of the date attributes kept as they are rather than shifted."""
    return frozenset(tag for tag in map(tag_for_keyword, NOT_SHIFTED) if tag is not None)


def in_removed_group(tag: int) -> bool:
    """Whether a tag lies in a group the profile removes whole (curves 50xx, overlays 60xx)."""
    group = tag >> 16
    return any(low <= group <= high for low, high in REMOVED_GROUP_RANGES)


# Values the same object carries that the C action looks for inside descriptions.
CLEANING_SOURCES: tuple[str, ...] = (
    "PatientName",
    "PatientID",
    "OtherPatientIDs",
    "OtherPatientNames",
    "PatientBirthName",
    "PatientMotherBirthName",
    "PatientAddress",
    "AccessionNumber",
    "StudyID",
    "InstitutionName",
    "InstitutionAddress",
    "InstitutionalDepartmentName",
    "ReferringPhysicianName",
    "PerformingPhysicianName",
    "NameOfPhysiciansReadingStudy",
    "PhysiciansOfRecord",
    "RequestingPhysician",
    "OperatorsName",
    "StationName",
    "DeviceSerialNumber",
)
