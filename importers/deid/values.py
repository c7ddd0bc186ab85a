"""Element-level value rewrites: the Z (empty) and D (dummy) values, per VR, and UID remapping."""

from __future__ import annotations

from collections.abc import Callable

from pydicom.dataelem import DataElement
from pydicom.multival import MultiValue
from pydicom.sequence import Sequence

DUMMY_TEXT = "ANONYMIZED"  # fits every string VR's length limit (SH, CS and AE allow 16)
_TEXT_VRS = frozenset({"AE", "CS", "SH", "LO", "LT", "ST", "UT", "UC", "PN"})
_NUMBER_VRS = frozenset({"US", "SS", "UL", "SL", "UV", "SV", "FL", "FD"})
_STRING_NUMBER_VRS = frozenset({"IS", "DS"})
_BYTES_VRS = frozenset({"OB", "OW", "OF", "OD", "OL", "OV", "UN"})


def set_empty(elem: DataElement) -> None:
    """Make an element zero-length (an empty sequence for SQ)."""
    elem.value = Sequence() if elem.VR == "SQ" else None


def set_dummy(elem: DataElement) -> None:
    """A value that is present (so type 1 attributes stay) and says nothing."""
    vr = elem.VR
    if vr == "SQ":
        # A dummy item would have to be a valid macro; an empty sequence carries nothing.
        elem.value = Sequence()
    elif vr in _TEXT_VRS:
        elem.value = DUMMY_TEXT
    elif vr in _NUMBER_VRS:
        elem.value = 0
    elif vr in _STRING_NUMBER_VRS:
        elem.value = "0"
    elif vr == "AS":
        elem.value = "000Y"
    elif vr in _BYTES_VRS:
        elem.value = b"\x00\x00"  # D means non-empty; two zero bytes keep the length even
    elif vr == "UR":
        elem.value = "urn:lightbox:removed"
    else:
        elem.value = None


def map_strings(elem: DataElement, fn: Callable[[str], str]) -> None:
    """Apply fn to every value of a (possibly multi-valued) string element."""
    value = elem.value
    if value is None or value == "":
        return
    if isinstance(value, MultiValue | list | tuple):
        elem.value = [fn(str(item)) for item in value]
    else:
        elem.value = fn(str(value))
