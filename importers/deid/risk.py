"""Burned-in text risk: which images a person must check before trainees may see them."""

from __future__ import annotations

from pydicom.dataset import Dataset

SECONDARY_CAPTURE_ROOT = "1.2.840.10008.5.1.4.1.1.7"  # SC and its multi-frame .7.1-.7.4 classes


def is_secondary_capture(sop_class_uid: str) -> bool:
    """Whether a SOP class is Secondary Capture (screenshots that may carry burned-in text)."""
    # Exact match or a sub-arc: "1.2.840.10008.5.1.4.1.1.77.1" (VL images) is not an SC class.
    return sop_class_uid == SECONDARY_CAPTURE_ROOT or sop_class_uid.startswith(SECONDARY_CAPTURE_ROOT + ".")


def burned_in_risk(ds: Dataset) -> tuple[bool, str | None]:
    """(risk, reason). Ultrasound and screen captures routinely carry burned-in names and
    dates, so they are at risk unless the producer explicitly states BurnedInAnnotation NO."""
    burned_in = str(ds.get("BurnedInAnnotation", "") or "").strip().upper()
    if burned_in == "YES":
        return True, "BurnedInAnnotation is YES"
    if burned_in == "NO":
        return False, None
    if str(ds.get("Modality", "") or "").upper() == "US":
        return True, "ultrasound without BurnedInAnnotation NO"
    if is_secondary_capture(str(ds.get("SOPClassUID", "") or "")):
        return True, "secondary capture without BurnedInAnnotation NO"
    return False, None
