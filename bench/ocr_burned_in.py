"""Burned-in text: what the header rule and Tesseract OCR decide on every real test file.

Every file with pixels in tests/media/reference.py (pydicom's test files and pydicom-data) goes
through importers.burned_in.assess, the step the importer runs, and is compared with a person's
reading of its first frame (TEXT_IN_PIXELS below: words a person can read in the pixels; a lone
L/R marker is listed apart). Prints one line per file and the counts: held / not held, with and
without burned-in text, and how often OCR itself reads text (whatever the modality).

Run: .venv/bin/python bench/ocr_burned_in.py
"""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path

import pydicom

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from importers.burned_in import OCR_HELD_MODALITIES, assess
from importers.deid.risk import burned_in_risk
from media import ocr
from tests.media.reference import REFERENCE

# Read by a person from the first frame (several names are one image in other encodings).
US1 = ("US1_J2KI.dcm", "US1_J2KR.dcm", "US1_UNCI.dcm", "US1_UNCR.dcm", "examples_jpeg2k.dcm", "examples_rgb_color.dcm")
OB = (
    "OBXXXX1A.dcm",
    "OBXXXX1A_2frame.dcm",
    "OBXXXX1A_expb.dcm",
    "OBXXXX1A_expb_2frame.dcm",
    "OBXXXX1A_rle.dcm",
    "OBXXXX1A_rle_2frame.dcm",
    "examples_palette.dcm",
)
TEXT_IN_PIXELS = frozenset(
    {
        *US1,
        *OB,
        "gdcm-US-ALOKA-16.dcm",
        "gdcm-US-ALOKA-16_big.dcm",
        "JPGLosslessP14SV1_1s_1f_8b.dcm",
        "examples_ybr_color.dcm",
        "color3d_jpeg_baseline.dcm",
        "GDCMJ2K_TextGBR.dcm",
        "mlut_18.dcm",
        "vlut_04.dcm",
    }
)
MARKER_ONLY = frozenset({"RG3_J2KI.dcm", "RG3_J2KR.dcm", "RG3_UNCI.dcm", "RG3_UNCR.dcm"})


def main() -> None:
    warnings.filterwarnings("ignore")
    counts: dict[tuple[str, str], int] = {}
    ocr_reads: dict[str, list[int]] = {"text": [0, 0], "none": [0, 0]}  # [OCR reads text, files]
    seconds: list[float] = []
    print("file\tmodality\ttruth\theader\tOCR-holds\tproposals\theld\tseconds")
    for ref in REFERENCE:
        ds = pydicom.dcmread(ref.path, force=True)
        if "PixelData" not in ds:
            continue
        truth = "text" if ref.name in TEXT_IN_PIXELS else ("marker" if ref.name in MARKER_ONLY else "none")
        header, _ = burned_in_risk(ds)
        start = time.perf_counter()
        try:
            found = ocr.text_in_frame(ds, 1)
        except Exception:  # undecodable: the importer shows a placeholder and holds by header only
            found = ocr.NOTHING
        seconds.append(time.perf_counter() - start)
        decision = assess(ds)
        held = decision.reason is not None
        key = "text" if truth == "text" else "none"
        ocr_reads[key][0] += found.holds
        ocr_reads[key][1] += 1
        counts[(truth, "held" if held else "not held")] = counts.get((truth, "held" if held else "not held"), 0) + 1
        print(
            f"{ref.name}\t{ref.modality}\t{truth}\t{header}\t{found.holds}\t{len(found.regions)}\t{held}\t"
            f"{seconds[-1]:.2f}"
        )
    print()
    for truth in ("text", "marker", "none"):
        print(f"{truth:>6}: held {counts.get((truth, 'held'), 0):>3}, not held {counts.get((truth, 'not held'), 0):>3}")
    for key, (reads, files) in ocr_reads.items():
        print(f"OCR reads text (would hold) in {reads}/{files} files {'with' if key == 'text' else 'without'} text")
    print(
        f"OCR holds: {sorted(OCR_HELD_MODALITIES)}, and US/SC whose header says NO; OCR seconds per file: median "
        f"{sorted(seconds)[len(seconds) // 2]:.2f}, max {max(seconds):.2f}"
    )


if __name__ == "__main__":
    main()
