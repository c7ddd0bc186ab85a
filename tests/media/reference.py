"""Reference table of real DICOM test files and what we expect of each (pydicom style).

Every file with Pixel Data in pydicom's test files and in pydicom-data is listed here;
`test_reference_table` fails when one is added, removed or no longer matches. Columns:
modality, photometric interpretation, frames, transfer syntax family, and where the VOI
comes from ("window" = Window Center/Width, "voi-lut", "modality-lut" (a Modality LUT
Sequence), "" = none in the header).

`EXCLUDED` records, with the reason, every file that is not compared with dcmtk; the
tests check each reason still holds (dcmtk still refuses, we still refuse, ...).
"""

from __future__ import annotations

import importlib.util
from enum import Enum
from pathlib import Path
from typing import NamedTuple

import pydicom

PYDICOM = Path(pydicom.__file__).parent / "data" / "test_files"
_spec = importlib.util.find_spec("data_store")
assert _spec is not None and _spec.origin, "pydicom-data is a test dependency"
DATA = Path(_spec.origin).parent / "data"


class Ref(NamedTuple):
    name: str
    corpus: Path
    modality: str | None
    photometric: str | None
    frames: int
    syntax: str  # native | big-endian | deflate | rle | jpeg | jpeg-ls | j2k
    voi: str

    @property
    def path(self) -> Path:
        return self.corpus / self.name

    @property
    def is_grey(self) -> bool:
        return self.photometric in ("MONOCHROME1", "MONOCHROME2")


REFERENCE: tuple[Ref, ...] = (
    Ref("693_J2KI.dcm", PYDICOM, "CT", "MONOCHROME2", 1, "j2k", "window"),
    Ref("CT_small.dcm", PYDICOM, "CT", "MONOCHROME2", 1, "native", ""),
    Ref("ExplVR_BigEnd.dcm", PYDICOM, "US", "RGB", 1, "big-endian", ""),
    Ref("GDCMJ2K_TextGBR.dcm", PYDICOM, None, "YBR_RCT", 1, "j2k", ""),
    Ref("J2K_pixelrep_mismatch.dcm", PYDICOM, "CT", "MONOCHROME2", 1, "j2k", "window"),
    Ref("JPEG-lossy.dcm", PYDICOM, "NM", "MONOCHROME2", 1, "jpeg", ""),
    Ref("JPEG2000-embedded-sequence-delimiter.dcm", PYDICOM, "NM", "MONOCHROME2", 1, "j2k", ""),
    Ref("JPEG2000.dcm", PYDICOM, "NM", "MONOCHROME2", 1, "j2k", ""),
    Ref("JPEGLSNearLossless_08.dcm", PYDICOM, None, "MONOCHROME2", 1, "jpeg-ls", ""),
    Ref("JPEGLSNearLossless_16.dcm", PYDICOM, None, "MONOCHROME2", 1, "jpeg-ls", ""),
    Ref("JPGExtended.dcm", PYDICOM, "NM", "MONOCHROME2", 1, "jpeg", ""),
    Ref("MR_small.dcm", PYDICOM, "MR", "MONOCHROME2", 1, "native", "window"),
    Ref("MR_small_RLE.dcm", PYDICOM, "MR", "MONOCHROME2", 1, "rle", "window"),
    Ref("MR_small_bigendian.dcm", PYDICOM, "MR", "MONOCHROME2", 1, "big-endian", "window"),
    Ref("MR_small_expb.dcm", PYDICOM, "MR", "MONOCHROME2", 1, "big-endian", "window"),
    Ref("MR_small_implicit.dcm", PYDICOM, "MR", "MONOCHROME2", 1, "native", "window"),
    Ref("MR_small_jp2klossless.dcm", PYDICOM, "MR", "MONOCHROME2", 1, "j2k", "window"),
    Ref("MR_small_jpeg_ls_lossless.dcm", PYDICOM, "MR", "MONOCHROME2", 1, "jpeg-ls", "window"),
    Ref("MR_small_padded.dcm", PYDICOM, "MR", "MONOCHROME2", 1, "native", "window"),
    Ref("MR_truncated.dcm", PYDICOM, "MR", "MONOCHROME2", 1, "native", "window"),
    Ref("SC_jpeg_no_color_transform.dcm", PYDICOM, None, "RGB", 1, "jpeg", ""),
    Ref("SC_jpeg_no_color_transform_2.dcm", PYDICOM, None, "RGB", 1, "jpeg", ""),
    Ref("SC_rgb_dcmtk_+eb+cr.dcm", PYDICOM, "OT", "RGB", 1, "jpeg", ""),
    Ref("SC_rgb_dcmtk_+eb+cy+n1.dcm", PYDICOM, "OT", "YBR_FULL", 1, "jpeg", ""),
    Ref("SC_rgb_dcmtk_+eb+cy+n2.dcm", PYDICOM, "OT", "YBR_FULL", 1, "jpeg", ""),
    Ref("SC_rgb_dcmtk_+eb+cy+np.dcm", PYDICOM, "OT", "YBR_FULL_422", 1, "jpeg", ""),
    Ref("SC_rgb_dcmtk_+eb+cy+s2.dcm", PYDICOM, "OT", "YBR_FULL_422", 1, "jpeg", ""),
    Ref("SC_rgb_dcmtk_+eb+cy+s4.dcm", PYDICOM, "OT", "YBR_FULL", 1, "jpeg", ""),
    Ref("SC_rgb_gdcm_KY.dcm", PYDICOM, "OT", "RGB", 1, "j2k", ""),
    Ref("SC_rgb_jls_lossy_line.dcm", PYDICOM, None, "RGB", 1, "jpeg-ls", ""),
    Ref("SC_rgb_jls_lossy_sample.dcm", PYDICOM, None, "RGB", 1, "jpeg-ls", ""),
    Ref("SC_rgb_jpeg.dcm", PYDICOM, "OT", "RGB", 1, "jpeg", ""),
    Ref("SC_rgb_jpeg_app14_dcmd.dcm", PYDICOM, None, "RGB", 1, "jpeg", ""),
    Ref("SC_rgb_jpeg_dcmd.dcm", PYDICOM, "OT", "RGB", 1, "native", ""),
    Ref("SC_rgb_jpeg_dcmtk.dcm", PYDICOM, "OT", "YBR_FULL", 1, "jpeg", ""),
    Ref("SC_rgb_jpeg_gdcm.dcm", PYDICOM, "OT", "RGB", 1, "jpeg", ""),
    Ref("SC_rgb_jpeg_lossy_gdcm.dcm", PYDICOM, "OT", "YBR_FULL", 1, "jpeg", ""),
    Ref("SC_rgb_rle.dcm", PYDICOM, "OT", "RGB", 1, "rle", ""),
    Ref("SC_rgb_rle_16bit.dcm", PYDICOM, "OT", "RGB", 1, "rle", ""),
    Ref("SC_rgb_rle_16bit_2frame.dcm", PYDICOM, "OT", "RGB", 2, "rle", ""),
    Ref("SC_rgb_rle_2frame.dcm", PYDICOM, "OT", "RGB", 2, "rle", ""),
    Ref("SC_rgb_rle_32bit.dcm", PYDICOM, "OT", "RGB", 1, "rle", ""),
    Ref("SC_rgb_rle_32bit_2frame.dcm", PYDICOM, "OT", "RGB", 2, "rle", ""),
    Ref("SC_rgb_small_odd.dcm", PYDICOM, "OT", "RGB", 1, "native", ""),
    Ref("SC_rgb_small_odd_big_endian.dcm", PYDICOM, "OT", "RGB", 1, "big-endian", ""),
    Ref("SC_rgb_small_odd_jpeg.dcm", PYDICOM, "OT", "YBR_FULL", 1, "jpeg", ""),
    Ref("SC_ybr_full_422_uncompressed.dcm", PYDICOM, "OT", "YBR_FULL_422", 1, "native", ""),
    Ref("badVR.dcm", PYDICOM, "RTDOSE", "MONOCHROME2", 1, "native", ""),
    Ref("examples_jpeg2k.dcm", PYDICOM, "US", "YBR_RCT", 1, "j2k", ""),
    Ref("examples_overlay.dcm", PYDICOM, "MR", "MONOCHROME2", 1, "native", "window"),
    Ref("examples_palette.dcm", PYDICOM, "US", "PALETTE COLOR", 1, "native", ""),
    Ref("examples_rgb_color.dcm", PYDICOM, "US", "RGB", 1, "native", ""),
    Ref("examples_ybr_color.dcm", PYDICOM, "US", "YBR_FULL_422", 30, "jpeg", ""),
    Ref("image_dfl.dcm", PYDICOM, "OT", "MONOCHROME2", 1, "deflate", ""),
    Ref("liver_1frame.dcm", PYDICOM, "SEG", "MONOCHROME2", 1, "native", ""),
    Ref("liver_expb_1frame.dcm", PYDICOM, "SEG", "MONOCHROME2", 1, "big-endian", ""),
    Ref("meta_missing_tsyntax.dcm", PYDICOM, None, None, 1, "native", ""),
    Ref("nested_priv_SQ.dcm", PYDICOM, None, None, 1, "native", ""),
    Ref("rtdose.dcm", PYDICOM, "RTDOSE", "MONOCHROME2", 15, "native", ""),
    Ref("rtdose_1frame.dcm", PYDICOM, "RTDOSE", "MONOCHROME2", 1, "native", ""),
    Ref("rtdose_expb.dcm", PYDICOM, "RTDOSE", "MONOCHROME2", 15, "big-endian", ""),
    Ref("rtdose_expb_1frame.dcm", PYDICOM, "RTDOSE", "MONOCHROME2", 1, "big-endian", ""),
    Ref("rtdose_rle.dcm", PYDICOM, "RTDOSE", "MONOCHROME2", 15, "rle", ""),
    Ref("rtdose_rle_1frame.dcm", PYDICOM, "RTDOSE", "MONOCHROME2", 1, "rle", ""),
    Ref("693_J2KR.dcm", DATA, "CT", "MONOCHROME2", 1, "j2k", "window"),
    Ref("693_UNCI.dcm", DATA, "CT", "MONOCHROME2", 1, "native", "window"),
    Ref("693_UNCR.dcm", DATA, "CT", "MONOCHROME2", 1, "native", "window"),
    Ref("JPEG-LL.dcm", DATA, "NM", "MONOCHROME2", 1, "jpeg", ""),
    Ref("JPEG2000_UNC.dcm", DATA, "NM", "MONOCHROME2", 1, "native", ""),
    Ref("JPGLosslessP14SV1_1s_1f_8b.dcm", DATA, "US", "MONOCHROME2", 1, "jpeg", "window"),
    Ref("MR-SIEMENS-DICOM-WithOverlays.dcm", DATA, "MR", "MONOCHROME2", 1, "native", "window"),
    Ref("MR2_J2KI.dcm", DATA, "MR", "MONOCHROME2", 1, "j2k", "window"),
    Ref("MR2_J2KR.dcm", DATA, "MR", "MONOCHROME2", 1, "j2k", "window"),
    Ref("MR2_UNCI.dcm", DATA, "MR", "MONOCHROME2", 1, "native", "window"),
    Ref("MR2_UNCR.dcm", DATA, "MR", "MONOCHROME2", 1, "native", "window"),
    Ref("OBXXXX1A.dcm", DATA, "US", "PALETTE COLOR", 1, "native", ""),
    Ref("OBXXXX1A_2frame.dcm", DATA, "US", "PALETTE COLOR", 2, "native", ""),
    Ref("OBXXXX1A_expb.dcm", DATA, "US", "PALETTE COLOR", 1, "big-endian", ""),
    Ref("OBXXXX1A_expb_2frame.dcm", DATA, "US", "PALETTE COLOR", 2, "big-endian", ""),
    Ref("OBXXXX1A_rle.dcm", DATA, "US", "PALETTE COLOR", 1, "rle", ""),
    Ref("OBXXXX1A_rle_2frame.dcm", DATA, "US", "PALETTE COLOR", 2, "rle", ""),
    Ref("OT-PAL-8-face.dcm", DATA, "OT", "PALETTE COLOR", 1, "native", ""),
    Ref("RG1_J2KI.dcm", DATA, "CR", "MONOCHROME1", 1, "j2k", "window"),
    Ref("RG1_J2KR.dcm", DATA, "CR", "MONOCHROME1", 1, "j2k", "window"),
    Ref("RG1_UNCI.dcm", DATA, "CR", "MONOCHROME1", 1, "native", "window"),
    Ref("RG1_UNCR.dcm", DATA, "CR", "MONOCHROME1", 1, "native", "window"),
    Ref("RG3_J2KI.dcm", DATA, "CR", "MONOCHROME1", 1, "j2k", "window"),
    Ref("RG3_J2KR.dcm", DATA, "CR", "MONOCHROME1", 1, "j2k", "window"),
    Ref("RG3_UNCI.dcm", DATA, "CR", "MONOCHROME1", 1, "native", "window"),
    Ref("RG3_UNCR.dcm", DATA, "CR", "MONOCHROME1", 1, "native", "window"),
    Ref("SC_rgb.dcm", DATA, "OT", "RGB", 1, "native", ""),
    Ref("SC_rgb_16bit.dcm", DATA, "OT", "RGB", 1, "native", ""),
    Ref("SC_rgb_16bit_2frame.dcm", DATA, "OT", "RGB", 2, "native", ""),
    Ref("SC_rgb_2frame.dcm", DATA, "OT", "RGB", 2, "native", ""),
    Ref("SC_rgb_32bit.dcm", DATA, "OT", "RGB", 1, "native", ""),
    Ref("SC_rgb_32bit_2frame.dcm", DATA, "OT", "RGB", 2, "native", ""),
    Ref("SC_rgb_dcmtk_ebcr_dcmd.dcm", DATA, "OT", "RGB", 1, "native", ""),
    Ref("SC_rgb_dcmtk_ebcyn1_dcmd.dcm", DATA, "OT", "RGB", 1, "native", ""),
    Ref("SC_rgb_dcmtk_ebcyn2_dcmd.dcm", DATA, "OT", "RGB", 1, "native", ""),
    Ref("SC_rgb_dcmtk_ebcynp_dcmd.dcm", DATA, "OT", "RGB", 1, "native", ""),
    Ref("SC_rgb_dcmtk_ebcys2_dcmd.dcm", DATA, "OT", "RGB", 1, "native", ""),
    Ref("SC_rgb_dcmtk_ebcys4_dcmd.dcm", DATA, "OT", "RGB", 1, "native", ""),
    Ref("SC_rgb_expb.dcm", DATA, "OT", "RGB", 1, "big-endian", ""),
    Ref("SC_rgb_expb_16bit.dcm", DATA, "OT", "RGB", 1, "big-endian", ""),
    Ref("SC_rgb_expb_16bit_2frame.dcm", DATA, "OT", "RGB", 2, "big-endian", ""),
    Ref("SC_rgb_expb_2frame.dcm", DATA, "OT", "RGB", 2, "big-endian", ""),
    Ref("SC_rgb_expb_32bit.dcm", DATA, "OT", "RGB", 1, "big-endian", ""),
    Ref("SC_rgb_expb_32bit_2frame.dcm", DATA, "OT", "RGB", 2, "big-endian", ""),
    Ref("SC_rgb_gdcm2k_uncompressed.dcm", DATA, "OT", "RGB", 1, "native", ""),
    Ref("SC_ybr_full_uncompressed.dcm", DATA, "OT", "YBR_FULL", 1, "native", ""),
    Ref("US1_J2KI.dcm", DATA, "US", "YBR_ICT", 1, "j2k", ""),
    Ref("US1_J2KR.dcm", DATA, "US", "YBR_RCT", 1, "j2k", ""),
    Ref("US1_UNCI.dcm", DATA, "US", "RGB", 1, "native", ""),
    Ref("US1_UNCR.dcm", DATA, "US", "RGB", 1, "native", ""),
    Ref("bad_sequence.dcm", DATA, "CT", "MONOCHROME2", 1, "jpeg", "window"),
    Ref("color-pl.dcm", DATA, "US", "RGB", 1, "native", ""),
    Ref("color-px.dcm", DATA, "US", "RGB", 1, "native", ""),
    Ref("color3d_jpeg_baseline.dcm", DATA, "US", "YBR_FULL_422", 120, "jpeg", ""),
    Ref("eCT_Supplemental.dcm", DATA, "CT", "MONOCHROME2", 2, "native", ""),
    Ref("emri_small.dcm", DATA, "MR", "MONOCHROME2", 10, "native", ""),
    Ref("emri_small_RLE.dcm", DATA, "MR", "MONOCHROME2", 10, "rle", ""),
    Ref("emri_small_big_endian.dcm", DATA, "MR", "MONOCHROME2", 10, "big-endian", ""),
    Ref("emri_small_jpeg_2k_lossless.dcm", DATA, "MR", "MONOCHROME2", 10, "j2k", ""),
    Ref("emri_small_jpeg_ls_lossless.dcm", DATA, "MR", "MONOCHROME2", 10, "jpeg-ls", ""),
    Ref("explicit_VR-UN.dcm", DATA, "CT", "MONOCHROME2", 1, "j2k", ""),
    Ref("gdcm-US-ALOKA-16.dcm", DATA, "US", "PALETTE COLOR", 1, "native", ""),
    Ref("gdcm-US-ALOKA-16_big.dcm", DATA, "US", "PALETTE COLOR", 1, "big-endian", ""),
    Ref("liver.dcm", DATA, "SEG", "MONOCHROME2", 3, "native", ""),
    Ref("liver_expb.dcm", DATA, "SEG", "MONOCHROME2", 3, "big-endian", ""),
    Ref("mlut_18.dcm", DATA, "OT", "MONOCHROME2", 1, "native", "modality-lut"),
    Ref("vlut_04.dcm", DATA, "OT", "MONOCHROME2", 1, "native", "voi-lut"),
)
BY_NAME = {ref.name: ref for ref in REFERENCE}


class Why(str, Enum):
    DCMTK_NO_CODEC = "dcmj2pnm 3.6.7 has no JPEG 2000 / JPEG-LS decoder (F: Missing attribute)"
    DCMTK_REFUSES = "dcmtk refuses the file"
    DCMTK_WRONG = "dcmtk renders the file wrongly"
    OURS_REFUSES = "Lightbox refuses the file (UNDECODABLE), dcmtk renders it"
    BOTH_REFUSE = "broken file: dcmtk and Lightbox both refuse it"


class Exclusion(NamedTuple):
    why: Why
    detail: str
    twin: str | None = None  # for DCMTK_WRONG: the file dcmtk renders right


EXCLUDED: dict[str, Exclusion] = {
    **{
        ref.name: Exclusion(Why.DCMTK_NO_CODEC, "compared through its uncompressed twin where one exists")
        for ref in REFERENCE
        if ref.syntax in ("j2k", "jpeg-ls")
    },
    "SC_rgb_32bit.dcm": Exclusion(Why.DCMTK_REFUSES, "32 bits per colour sample (F: Unsupported element value)"),
    "SC_rgb_32bit_2frame.dcm": Exclusion(Why.DCMTK_REFUSES, "32 bits per colour sample"),
    "SC_rgb_expb_32bit.dcm": Exclusion(Why.DCMTK_REFUSES, "32 bits per colour sample"),
    "SC_rgb_expb_32bit_2frame.dcm": Exclusion(Why.DCMTK_REFUSES, "32 bits per colour sample"),
    "gdcm-US-ALOKA-16.dcm": Exclusion(
        Why.DCMTK_REFUSES, "segmented 16-bit palette: 'empty LookupTableData' (F: Invalid element value)"
    ),
    "gdcm-US-ALOKA-16_big.dcm": Exclusion(Why.DCMTK_REFUSES, "segmented 16-bit palette, big endian"),
    "SC_rgb_jpeg.dcm": Exclusion(Why.DCMTK_REFUSES, "trailing bytes parse as an oversized element (F: I/O suspension)"),
    "rtdose_expb.dcm": Exclusion(
        Why.DCMTK_WRONG, "32-bit big-endian OW pixels swapped as 16-bit words", twin="rtdose.dcm"
    ),
    "rtdose_expb_1frame.dcm": Exclusion(
        Why.DCMTK_WRONG, "32-bit big-endian OW pixels swapped as 16-bit words", twin="rtdose_1frame.dcm"
    ),
    "JPEG-lossy.dcm": Exclusion(
        Why.OURS_REFUSES,
        "invalid SOS parameters in the 12-bit JPEG stream; no installed pydicom plugin decodes it "
        "(pydicom's README: JPGExtended.dcm is the fixed copy, and that one is compared)",
    ),
    "badVR.dcm": Exclusion(Why.OURS_REFUSES, "Number of Frames (IS) is '1A'; dcmtk reads the leading '1'"),
    "MR_truncated.dcm": Exclusion(Why.BOTH_REFUSE, "pixel data shorter than Rows x Columns"),
    # Listed after the JPEG 2000 rule above so the stronger reason wins.
    "JPEG2000-embedded-sequence-delimiter.dcm": Exclusion(
        Why.BOTH_REFUSE, "J2K codestream corrupted by an embedded sequence delimiter"
    ),
    "meta_missing_tsyntax.dcm": Exclusion(Why.BOTH_REFUSE, "Pixel Data without an Image Pixel module"),
    "nested_priv_SQ.dcm": Exclusion(Why.BOTH_REFUSE, "Pixel Data without an Image Pixel module"),
}

COMPARED: tuple[Ref, ...] = tuple(ref for ref in REFERENCE if ref.name not in EXCLUDED)


# Twins: (reference file, other encoding of the same pixels). Lossless twins must render
# byte-identically; LOSSY_TWINS (a lossy encoding against the original) need r >= 0.99.
LOSSLESS_TWINS: tuple[tuple[str, str], ...] = (
    *(
        ("MR_small.dcm", twin)
        for twin in (
            "MR_small_RLE.dcm",
            "MR_small_jp2klossless.dcm",
            "MR_small_jpeg_ls_lossless.dcm",
            "MR_small_bigendian.dcm",
            "MR_small_expb.dcm",
            "MR_small_implicit.dcm",
            "MR_small_padded.dcm",
        )
    ),
    *(
        ("emri_small.dcm", twin)
        for twin in (
            "emri_small_RLE.dcm",
            "emri_small_big_endian.dcm",
            "emri_small_jpeg_2k_lossless.dcm",
            "emri_small_jpeg_ls_lossless.dcm",
        )
    ),
    *((f"{base}_UNCR.dcm", f"{base}_J2KR.dcm") for base in ("693", "MR2", "RG1", "RG3", "US1")),
    # *_UNCI are the decompressed lossy images, so they equal the *_J2KI they came from.
    *((f"{base}_UNCI.dcm", f"{base}_J2KI.dcm") for base in ("693", "MR2", "RG1", "RG3", "US1")),
    ("OBXXXX1A.dcm", "OBXXXX1A_rle.dcm"),
    ("OBXXXX1A.dcm", "OBXXXX1A_expb.dcm"),
    ("OBXXXX1A_2frame.dcm", "OBXXXX1A_rle_2frame.dcm"),
    ("OBXXXX1A_2frame.dcm", "OBXXXX1A_expb_2frame.dcm"),
    *(
        ("SC_rgb.dcm", twin)
        for twin in (
            "SC_rgb_rle.dcm",
            "SC_rgb_expb.dcm",
            "SC_rgb_jpeg_gdcm.dcm",
            "SC_rgb_gdcm_KY.dcm",
            "SC_rgb_gdcm2k_uncompressed.dcm",
        )
    ),
    ("SC_rgb_2frame.dcm", "SC_rgb_rle_2frame.dcm"),
    ("SC_rgb_2frame.dcm", "SC_rgb_expb_2frame.dcm"),
    ("SC_rgb_16bit.dcm", "SC_rgb_rle_16bit.dcm"),
    ("SC_rgb_16bit.dcm", "SC_rgb_expb_16bit.dcm"),
    ("SC_rgb_16bit_2frame.dcm", "SC_rgb_rle_16bit_2frame.dcm"),
    ("SC_rgb_16bit_2frame.dcm", "SC_rgb_expb_16bit_2frame.dcm"),
    ("SC_rgb_32bit.dcm", "SC_rgb_rle_32bit.dcm"),
    ("SC_rgb_32bit.dcm", "SC_rgb_expb_32bit.dcm"),
    ("SC_rgb_32bit_2frame.dcm", "SC_rgb_rle_32bit_2frame.dcm"),
    ("SC_rgb_32bit_2frame.dcm", "SC_rgb_expb_32bit_2frame.dcm"),
    ("SC_rgb_small_odd.dcm", "SC_rgb_small_odd_big_endian.dcm"),
    ("rtdose.dcm", "rtdose_rle.dcm"),
    ("rtdose.dcm", "rtdose_expb.dcm"),
    ("rtdose_1frame.dcm", "rtdose_rle_1frame.dcm"),
    ("rtdose_1frame.dcm", "rtdose_expb_1frame.dcm"),
    ("liver.dcm", "liver_expb.dcm"),
    ("liver_1frame.dcm", "liver_expb_1frame.dcm"),
    ("gdcm-US-ALOKA-16.dcm", "gdcm-US-ALOKA-16_big.dcm"),
    ("JPEG2000_UNC.dcm", "JPEG2000.dcm"),
)
LOSSY_TWINS: tuple[tuple[str, str], ...] = (
    *((f"{base}_UNCR.dcm", f"{base}_UNCI.dcm") for base in ("MR2", "RG1", "RG3", "US1")),
    ("SC_rgb.dcm", "SC_rgb_jls_lossy_line.dcm"),
    ("SC_rgb.dcm", "SC_rgb_jls_lossy_sample.dcm"),
    ("SC_rgb.dcm", "SC_rgb_dcmtk_+eb+cr.dcm"),
    ("SC_rgb_small_odd.dcm", "SC_rgb_small_odd_jpeg.dcm"),
    ("SC_rgb_dcmtk_ebcyn1_dcmd.dcm", "SC_rgb_dcmtk_+eb+cy+n1.dcm"),
)
