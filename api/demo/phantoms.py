"""Synthetic cross-sectional series for the demo: volumes worth scrolling, windowing and measuring.

Two numerical phantoms, drawn slice by slice with numpy from ellipsoids and tubes of known size,
so a measurement in the viewer can be checked against the truth:

- `ct_abdomen`: a CT angiogram of the abdomen and pelvis, 300 axial slices of 256 x 256, 1.25 mm
  apart, pixel spacing 1.5625 mm (a 400 mm field), int16 with RescaleIntercept -1024 (HU). It
  matches the ruptured aneurysm case's report: a fusiform infrarenal aneurysm of 76 mm maximum
  outer diameter (at 145 mm below the first slice) with eccentric mural thrombus and a break in its
  calcified wall at the left posterolateral side, a 24 mm neck 22 mm long below the lowest renal
  artery, common iliac arteries of 15 mm (right) and 16 mm (left), a left retroperitoneal
  haematoma (65 HU) along the psoas; liver, spleen, kidneys, spine with discs, bowel, pelvis.
- `mr_brain`: an axial 3D FLAIR of the head, 120 slices of 256 x 256, 1.2 mm apart, 0.9375 mm
  pixels, for the multiple sclerosis case: ovoid periventricular lesions (6 x 8 x 14 mm), a 10 mm
  left frontal juxtacortical lesion and an 8 mm lesion in the right middle cerebellar peduncle.

Coordinates are DICOM patient coordinates (LPS, millimetres): +x the patient's left, +y posterior,
+z head. Each volume takes about a second to draw; nothing is cached. The headers carry no
identifiers beyond what an import de-identifies anyway (a made-up name and ID).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

import numpy as np
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import CTImageStorage, ExplicitVRLittleEndian, MRImageStorage, generate_uid


@dataclass(frozen=True)
class Grid:
    """Pixel centres in mm: `axis` along rows and columns alike, `x` and `y` per pixel."""

    axis: np.ndarray
    x: np.ndarray
    y: np.ndarray


@dataclass(frozen=True)
class Volume:
    """A phantom's geometry and look."""

    name: str
    modality: str
    slices: int
    size: int
    spacing: float  # mm per pixel, rows and columns
    thickness: float  # mm between slice centres (and slice thickness)
    description: str
    body_part: str
    window: tuple[float, float]  # centre, width


CT_ABDOMEN: Final = Volume("ct_abdomen", "CT", 300, 256, 400 / 256, 1.25, "CTA AORTA 1.25mm", "ABDOMEN", (60, 400))
MR_BRAIN: Final = Volume("mr_brain", "MR", 120, 256, 240 / 256, 1.2, "AX 3D FLAIR", "HEAD", (600, 1200))
VOLUMES: Final = {v.name: v for v in (CT_ABDOMEN, MR_BRAIN)}

# The aneurysm's truth (mm below the first slice, and diameters), as the case's report gives it.
RENAL_ARTERY_DEPTHS: Final = (70.0, 78.0)  # right, left: the lowest is the left
NECK_DIAMETER: Final = 24.0
ANEURYSM_TOP, ANEURYSM_BOTTOM = 100.0, 190.0  # neck: 78 to 100 mm, 22 mm long
ANEURYSM_MAX_DIAMETER: Final = 76.0
BIFURCATION: Final = 200.0
COMMON_ILIAC_DIAMETERS: Final = (15.0, 16.0)  # right, left


def _grid(volume: Volume) -> Grid:
    """x (columns, patient left) and y (rows, posterior) of each pixel centre, in mm."""
    half = volume.size * volume.spacing / 2
    axis = -half + volume.spacing * (np.arange(volume.size) + 0.5)
    x, y = np.meshgrid(axis, axis)
    return Grid(axis, x, y)


def _ellipse(g: Grid, cx: float, cy: float, a: float, b: float) -> np.ndarray:
    """Pixels inside an ellipse; only its bounding box is computed (a slice draws ~50 shapes)."""
    mask = np.zeros(g.x.shape, dtype=bool)
    j0, j1 = np.searchsorted(g.axis, (cx - a, cx + a))
    i0, i1 = np.searchsorted(g.axis, (cy - b, cy + b))
    if j1 > j0 and i1 > i0:
        xs, ys = g.axis[j0:j1], g.axis[i0:i1]
        mask[i0:i1, j0:j1] = ((xs[None, :] - cx) / a) ** 2 + ((ys[:, None] - cy) / b) ** 2 <= 1
    return mask


def _ellipsoid(g: Grid, z: float, centre: tuple[float, float, float], radii: tuple[float, float, float]) -> np.ndarray:
    """The cross-section at z of an axis-aligned ellipsoid (empty when z misses it)."""
    t = 1 - ((z - centre[2]) / radii[2]) ** 2
    if t <= 0:
        return np.zeros(g.x.shape, dtype=bool)
    k = float(np.sqrt(t))
    return _ellipse(g, centre[0], centre[1], radii[0] * k, radii[1] * k)


# CT abdomen and pelvis (d: mm below the first slice) ---------------------------------------


def _aneurysm_radius(d: float) -> float:
    if ANEURYSM_TOP <= d <= ANEURYSM_BOTTOM:
        bulge = np.sin(np.pi * (d - ANEURYSM_TOP) / (ANEURYSM_BOTTOM - ANEURYSM_TOP))
        return NECK_DIAMETER / 2 + (ANEURYSM_MAX_DIAMETER - NECK_DIAMETER) / 2 * float(bulge)
    return NECK_DIAMETER / 2


def _aorta(hu: np.ndarray, g: Grid, d: float) -> None:
    x, y = g.x, g.y
    if d < BIFURCATION:
        r = _aneurysm_radius(d)
        cx, cy = 12.0, 22.0 - (r - NECK_DIAMETER / 2) * 0.8  # grows forwards, off the spine
        outer = _ellipse(g, cx, cy, r, r)
        hu[outer] = 45  # mural thrombus fills what the lumen leaves
        if r > NECK_DIAMETER / 2 + 2:
            # Calcified wall, broken at the left posterolateral side where it ruptured.
            ring = outer & ~_ellipse(g, cx, cy, r - 2, r - 2)
            angle = np.degrees(np.arctan2(y - cy, x - cx))
            gap = (angle > 20) & (angle < 70) & (130 <= d <= 165)
            hu[ring & ~gap] = 600
            crescent = outer & ~_ellipse(g, cx, cy, r - 6, r - 6) & ((angle > 0) & (angle < 90)) & ~ring
            hu[crescent] = 75  # the hyperattenuating crescent in the thrombus
        lumen = min(r, NECK_DIAMETER / 2 + (r - NECK_DIAMETER / 2) * 0.35)
        hu[_ellipse(g, cx - (r - lumen) * 0.5, cy - (r - lumen) * 0.5, lumen, lumen)] = 300
        for depth, side in zip(RENAL_ARTERY_DEPTHS, (-1, 1), strict=True):
            if abs(d - depth) <= 3:  # a renal artery, 6 mm across, to the kidney's hilum
                hu[(np.abs(y - 30) <= 3) & (side * (x - cx) > 0) & (np.abs(x - cx) <= 62)] = 300
        return
    spread = 8 + (d - BIFURCATION) * 0.35
    for side, diameter in zip((-1, 1), COMMON_ILIAC_DIAMETERS, strict=True):
        r = diameter / 2 if d < BIFURCATION + 60 else 4.0  # external iliac arteries, 8 mm
        hu[_ellipse(g, 12 + side * spread, 22 + (d - BIFURCATION) * 0.1, r, r)] = 300


def _spine(hu: np.ndarray, g: Grid, d: float) -> None:
    disc = (d % 30) >= 25  # each level: a 25 mm body, a 5 mm disc
    body = _ellipse(g, 0, 58, 20, 17)
    hu[body] = 90 if disc else 700
    if not disc:
        hu[_ellipse(g, 0, 58, 18, 15)] = 250  # cancellous bone inside the cortex
        hu[_ellipse(g, 0, 100, 7, 14)] = 650  # lamina and spinous process
    hu[_ellipse(g, 0, 84, 8, 7)] = 10  # the canal


def _ct_slice(g: Grid, d: float, rng: np.random.Generator) -> np.ndarray:
    x, y = g.x, g.y
    pelvis = max(0.0, (d - 240) / 135)
    a, b = 160 + 12 * pelvis, 115
    hu = np.full(x.shape, -1000, dtype=np.float32)
    hu[(y >= 128) & (y <= 134) & (np.abs(x) < 190)] = 150  # the couch
    hu[_ellipse(g, 0, 0, a, b)] = -100  # subcutaneous fat
    hu[_ellipse(g, 0, 0, a - 10, b - 10)] = 45  # abdominal wall muscle
    hu[_ellipse(g, 0, 0, a - 16, b - 16)] = -80  # intra-abdominal fat
    hu[_ellipse(g, 30, 95, 24, 18) | _ellipse(g, -30, 95, 24, 18)] = 50  # paraspinal muscles
    if d > 80:
        r = 8 + min(d - 80, 200) * 0.08
        hu[_ellipse(g, 40, 52, r, r * 1.2) | _ellipse(g, -40, 52, r, r * 1.2)] = 50  # psoas
    if d < 140:
        shrink = 1 - max(0.0, d - 60) / 80
        if shrink > 0:
            hu[_ellipse(g, -80, -5, 78 * shrink, 72 * shrink)] = 70  # liver
    hu[_ellipsoid(g, -d, (95, 35, -40), (35, 45, 45))] = 55  # spleen
    hu[_ellipsoid(g, -d, (50, -45, -25), (35, 28, 30))] = 20  # stomach, fluid
    hu[_ellipsoid(g, -d, (50, -62, -20), (18, 10, 15))] = -950  # and its air
    for side, cy in ((-1, 45.0), (1, 32.0)):  # the left kidney pushed forwards by the haematoma
        kidney = _ellipsoid(g, -d, (side * 78, cy, -95), (28, 22, 55))
        hu[kidney] = 160
        hu[kidney & _ellipse(g, side * 70, cy, 9, 7)] = -40  # renal sinus fat
    if d < BIFURCATION:
        hu[_ellipse(g, -24, 25, 11, 12)] = 160  # inferior vena cava
    hu[_ellipsoid(g, -d, (62, 45, -150), (42, 32, 62))] = 65  # left retroperitoneal haematoma
    for k in range(7):  # bowel loops drifting from slice to slice
        cx = -70 + 25 * k + 12 * np.sin(d / 23 + k)
        cy = -60 + 18 * np.cos(d / 31 + 2 * k)
        if 90 < d < 300 and not (k == 4 and d < 200):
            loop = _ellipse(g, cx, cy, 13, 11)
            hu[loop] = 35
            hu[loop & _ellipse(g, cx, cy - 4, 7, 5)] = -900 if k % 2 else 15
    if d > 250:
        inward = (d - 250) * 0.3
        for side in (-1, 1):
            hu[_ellipse(g, side * (125 - inward), 40, 12, 45)] = 550  # iliac wings
        hu[_ellipse(g, 0, 75, 30, 20)] = 380  # sacrum
    hu[_ellipsoid(g, -d, (0, -35, -345), (48, 38, 35))] = 5  # bladder
    for side in (-1, 1):
        head = _ellipsoid(g, -d, (side * 95, 10, -365), (25, 25, 25))
        hu[head] = 700
        hu[head & _ellipsoid(g, -d, (side * 95, 10, -365), (22, 22, 22))] = 300  # femoral heads
    _spine(hu, g, d)
    _aorta(hu, g, d)
    hu += rng.normal(0, 6, hu.shape).astype(np.float32)  # quantum noise, as a scanner's
    return np.clip(np.round(hu), -1024, 3071).astype(np.int16)


# MR brain FLAIR (z: mm, 0 at the centre of the head) ---------------------------------------

LESIONS: Final = (
    ((14.0, -8.0, 18.0), (3.0, 4.0, 7.0)),  # periventricular, perpendicular to the ventricles
    ((-15.0, 6.0, 16.0), (3.0, 4.0, 7.0)),
    ((13.0, 18.0, 12.0), (3.0, 4.0, 7.0)),
    ((45.0, -55.0, 25.0), (5.0, 5.0, 5.0)),  # left frontal juxtacortical, 10 mm
    ((-14.0, 32.0, -38.0), (4.0, 4.0, 4.0)),  # right middle cerebellar peduncle, 8 mm
)


def _mr_slice(g: Grid, z: float, rng: np.random.Generator) -> np.ndarray:
    x = g.x
    s = np.full(x.shape, 0.0, dtype=np.float32)
    s[_ellipsoid(g, z, (0, 0, 0), (78, 98, 80))] = 900  # scalp fat
    s[_ellipsoid(g, z, (0, 0, 0), (75, 95, 77))] = 40  # skull
    s[_ellipsoid(g, z, (0, 0, 0), (71, 91, 73))] = 110  # CSF over the brain, dark on FLAIR
    s[_ellipsoid(g, z, (0, 0, 5), (68, 88, 64))] = 760  # cortex
    s[_ellipsoid(g, z, (0, 0, 5), (60, 80, 56))] = 560  # white matter
    s[_ellipsoid(g, z, (0, 48, -40), (52, 32, 24))] = 760  # cerebellum
    s[_ellipsoid(g, z, (0, 48, -40), (38, 22, 16))] = 560
    s[_ellipsoid(g, z, (0, 18, -35), (12, 12, 32))] = 600  # brainstem
    for side in (-1, 1):
        s[_ellipsoid(g, z, (side * 9, -2, 12), (6, 28, 13))] = 110  # lateral ventricles
        s[_ellipsoid(g, z, (side * 32, -72, -30), (12, 12, 12))] = 90  # globes
    s[_ellipsoid(g, z, (0, 4, 2), (2, 12, 8))] = 110  # third ventricle
    for centre, radii in LESIONS:
        s[_ellipsoid(g, z, centre, radii)] = 1200
    s = np.abs(s + rng.normal(0, 12, s.shape).astype(np.float32))  # magnitude noise
    return np.clip(np.round(s), 0, 4095).astype(np.uint16)


# DICOM ---------------------------------------------------------------------------------------


def _header(volume: Volume, seed: str, index: int) -> Dataset:
    uid = lambda *parts: generate_uid(entropy_srcs=[volume.name, seed, *map(str, parts)])  # noqa: E731
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    sop_class = CTImageStorage if volume.modality == "CT" else MRImageStorage
    ds.file_meta.MediaStorageSOPClassUID = sop_class
    ds.file_meta.MediaStorageSOPInstanceUID = uid("sop", index)
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.SOPClassUID, ds.SOPInstanceUID = sop_class, ds.file_meta.MediaStorageSOPInstanceUID
    ds.SpecificCharacterSet = "ISO_IR 100"
    ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"]
    ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.FrameOfReferenceUID = uid("study"), uid("series"), uid("frame")
    ds.StudyDate = ds.SeriesDate = ds.ContentDate = "20260101"
    ds.StudyTime = ds.SeriesTime = ds.ContentTime = "090000"
    ds.AccessionNumber, ds.StudyID = "PHANTOM1", "1"
    ds.PatientName, ds.PatientID, ds.PatientSex = "PHANTOM^DEMO", "PHANTOM-001", "O"
    ds.Modality, ds.Manufacturer, ds.ManufacturerModelName = volume.modality, "Lightbox", "Numerical phantom"
    ds.StudyDescription = f"{volume.body_part} PHANTOM"
    ds.SeriesDescription, ds.BodyPartExamined = volume.description, volume.body_part
    ds.SeriesNumber, ds.InstanceNumber = 2, index + 1
    ds.PatientPosition = "HFS"
    half = volume.size * volume.spacing / 2 - volume.spacing / 2
    z = round(-index * volume.thickness + (volume.slices - 1) * volume.thickness / 2, 4)
    ds.ImagePositionPatient = [round(-half, 4), round(-half, 4), z]
    ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
    ds.SliceLocation, ds.SliceThickness = z, volume.thickness
    ds.SpacingBetweenSlices = volume.thickness
    ds.PixelSpacing = [round(volume.spacing, 6), round(volume.spacing, 6)]
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
    ds.Rows = ds.Columns = volume.size
    ds.BitsAllocated, ds.BitsStored, ds.HighBit = 16, 16, 15
    ds.WindowCenter, ds.WindowWidth = volume.window
    ds.BurnedInAnnotation = "NO"
    return ds


def series(volume: Volume, *, seed: str = "demo") -> Iterator[Dataset]:
    """The volume's slices, head to feet, as Part 10 datasets; the same seed gives the same UIDs."""
    g = _grid(volume)
    rng = np.random.default_rng(7)
    for index in range(volume.slices):
        ds = _header(volume, seed, index)
        depth = index * volume.thickness
        if volume.modality == "CT":
            ds.PixelRepresentation = 1
            ds.RescaleIntercept, ds.RescaleSlope, ds.RescaleType = -1024, 1, "HU"
            ds.KVP = 100
            ds.PixelData = (_ct_slice(g, depth, rng).astype(np.int32) + 1024).astype("<i2").tobytes()
        else:
            ds.PixelRepresentation = 0
            ds.MagneticFieldStrength, ds.MRAcquisitionType = 1.5, "3D"
            ds.ScanningSequence, ds.SequenceVariant = ["SE", "IR"], ["SK", "SP"]
            ds.RepetitionTime, ds.EchoTime, ds.InversionTime = 4800, 125, 1650
            ds.PixelData = _mr_slice(g, float(ds.SliceLocation), rng).astype("<u2").tobytes()
        yield ds
