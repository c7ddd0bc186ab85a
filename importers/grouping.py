"""Group parsed headers into studies and series, and put each series in anatomical order.

Order is geometric when every instance says where it is (ImagePositionPatient projected on
the slice normal from ImageOrientationPatient): InstanceNumber is assigned by scanners in
acquisition order, which need not be spatial. Then InstanceNumber, then SOPInstanceUID, so
the order is always total and repeatable. A multi-frame file is one instance; its frames
are never split into a series.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Generic, TypeVar

import numpy as np
from pydicom.dataset import Dataset

T = TypeVar("T")
ORIENTATION_TOLERANCE = 1e-3  # direction cosines of one series agree to this


@dataclass
class SeriesGroup(Generic[T]):
    uid: str
    items: list[T] = field(default_factory=list)
    order: str = "uid"  # how items were sorted: "geometry", "instance_number" or "uid"


@dataclass
class StudyGroup(Generic[T]):
    uid: str
    series: list[SeriesGroup[T]] = field(default_factory=list)


def group(items: Iterable[T], dataset: Callable[[T], Dataset] = attrgetter("dataset")) -> list[StudyGroup[T]]:
    """Studies (in first-seen order) holding series (by SeriesNumber, then UID), each sorted."""
    studies: dict[str, dict[str, list[T]]] = {}
    for item in items:
        ds = dataset(item)
        study = studies.setdefault(str(ds.get("StudyInstanceUID", "")), {})
        study.setdefault(str(ds.get("SeriesInstanceUID", "")), []).append(item)
    result: list[StudyGroup[T]] = []
    for study_uid, series in studies.items():
        groups = [sort_series(uid, members, dataset) for uid, members in series.items()]
        groups.sort(key=lambda g: (_series_number(dataset(g.items[0])), _uid_key(g.uid)))
        result.append(StudyGroup(study_uid, groups))
    return result


def sort_series(uid: str, items: Sequence[T], dataset: Callable[[T], Dataset]) -> SeriesGroup[T]:
    """A series' instances in reading order: by slice position, else instance number, else UID."""
    datasets = [dataset(item) for item in items]
    positions = slice_positions(datasets)
    numbers = [_instance_number(ds) for ds in datasets]
    uids = [_uid_key(str(ds.get("SOPInstanceUID", ""))) for ds in datasets]
    if positions is not None:
        order = "geometry"
        keys = [(p, n if n is not None else 0, u) for p, n, u in zip(positions, numbers, uids, strict=True)]
    elif all(n is not None for n in numbers):
        order = "instance_number"
        keys = [(0.0, n or 0, u) for n, u in zip(numbers, uids, strict=True)]
    else:
        order = "uid"
        keys = [(0.0, 0, u) for u in uids]
    ranked = sorted(range(len(items)), key=keys.__getitem__)
    return SeriesGroup(uid, [items[i] for i in ranked], order)


def slice_positions(datasets: Sequence[Dataset]) -> list[float] | None:
    """Distance of each slice along the common normal, or None when geometry cannot order them
    (missing or differing orientation, missing position, or two slices at the same place)."""
    if not datasets:
        return None
    orientations, origins = [], []
    for ds in datasets:
        iop, ipp = _vector(ds.get("ImageOrientationPatient"), 6), _vector(ds.get("ImagePositionPatient"), 3)
        if iop is None or ipp is None:
            return None
        orientations.append(iop)
        origins.append(ipp)
    cosines = np.asarray(orientations)
    if np.abs(cosines - cosines[0]).max() > ORIENTATION_TOLERANCE:
        return None  # e.g. a localiser with three planes: no single axis to sort on
    normal = np.cross(cosines[0, :3], cosines[0, 3:])
    if not np.linalg.norm(normal):
        return None
    positions: list[float] = (np.asarray(origins) @ normal).tolist()
    if len(set(np.round(positions, 4))) != len(positions):
        return None  # coincident slices (e.g. several phases): geometry alone is ambiguous
    return positions


def _vector(value: object, size: int) -> list[float] | None:
    """`size` finite numbers, or None when the attribute is missing or malformed (one value
    where three belong, "x" where a number belongs, NaN)."""
    if value is None or isinstance(value, (str, bytes)):
        return None
    try:
        numbers = [float(v) for v in value]  # type: ignore[attr-defined]
    except (TypeError, ValueError):
        return None
    return numbers if len(numbers) == size and all(math.isfinite(n) for n in numbers) else None


def _instance_number(ds: Dataset) -> int | None:
    try:
        return int(ds.get("InstanceNumber"))
    except (TypeError, ValueError):
        return None


def _series_number(ds: Dataset) -> int:
    try:
        return int(ds.get("SeriesNumber"))
    except (TypeError, ValueError):
        return 0


def _uid_key(uid: str) -> tuple[int, ...]:
    """UIDs compare arc by arc as numbers, so ...9 sorts before ...10."""
    try:
        return tuple(int(arc) for arc in uid.split("."))
    except ValueError:
        return ()
