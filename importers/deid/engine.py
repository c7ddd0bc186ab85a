"""Apply the profile to a dataset: the Basic profile, our options, UID remapping, date shift."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from functools import lru_cache

from pydicom.datadict import dictionary_VR, keyword_for_tag
from pydicom.dataset import Dataset

from content.errors import DomainError, ErrorCode
from importers.deid import dates
from importers.deid.clean import clean_text, identifying_tokens
from importers.deid.marks import mark, rewrite_meta
from importers.deid.profile import (
    CLEANING_SOURCES,
    COMBINED,
    Action,
    build_rules,
    in_removed_group,
    not_shifted_tags,
)
from importers.deid.risk import burned_in_risk
from importers.deid.uids import UidRemapper, keeps_uid
from importers.deid.values import map_strings, set_dummy, set_empty

DATE_VRS = frozenset({"DA", "DT", "TM"})
MIN_SECRET_BYTES = 16
# What happens to an attribute the table does not list, by VR. Anything else is kept.
UNLISTED_BY_VR: dict[str, Action] = {
    "UI": Action.UID,  # every instance UID is remapped, listed or not
    "PN": Action.ZERO,  # a person's name the table missed is still a person's name
    "DA": Action.DUMMY,  # dates are shifted (see _apply)
    "DT": Action.DUMMY,
    "SQ": Action.KEEP,  # kept, but its items go through the same rules
    "UN": Action.REMOVE,  # a public attribute we cannot decode, we cannot judge
}


@dataclass(frozen=True)
class UidChange:
    original: str
    new: str


@dataclass(frozen=True)
class DeidResult:
    """The de-identified dataset (the one passed in, changed in place) and the case facts."""

    dataset: Dataset
    age_band: str | None
    sex: str | None
    modality: str | None
    body_part: str | None
    study_description: str | None
    study_uid: UidChange
    series_uid: UidChange
    sop_uid: UidChange
    burned_in_risk: bool
    burned_in_reason: str | None
    date_offset_days: int
    patient_pseudonym: str


@dataclass(frozen=True)
class _Patient:
    offset_days: int
    pseudonym: str
    tokens: set[str]


@lru_cache(maxsize=4096)
def _tag_info(tag: int) -> tuple[str, str | None]:
    """(keyword, dictionary VR) of a public tag; ('', None) when pydicom does not know it."""
    try:
        return keyword_for_tag(tag), dictionary_VR(tag)
    except KeyError:
        return "", None


def _text(ds: Dataset, keyword: str) -> str:
    value = ds.get(keyword)
    return "" if value is None else str(value).strip()


class Deidentifier:
    """PS3.15 Basic profile with Clean Descriptors, Modified Dates and (part of) Retain
    Patient Characteristics. keep_descriptions=True because a teaching case needs its study
    description; they are cleaned (see clean.py). keep_private=True keeps private attributes
    untouched and is therefore NOT safe: it exists for trusted, vendor-checked sources."""

    def __init__(self, secret: bytes, *, keep_private: bool = False, keep_descriptions: bool = True) -> None:
        if len(secret) < MIN_SECRET_BYTES:
            raise DomainError(ErrorCode.INVALID_INPUT, "the de-identification secret is too short", field="secret")
        self._secret = secret
        self._uids = UidRemapper(secret)
        self.keep_private = keep_private
        self.keep_descriptions = keep_descriptions
        self._rules = build_rules(keep_descriptions=keep_descriptions)
        self._not_shifted = not_shifted_tags()

    def deidentify(self, ds: Dataset) -> DeidResult:
        originals = {k: _text(ds, k) for k in ("StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID")}
        patient = self._patient(ds)
        years = dates.age_in_years(
            _text(ds, "PatientAge"),
            _text(ds, "PatientBirthDate"),
            next(
                (_text(ds, k) for k in ("StudyDate", "SeriesDate", "AcquisitionDate", "ContentDate") if ds.get(k)),
                None,
            ),
        )
        self._walk(ds, patient)
        mark(ds, keep_descriptions=self.keep_descriptions, keep_private=self.keep_private)
        rewrite_meta(ds)
        risk, reason = burned_in_risk(ds)
        return DeidResult(
            dataset=ds,
            age_band=dates.age_band(years),
            sex=_text(ds, "PatientSex") or None,
            modality=_text(ds, "Modality") or None,
            body_part=_text(ds, "BodyPartExamined") or None,
            study_description=_text(ds, "StudyDescription") or None,
            **{
                f"{name}_uid": UidChange(originals[k], _text(ds, k))
                for name, k in (
                    ("study", "StudyInstanceUID"),
                    ("series", "SeriesInstanceUID"),
                    ("sop", "SOPInstanceUID"),
                )
            },
            burned_in_risk=risk,
            burned_in_reason=reason,
            date_offset_days=patient.offset_days,
            patient_pseudonym=patient.pseudonym,
        )

    def _patient(self, ds: Dataset) -> _Patient:
        # Keyed on the patient's identifier within its issuer; objects without an ID fall
        # back to name + birth date so one unidentified patient still gets one offset.
        patient_id = _text(ds, "PatientID")
        if patient_id:
            key = f"id\x00{patient_id}\x00{_text(ds, 'IssuerOfPatientID')}"
        else:
            key = f"name\x00{_text(ds, 'PatientName')}\x00{_text(ds, 'PatientBirthDate')}"
        digest = hmac.new(self._secret, b"patient:" + key.encode("utf-8"), hashlib.sha256).hexdigest()
        tokens = identifying_tokens(_text(ds, k) for k in CLEANING_SOURCES) if self.keep_descriptions else set()
        return _Patient(dates.patient_offset_days(self._secret, key), f"LBX-{digest[:16].upper()}", tokens)

    def _walk(self, ds: Dataset, patient: _Patient) -> None:
        for tag in list(ds.keys()):
            if tag.is_private:
                if not self.keep_private:
                    del ds[tag]
                continue
            if tag.element == 0 or in_removed_group(tag):  # group lengths go stale; see profile
                del ds[tag]
                continue
            raw = ds.get_item(tag)
            keyword, dict_vr = _tag_info(tag)
            vr = raw.VR if raw.VR not in (None, "UN") else (dict_vr or "UN")
            action = self._rules.get(tag)
            if action is None:
                if not keyword:
                    action = Action.REMOVE  # a public attribute pydicom does not know: cannot judge
                else:
                    action = UNLISTED_BY_VR.get(vr)
                    if action is None or (action is Action.UID and keeps_uid(keyword)):
                        continue
            self._apply(ds, tag, vr, action, patient)

    def _apply(self, ds: Dataset, tag: int, vr: str, action: Action, patient: _Patient) -> None:
        if action is Action.REMOVE:
            del ds[tag]
            return
        if vr in DATE_VRS and tag not in self._not_shifted:
            # Modified Dates option: every date that is not removed is shifted, times kept.
            if vr != "TM":
                shift = dates.shift_da if vr == "DA" else dates.shift_dt
                map_strings(ds[tag], lambda v: shift(v, patient.offset_days))
            return
        action = COMBINED.get(action, action)
        elem = ds[tag]
        if vr == "SQ" and action in (Action.KEEP, Action.UID, Action.CLEAN):
            for item in elem.value:
                self._walk(item, patient)
        elif action is Action.ZERO:
            set_empty(elem)
        elif action is Action.DUMMY and vr == "UI":
            map_strings(elem, self._uids.remap)
        elif action is Action.DUMMY:
            if elem.keyword == "PatientID":
                elem.value = patient.pseudonym  # one stable pseudonym links a patient's studies
            else:
                set_dummy(elem)
        elif action is Action.UID:
            map_strings(elem, self._uids.remap)
        elif action is Action.CLEAN:
            map_strings(elem, lambda v: clean_text(v, patient.tokens))
