"""Burned-in text: the header's word (deid.risk) and the pixels' (OCR), one decision per image.

Ultrasound and secondary capture are held by their header as before (unless it says
BurnedInAnnotation NO); CR, DX, XA and MG, and ultrasound or secondary capture whose header says
NO, are held when OCR reads text in the first frame. A producer's NO is a claim: pydicom-data's
echo (JPGLosslessP14SV1) says NO and shows "Adult Echo" and the heart rate.
Every held image also gets OCR's regions as proposals for the person who reviews it. Only the
first frame is read: overlays are drawn on every frame alike, and a 120-frame clip would
otherwise cost two minutes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Final

from pydicom.dataset import Dataset

from importers.deid.risk import burned_in_risk, is_secondary_capture
from media import ocr

log = logging.getLogger(__name__)

OCR_HELD_MODALITIES: Final = frozenset({"CR", "DX", "XA", "MG"})
_warned: list[bool] = []


@dataclass(frozen=True)
class BurnedIn:
    reason: str | None  # set: hold the image
    regions: tuple[ocr.Region, ...] = ()


def _read_text(ds: Dataset) -> ocr.TextFound:
    if not ocr.available():
        if not _warned:
            _warned.append(True)
            log.warning("tesseract is not installed: no OCR of burned-in text (scripts/setup.sh installs it)")
        return ocr.NOTHING
    try:
        return ocr.text_in_frame(ds, 1)
    except Exception as exc:  # undecodable pixels (shown as a placeholder anyway) or a Tesseract failure
        log.info("OCR skipped: %s: %s", type(exc).__name__, exc)
        return ocr.NOTHING


def reads_pixels(ds: Dataset) -> bool:
    """Whether assess(ds) runs OCR; False: it decides from the header alone, cheaply."""
    at_risk, _ = burned_in_risk(ds)
    return "PixelData" in ds and (at_risk or _ocr_decides(ds))


def _ocr_decides(ds: Dataset) -> bool:
    modality = str(ds.get("Modality", "") or "").strip().upper()
    return (
        modality in OCR_HELD_MODALITIES
        or modality == "US"
        or is_secondary_capture(str(ds.get("SOPClassUID", "") or ""))
    )


def assess(ds: Dataset) -> BurnedIn:
    """Whether a de-identified dataset (with pixels) is held, and the regions to propose."""
    at_risk, reason = burned_in_risk(ds)
    if "PixelData" not in ds or not (at_risk or _ocr_decides(ds)):
        return BurnedIn(reason if at_risk else None)
    found = _read_text(ds)
    if at_risk:
        return BurnedIn(reason, found.regions)
    if found.holds:
        return BurnedIn(f"text found in the pixels by OCR ({len(found.regions)} regions)", found.regions)
    return BurnedIn(None)
