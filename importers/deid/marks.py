"""What a de-identified object says about itself: the marks PS3.15 asks for, and new file meta."""

from __future__ import annotations

from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import (
    PYDICOM_IMPLEMENTATION_UID,
    ExplicitVRBigEndian,
    ExplicitVRLittleEndian,
    ImplicitVRLittleEndian,
)

from importers.deid.profile import METHOD_CODES


def mark(ds: Dataset, *, keep_descriptions: bool, keep_private: bool) -> None:
    """PatientIdentityRemoved, DeidentificationMethod and its code sequence (PS3.15 E.1.1)."""
    options = ["modified_dates", "patient_characteristics"]
    if keep_descriptions:
        options.append("clean_descriptors")
    ds.PatientIdentityRemoved = "YES"
    ds.LongitudinalTemporalInformationModified = "MODIFIED"
    methods = [METHOD_CODES[key][1] for key in ["basic", *options]]
    methods.append("Sex kept; age as a band; UIDs keyed-hash remapped")
    if keep_private:
        methods.append("Private attributes retained UNCHECKED")
    ds.DeidentificationMethod = [m[:64] for m in methods]  # LO: 64 chars a value
    codes = Sequence()
    for key in ["basic", *options]:
        item = Dataset()
        item.CodeValue, item.CodeMeaning = METHOD_CODES[key]
        item.CodingSchemeDesignator = "DCM"
        codes.append(item)
    ds.DeidentificationMethodCodeSequence = codes


def rewrite_meta(ds: Dataset) -> None:
    """New file meta: only what a Part 10 file needs, pointing at the new SOP instance.
    Source/sending AE titles and private meta go; the preamble is zeroed because it may
    hold another format's header (dual-personality TIFF) with its own metadata."""
    old = getattr(ds, "file_meta", None) or FileMetaDataset()
    syntax = old.get("TransferSyntaxUID")
    if syntax is None:
        implicit, little = ds.original_encoding
        syntax = (
            ImplicitVRLittleEndian
            if implicit or implicit is None
            else (ExplicitVRLittleEndian if little else ExplicitVRBigEndian)
        )
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = ds.get("SOPClassUID", old.get("MediaStorageSOPClassUID"))
    meta.MediaStorageSOPInstanceUID = ds.get("SOPInstanceUID", "")
    meta.TransferSyntaxUID = syntax
    meta.ImplementationClassUID = PYDICOM_IMPLEMENTATION_UID
    meta.ImplementationVersionName = "LIGHTBOX_0_1"
    ds.file_meta = meta
    ds.preamble = b"\x00" * 128
