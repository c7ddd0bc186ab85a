"""QIDO-RS query parameters into a content.imaging.dicomweb `Query`: the protocol's syntax, no rule.

Keywords or tags as matching keys, UID lists, DICOM date ranges, `limit`/`offset` and
`includefield`; what a caller may read, and the page cap, stay in content.imaging.dicomweb.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Final

from pydicom.datadict import keyword_for_tag, tag_for_keyword

from content.errors import DomainError, ErrorCode
from content.imaging import dicomweb as imaging
from content.imaging.dicomweb import Level, Query, uid_list

_DA = re.compile(r"\d{8}")
_NO_MATCH: Final = ("",)  # no stored UID is empty
_CONTROL = frozenset({"limit", "offset", "includefield", "fuzzymatching", "orderby", "accept"})
_MATCH_KEYS: Final[dict[Level, frozenset[str]]] = {
    Level.STUDY: frozenset({"StudyInstanceUID", "StudyDate", "ModalitiesInStudy"}),
    Level.SERIES: frozenset({"StudyInstanceUID", "StudyDate", "SeriesInstanceUID", "Modality"}),
    Level.INSTANCE: frozenset({"StudyInstanceUID", "StudyDate", "SeriesInstanceUID", "Modality", "SOPInstanceUID"}),
}


def _invalid(message: str, name: str) -> DomainError:
    return DomainError(ErrorCode.INVALID_INPUT, message, field=name)


def attribute_tag(name: str) -> str:
    """A DICOM keyword or 8-hex tag as the upper-case 8-hex tag; INVALID_INPUT if neither."""
    if re.fullmatch(r"[0-9A-Fa-f]{8}", name):
        return name.upper()
    tag = tag_for_keyword(name)
    if tag is None:
        raise _invalid(f"{name!r} is neither a DICOM keyword nor a tag", name)
    return f"{tag:08X}"


def _keyword(name: str) -> str | None:
    try:
        tag = attribute_tag(name)
    except DomainError:
        return None
    return keyword_for_tag(int(tag, 16)) or tag


def _date(text: str, name: str) -> date:
    if not _DA.fullmatch(text):
        raise _invalid("dates are YYYYMMDD", name)
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError as exc:
        raise _invalid(f"{text} is not a date", name) from exc


def _date_range(text: str, name: str) -> tuple[date | None, date | None]:
    """`YYYYMMDD`, `A-B`, `-B` or `A-` (DICOM range matching)."""
    start, dash, end = text.strip().partition("-")
    if not dash:
        day = _date(start, name)
        return day, day
    if not start and not end:
        raise _invalid("a date range needs at least one end", name)
    return (_date(start, name) if start else None), (_date(end, name) if end else None)


def _count(name: str, text: str, *, default: int) -> int:
    if text.strip() == "":
        return default
    try:
        value = int(text)
    except ValueError as exc:
        raise _invalid(f"{name} must be a whole number", name) from exc
    if value < 0:
        raise _invalid(f"{name} must not be negative", name)
    return value


def _narrowed(name: str, from_query: tuple[str, ...], from_path: str | None) -> tuple[str, ...]:
    """The resource path's UID, if any; a query parameter that leaves it out matches nothing."""
    if from_path is None:
        return from_query
    if from_query and from_path not in from_query:
        return _NO_MATCH
    return uid_list(name, [from_path])


def parse_query(
    level: Level, params: Sequence[tuple[str, str]], *, study_uid: str | None = None, series_uid: str | None = None
) -> Query:
    """Query-string pairs into a Query; `study_uid`/`series_uid` come from the resource path."""
    values: dict[str, list[str]] = defaultdict(list)
    include: set[str] = set()
    include_all, limit, offset, ignored = False, imaging.MAX_RESULTS, 0, []
    for name, value in params:
        if name == "limit":
            limit = min(_count("limit", value, default=imaging.MAX_RESULTS), imaging.MAX_RESULTS)
        elif name == "offset":
            offset = _count("offset", value, default=0)
        elif name == "includefield":
            for item in filter(None, (v.strip() for v in value.split(","))):
                if item == "all":
                    include_all = True
                else:
                    include.add(attribute_tag(item))
        elif name not in _CONTROL:
            # Viewers add their own parameters (cache busters); those, and attributes we hold no
            # index for, are ignored with a warning rather than refused.
            keyword = _keyword(name)
            if keyword in _MATCH_KEYS[level]:
                values[keyword].append(value)
            else:
                ignored.append(name)
    date_from = date_to = None
    for text in values["StudyDate"]:
        if text.strip():  # an empty value is universal matching: it matches everything
            date_from, date_to = _date_range(text, "StudyDate")
    studies = uid_list("StudyInstanceUID", values["StudyInstanceUID"])
    series = uid_list("SeriesInstanceUID", values["SeriesInstanceUID"])
    studies = _narrowed("StudyInstanceUID", studies, study_uid)
    series = _narrowed("SeriesInstanceUID", series, series_uid)
    modality_key = "ModalitiesInStudy" if level is Level.STUDY else "Modality"
    modalities = tuple(m.strip().upper() for v in values[modality_key] for m in re.split(r"[,\\]", v) if m.strip())
    return Query(
        level=level,
        study_uids=studies,
        series_uids=series,
        sop_uids=uid_list("SOPInstanceUID", values["SOPInstanceUID"]),
        modalities=modalities,
        date_from=date_from,
        date_to=date_to,
        limit=limit,
        offset=offset,
        include_all=include_all,
        include=frozenset(include),
        ignored=tuple(ignored),
    )
