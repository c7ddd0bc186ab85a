"""content/imaging/answer_attributes.py: what a blind caller's DICOM leaves out, derived from the profile."""

from __future__ import annotations

from io import BytesIO

import numpy as np
import pydicom
import pytest
from pydicom.datadict import dictionary_VR, tag_for_keyword
from pydicom.dataset import Dataset

from content.imaging.answer_attributes import ANSWER_TAGS, is_answer_bearing, strip_dataset, strip_json
from importers.deid.profile import BASIC_PROFILE, COMBINED, Action, build_rules
from tests.media.reference import PYDICOM

# The attributes the issue names, and those a viewer needs to load and place the image.
NAMED = (
    "StudyDescription",
    "SeriesDescription",
    "ProtocolName",
    "RequestedProcedureDescription",
    "PerformedProcedureStepDescription",
    "ScheduledProcedureStepDescription",
    "ProcedureCodeSequence",
    "RequestedProcedureCodeSequence",
    "ReasonForStudy",
    "ReasonForTheRequestedProcedure",
    "AdmittingDiagnosesDescription",
    "ImageComments",
    "StudyComments",
    "AdditionalPatientHistory",
)
DISPLAY = (
    "Rows",
    "Columns",
    "PixelData",
    "BitsAllocated",
    "BitsStored",
    "HighBit",
    "PixelRepresentation",
    "SamplesPerPixel",
    "PhotometricInterpretation",
    "NumberOfFrames",
    "PixelSpacing",
    "SliceThickness",
    "ImagePositionPatient",
    "ImageOrientationPatient",
    "FrameOfReferenceUID",
    "WindowCenter",
    "WindowWidth",
    "RescaleIntercept",
    "RescaleSlope",
    "StudyInstanceUID",
    "SeriesInstanceUID",
    "SOPInstanceUID",
    "SOPClassUID",
    "Modality",
    "InstanceNumber",
    "SeriesNumber",
    "ImageType",
    "BodyPartExamined",
    "PatientID",
    "PatientName",
)


@pytest.mark.parametrize("keyword", NAMED)
def test_answer_bearing_attributes_are_withheld(keyword: str) -> None:
    assert is_answer_bearing(tag_for_keyword(keyword))  # type: ignore[arg-type]


@pytest.mark.parametrize("keyword", DISPLAY)
def test_what_a_viewer_needs_stays(keyword: str) -> None:
    assert not is_answer_bearing(tag_for_keyword(keyword))  # type: ignore[arg-type]


def test_the_list_follows_the_profile_table() -> None:
    """Every free-text attribute the profile keeps (C, K) or removes (X) is withheld; what it replaces
    with a dummy or empties (D, Z) carries nothing of the source and is not."""
    rules = build_rules(keep_descriptions=True)
    kept_or_removed = replaced = 0
    for rule in BASIC_PROFILE:
        action = COMBINED.get(rules[rule.tag], rules[rule.tag])
        if dictionary_VR(rule.tag) not in {"LO", "SH", "LT", "ST", "UT", "UC", "SQ"}:
            continue
        if action in (Action.CLEAN, Action.KEEP, Action.REMOVE):
            assert rule.tag in ANSWER_TAGS, rule.keyword
            kept_or_removed += 1
        elif dictionary_VR(rule.tag) in {"LO", "SH", "SQ"}:
            assert rule.tag not in ANSWER_TAGS, rule.keyword
            replaced += 1
    assert kept_or_removed > 150 and replaced > 20  # the table drives the list, not a few hand-picked names


def _answer_ct() -> Dataset:
    ds = pydicom.dcmread(PYDICOM / "CT_small.dcm")
    ds.StudyDescription, ds.SeriesDescription, ds.ProtocolName = "CT HEAD SAH", "AXIAL SAH", "SAH_PROTOCOL"
    ds.ImageComments, ds.AdditionalPatientHistory = "aneurysm seen", "thunderclap"
    code = Dataset()
    code.CodeValue, code.CodingSchemeDesignator, code.CodeMeaning = "X1", "99LBX", "CTA for aneurysm"
    ds.ProcedureCodeSequence = [code]
    source = Dataset()
    source.ReferencedSOPInstanceUID, source.ReferencedSOPClassUID = "1.2.3", "1.2.840.10008.5.1.4.1.1.2"
    source.ImageComments = "aneurysm again"  # free text nested in a kept sequence
    ds.SourceImageSequence = [source]
    return ds


def test_stripping_a_real_ct_keeps_its_pixels_and_geometry() -> None:
    ds = _answer_ct()
    before = ds.pixel_array.copy()
    strip_dataset(ds)
    out = BytesIO()
    ds.save_as(out, enforce_file_format=True)
    again = pydicom.dcmread(BytesIO(out.getvalue()))
    assert np.array_equal(again.pixel_array, before)
    assert (again.Rows, again.Columns, list(again.PixelSpacing)) == (128, 128, [0.661468, 0.661468])
    text = out.getvalue().lower()
    for word in (b"sah", b"aneurysm", b"thunderclap"):
        assert word not in text
    assert "SourceImageSequence" in again and "ImageComments" not in again.SourceImageSequence[0]


def test_dicom_json_is_stripped_at_every_depth() -> None:
    ds = _answer_ct()
    del ds.PixelData
    attrs = strip_json(ds.to_json_dict())
    assert "00081030" not in attrs and "00081032" not in attrs and "00280010" in attrs
    nested = attrs["00082112"]["Value"][0]
    assert "00204000" not in nested and "00081155" in nested
