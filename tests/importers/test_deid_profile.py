"""The Basic profile table, attribute by attribute: each row's action really happens."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from pydicom.datadict import dictionary_description, dictionary_VR
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence

from importers.deid import BASIC_PROFILE, Action, Deidentifier, Rule
from importers.deid.profile import COMBINED, NOT_SHIFTED, build_rules
from importers.deid.table import ROWS

ORIGINAL_UID = "1.2.826.0.1.3680043.2.1125.99.1"
INNER_UID = "1.2.826.0.1.3680043.2.1125.99.2"
TEXT = "IDENTIFYING VALUE"


def sample(vr: str) -> object:
    """A valid, recognisable value of this VR."""
    vr = vr.split(" or ")[0]
    if vr == "SQ":
        item = Dataset()
        item.ReferencedSOPInstanceUID = INNER_UID
        item.PersonName = "DOE^JOHN"
        return Sequence([item])
    values: dict[str, object] = {
        "PN": "DOE^JOHN",
        "DA": "20200115",
        "DT": "20200115103000",
        "TM": "103000",
        "UI": ORIGINAL_UID,
        "AS": "045Y",
        "AE": "SECRETAE",
        "CS": "SECRETCODE",
        "SH": "SECRET SH",
        "DS": "12.5",
        "IS": "42",
        "US": 7,
        "UR": "http://hospital.example/patient/1",
    }
    if vr in ("OB", "OW", "UN"):
        return b"SECRET\x00\x01"
    return values.get(vr, TEXT)


def effective(rule: Rule) -> Action:
    return build_rules(keep_descriptions=False)[rule.tag]


@pytest.mark.parametrize("rule", BASIC_PROFILE, ids=lambda r: r.keyword)
def test_profile_rule_is_applied(rule: Rule, secret: bytes) -> None:
    vr = dictionary_VR(rule.tag).split(" or ")[0]
    ds = Dataset()
    ds.PatientID = "P-ROW-TEST"
    ds.SOPInstanceUID = "1.2.826.0.1.3680043.2.1125.99.3"
    original = sample(vr)
    if rule.tag >> 16 == 0x0002:  # file meta lives in its own dataset
        ds.file_meta = FileMetaDataset()
        ds.file_meta.add_new(rule.tag, vr, original)
    elif rule.keyword not in ("PatientID", "SOPInstanceUID"):
        ds.add_new(rule.tag, vr, original)
    else:
        ds[rule.tag].value = original if vr != "UI" else ORIGINAL_UID
        original = ds[rule.tag].value
    result = Deidentifier(secret, keep_descriptions=False).deidentify(ds)
    action = effective(rule)
    if rule.tag >> 16 == 0x0002:
        assert ds.file_meta[rule.tag].value == ds.SOPInstanceUID != original
        return
    if action is Action.REMOVE:
        assert rule.tag not in ds
        return
    assert rule.tag in ds, f"{rule.keyword} ({action}) must stay present"
    value = ds[rule.tag].value
    if vr in ("DA", "DT") and rule.keyword not in NOT_SHIFTED:
        shifted = (date(2020, 1, 15) + timedelta(days=result.date_offset_days)).strftime("%Y%m%d")
        assert str(value) == shifted + str(original)[8:], "date part shifted, time part kept"
        return
    if vr == "TM":
        assert value == original  # Modified Dates option: times of day are kept
        return
    action = COMBINED.get(action, action)
    if action is Action.KEEP:
        assert value == original
    elif vr == "SQ" and action is Action.UID:
        assert value[0].ReferencedSOPInstanceUID not in ("", INNER_UID)
        assert value[0].PersonName not in ("DOE^JOHN", None)  # items go through the table too
    elif action is Action.ZERO or (vr == "SQ" and action is Action.DUMMY):
        assert value in (None, "", b"") or (vr == "SQ" and len(value) == 0)
    elif action in (Action.UID, Action.DUMMY) and vr == "UI":
        assert re.fullmatch(r"2\.25\.\d+", str(value)) and value != original
    elif action is Action.DUMMY:
        assert value not in (None, "", b"") and value != original
    else:
        pytest.fail(f"unexpected action {action} for {rule.keyword}")


def test_table_is_the_standard_size_and_names_match_pydicom() -> None:
    assert len(ROWS) >= 300
    keywords = [row[0] for row in ROWS]
    assert len(set(keywords)) == len(keywords), "a keyword appears twice"
    for rule in BASIC_PROFILE:
        assert rule.name.replace("'", "").lower() == dictionary_description(rule.tag).replace("'", "").lower()


@pytest.mark.parametrize(
    ("keyword", "code"),
    [
        ("PatientName", "Z"),
        ("PatientID", "Z/D"),
        ("PatientBirthDate", "Z"),
        ("PatientAddress", "X"),
        ("PatientTelephoneNumbers", "X"),
        ("InstitutionName", "X/Z/D"),
        ("InstitutionAddress", "X"),
        ("InstitutionalDepartmentName", "X"),
        ("ReferringPhysicianName", "Z"),
        ("PerformingPhysicianName", "X"),
        ("OperatorsName", "X/Z/D"),
        ("AccessionNumber", "Z"),
        ("StudyID", "Z"),
        ("DeviceSerialNumber", "X/Z/D"),
        ("StationName", "X/Z/D"),
        ("StudyInstanceUID", "U"),
        ("SOPInstanceUID", "U"),
        ("FrameOfReferenceUID", "U"),
        ("RequestAttributesSequence", "X"),
        ("ContentSequence", "D"),
        ("ImageComments", "X"),
        ("StudyDescription", "X"),
        ("ReferencedImageSequence", "X/Z/U*"),
    ],
)
def test_well_known_rows(keyword: str, code: str) -> None:
    assert {r.keyword: r.action for r in BASIC_PROFILE}[keyword] == Action(code)
