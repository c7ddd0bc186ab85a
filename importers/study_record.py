"""From stored, de-identified files to the records the imaging service writes, and a case's facts."""

from __future__ import annotations

from typing import Any

from content.imaging.service import NewInstance, NewSeries, NewStudy
from importers.series_previews import PreviewKeys
from importers.worker import StoredFile

SEXES = frozenset({"M", "F", "O"})
UNTITLED = "Imported study"


def by_series(stored: list[tuple[int, StoredFile]]) -> list[list[StoredFile]]:
    """stored: (series index, file) in display order, as the grouping step sorted them."""
    groups: dict[int, list[StoredFile]] = {}
    for index, item in stored:
        groups.setdefault(index, []).append(item)
    return list(groups.values())


def showable(files: list[StoredFile]) -> list[str]:
    """What a series preview may show: images with pixels that are not held in quarantine."""
    return [f.file_key for f in _showable(files)]


def showable_frames(files: list[StoredFile]) -> list[int]:
    """The frame count of each showable file, as previews.slices would count it from the file."""
    return [max(1, f.frames) for f in _showable(files)]


def _showable(files: list[StoredFile]) -> list[StoredFile]:
    return [f for f in files if f.rows and not f.quarantine_reason]


def new_study(study_uid: str, series: list[list[StoredFile]], previews: list[PreviewKeys]) -> NewStudy:
    """The study to create from its stored files, series by series, with their preview keys."""
    first = series[0][0]
    study = NewStudy(
        study_instance_uid=study_uid,
        description=first.study_description or "",
        modality=first.modality,
        study_date=first.study_date,
    )
    for files, keys in zip(series, previews, strict=True):
        head = files[0]
        study.series.append(
            NewSeries(
                series_instance_uid=head.series_uid,
                description=head.series_description,
                modality=head.modality,
                body_part=head.body_part,
                series_number=head.series_number,
                thumbnail_key=keys.thumbnail,
                montage_key=keys.montage,
                cine_key=keys.cine,
                instances=[
                    NewInstance(
                        sop_instance_uid=f.sop_uid,
                        sop_class_uid=f.sop_class_uid,
                        file_key=f.file_key,
                        size_bytes=f.size_bytes,
                        position=position,
                        instance_number=f.instance_number,
                        frames=f.frames,
                        rows=f.rows,
                        columns=f.columns,
                        quarantine_reason=f.quarantine_reason,
                        proposed_regions=f.proposed_regions if f.quarantine_reason else (),
                    )
                    for position, f in enumerate(files)
                ],
            )
        )
    return study


def _unique(values: list[str | None]) -> list[str]:
    return list(dict.fromkeys(v.strip().upper() for v in values if v and v.strip()))


def case_fields(study: NewStudy, files: list[StoredFile]) -> dict[str, Any]:
    """A draft case's metadata from de-identified headers only (cleaned description, age band, sex)."""
    modalities = _unique([s.modality for s in study.series])
    regions = _unique([s.body_part for s in study.series])
    title = study.description.strip() or " ".join([*modalities[:1], *regions[:1]]) or UNTITLED
    sex = next((f.sex.upper() for f in files if f.sex and f.sex.upper() in SEXES), None)
    return {
        "title": title[:300],
        "modalities": modalities,
        "body_regions": regions,
        "patient_age_band": next((f.age_band for f in files if f.age_band), None),
        "patient_sex": sex,
    }
