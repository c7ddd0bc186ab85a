"""Named CT windows (centre, width in HU): data, so the UI and the API list the same set."""

from __future__ import annotations

from typing import Final, NamedTuple


class Preset(NamedTuple):
    center: float
    width: float
    label: str


PRESETS: Final[dict[str, Preset]] = {
    "brain": Preset(40, 80, "Brain"),
    "subdural": Preset(75, 215, "Subdural"),
    "stroke": Preset(40, 40, "Stroke (narrow brain)"),
    "lung": Preset(-600, 1500, "Lung"),
    "mediastinum": Preset(50, 350, "Mediastinum"),
    "bone": Preset(400, 1800, "Bone"),
    "abdomen": Preset(40, 400, "Abdomen (soft tissue)"),
    "liver": Preset(60, 160, "Liver"),
}

# A CT without a window in its header is shown as soft tissue: the most common reading
# window, and the one least likely to hide pathology outright.
DEFAULT_CT_PRESET: Final = "abdomen"
