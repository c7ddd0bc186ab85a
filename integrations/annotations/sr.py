"""A case version's annotations as a DICOM Structured Report: TID 1500 Measurement Report, written with highdicom.

One Comprehensive 3D SR per study of the published version that carries annotations. Each
annotation is a planar ROI measurement group (TID 1410) whose image region is an SCOORD on the
annotated frame of the source image: LENGTH, ARROW and ANGLE a POLYLINE, ELLIPSE an ELLIPSE,
TEXT and PROBE a POINT; its tracking identifier carries the kind and the text, its measurements
the length (mm), angle (deg), area (mm2) and mean/SD inside an ellipse.

Every UID and date comes from the case, version and study, so the same version always gives the
same bytes (and the same content key, so the same ETag).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO

import highdicom as hd
import numpy as np
from pydicom.dataset import Dataset
from pydicom.sr.codedict import codes

from content.annotations.kinds import Annotation, Kind, Measurement

SERIES_NUMBER = 9900  # out of the way of acquired series
MANUFACTURER = "Lightbox"
_GRAPHIC = {
    Kind.ARROW: hd.sr.GraphicTypeValues.POLYLINE,
    Kind.LENGTH: hd.sr.GraphicTypeValues.POLYLINE,
    Kind.ANGLE: hd.sr.GraphicTypeValues.POLYLINE,
    Kind.ELLIPSE: hd.sr.GraphicTypeValues.ELLIPSE,
    Kind.TEXT: hd.sr.GraphicTypeValues.POINT,
    Kind.PROBE: hd.sr.GraphicTypeValues.POINT,
}
_UCUM = {
    "mm": hd.sr.CodedConcept("mm", "UCUM", "millimeter"),
    "px": hd.sr.CodedConcept("{pixels}", "UCUM", "pixels"),
    "deg": hd.sr.CodedConcept("deg", "UCUM", "degree"),
    "mm2": hd.sr.CodedConcept("mm2", "UCUM", "square millimeter"),
    "px2": hd.sr.CodedConcept("{pixels}2", "UCUM", "square pixels"),
    "HU": hd.sr.CodedConcept("[hnsf'U]", "UCUM", "Hounsfield unit"),
}
_NO_UNIT = hd.sr.CodedConcept("1", "UCUM", "no units")


def derived_uid(*parts: str) -> str:
    """A UID in the 2.25 (UUID) arc from a hash of `parts`: the same parts, the same UID."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).digest()[:16]
    return f"2.25.{int.from_bytes(digest, 'big')}"


@dataclass(frozen=True)
class ExportUids:
    """The UIDs of one export, derived from what it exports."""

    series: str
    sop: str

    @staticmethod
    def of(case_uid: str, version: int, study_instance_uid: str) -> ExportUids:
        """Deterministic UIDs (2.25 form) for the SR of one case version's annotations on one study."""
        return ExportUids(
            series=derived_uid(case_uid, study_instance_uid, "annotations series"),
            sop=derived_uid(case_uid, str(version), study_instance_uid, "annotations sr"),
        )


def _unit(name: str | None) -> hd.sr.CodedConcept:
    return _UCUM.get(name or "", _NO_UNIT)


def _measurements(kind: Kind, m: Measurement | None) -> list[hd.sr.Measurement]:
    if m is None:
        return []
    name = {
        Kind.LENGTH: codes.SCT.Length,
        Kind.ANGLE: codes.SCT.Angle,
        Kind.ELLIPSE: codes.SCT.Area,
        Kind.PROBE: hd.sr.CodedConcept("112031", "DCM", "Attenuation Coefficient")
        if m.unit == "HU"
        else codes.SCT.Mean,
    }.get(kind)
    if name is None:
        return []
    out = [hd.sr.Measurement(name=name, value=m.value, unit=_unit(m.unit))]
    if kind == Kind.ELLIPSE and m.mean is not None and m.standard_deviation is not None:
        out.append(hd.sr.Measurement(name=codes.SCT.Mean, value=m.mean, unit=_unit(m.pixel_unit)))
        out.append(
            hd.sr.Measurement(name=codes.SCT.StandardDeviation, value=m.standard_deviation, unit=_unit(m.pixel_unit))
        )
    return out


def label(n: int, a: Annotation) -> str:
    """The tracking identifier of an annotation: its place, kind and text (64 characters at most)."""
    text = f"{n} {a.kind.value}" + (f": {a.text}" if a.text else "")
    return text[:64]


def _group(
    n: int, a: Annotation, source: Dataset, uids: ExportUids
) -> hd.sr.PlanarROIMeasurementsAndQualitativeEvaluations:
    source_image = hd.sr.SourceImageForRegion.from_source_image(source, referenced_frame_numbers=_frames(a, source))
    region = hd.sr.ImageRegion(
        graphic_type=_GRAPHIC[a.kind],
        graphic_data=np.array(a.points, dtype=float),
        source_image=source_image,
    )
    tracking = hd.sr.TrackingIdentifier(uid=derived_uid(uids.sop, a.id), identifier=label(n, a))
    return hd.sr.PlanarROIMeasurementsAndQualitativeEvaluations(
        tracking_identifier=tracking,
        referenced_region=region,
        finding_type=codes.SCT.Finding,
        measurements=_measurements(a.kind, a.measurement) or None,
    )


def _frames(a: Annotation, source: Dataset) -> list[int] | None:
    return [a.frame] if int(source.get("NumberOfFrames") or 1) > 1 else None


def measurement_report(
    annotations: Sequence[Annotation],
    sources: dict[str, Dataset],
    *,
    uids: ExportUids,
    title: str,
    created: datetime,
) -> bytes:
    """The SR's bytes. `sources` maps each annotated instance's row uid to its header (the evidence)."""
    observer = hd.sr.ObserverContext(
        observer_type=codes.DCM.Device,
        observer_identifying_attributes=hd.sr.DeviceObserverIdentifyingAttributes(uid=uids.series, name=MANUFACTURER),
    )
    groups = [_group(n, a, sources[a.instance], uids) for n, a in enumerate(annotations, start=1)]
    report = hd.sr.MeasurementReport(
        observation_context=hd.sr.ObservationContext(observer_device_context=observer),
        procedure_reported=hd.sr.CodedConcept("P5-09051", "SRT", "Imaging procedure"),
        imaging_measurements=groups,
        title=codes.DCM.ImagingMeasurementReport,
    )
    evidence = list({id(ds): ds for ds in sources.values()}.values())
    sr = hd.sr.Comprehensive3DSR(
        evidence=evidence,
        content=report,
        series_instance_uid=uids.series,
        series_number=SERIES_NUMBER,
        sop_instance_uid=uids.sop,
        instance_number=1,
        manufacturer=MANUFACTURER,
        is_complete=True,
        is_final=True,
        series_description=title[:64],
    )
    _fix_times(sr, created)
    out = BytesIO()
    sr.save_as(out, enforce_file_format=True)
    return out.getvalue()


def _fix_times(ds: Dataset, at: datetime) -> None:
    """Dates and times from the version, not the clock: the same version gives the same bytes."""
    date, time = at.strftime("%Y%m%d"), at.strftime("%H%M%S")
    for item in ds.get("ContributingEquipmentSequence") or []:
        if "ContributionDateTime" in item:
            item.ContributionDateTime = date + time
    for keyword in ("ContentDate", "SeriesDate", "InstanceCreationDate"):
        if keyword in ds:
            setattr(ds, keyword, date)
    for keyword in ("ContentTime", "SeriesTime", "InstanceCreationTime"):
        if keyword in ds:
            setattr(ds, keyword, time)
