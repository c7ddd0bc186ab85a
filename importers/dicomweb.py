"""A DICOMweb client for pulling studies from a PACS: QIDO-RS to find, WADO-RS to fetch.

Studies are fetched series by series (one multipart/related response each) so memory holds
one series at a time, and every instance becomes an in-memory SourceFile: identifying
objects from the PACS never touch the disk before de-identification.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from email.message import Message

import httpx

from importers.sources import Found, Skipped, SourceFile

DICOM_JSON = "application/dicom+json"
MULTIPART_DICOM = 'multipart/related; type="application/dicom"'
STUDY_UID_TAG, SERIES_UID_TAG = "0020000D", "0020000E"


class DicomWebError(Exception):
    pass


def _param(content_type: str, name: str) -> str | None:
    message = Message()
    message["content-type"] = content_type
    value = message.get_param(name)
    return value if isinstance(value, str) else None


def parse_multipart(content_type: str, body: bytes) -> list[bytes]:
    """The parts of a multipart/related body (RFC 2046), headers dropped."""
    boundary = _param(content_type, "boundary")
    if not content_type.lower().startswith("multipart/") or not boundary:
        raise DicomWebError(f"expected a multipart response, got {content_type!r}")
    # A delimiter is CRLF + "--" + boundary; prefixing CRLF makes the first one look the same.
    pieces = (b"\r\n" + body).split(b"\r\n--" + boundary.encode("latin-1"))
    parts = []
    for piece in pieces[1:]:
        if piece.startswith(b"--"):
            break  # the close delimiter
        _, found, content = piece.partition(b"\r\n\r\n")
        if found:
            parts.append(content)
    return parts


def _values(item: dict[str, object], tag: str) -> list[str]:
    element = item.get(tag)
    values = element.get("Value", []) if isinstance(element, dict) else []
    return [str(v) for v in values] if isinstance(values, list) else []


class DicomWebClient:
    def __init__(self, base_url: str, *, client: httpx.Client | None = None, timeout: float = 60.0) -> None:
        self.base = base_url.rstrip("/")
        self.http = client or httpx.Client(timeout=timeout, follow_redirects=True)

    def _json(self, path: str, params: dict[str, str] | None = None) -> list[dict[str, object]]:
        response = self.http.get(f"{self.base}{path}", params=params, headers={"Accept": DICOM_JSON})
        if response.status_code == 204 or (response.status_code == 404 and params is None):
            return []
        response.raise_for_status()
        data = response.json() if response.content else []
        return data if isinstance(data, list) else []

    def has_study(self, study_uid: str) -> bool:
        """QIDO-RS: does the PACS know the study?"""
        found = self._json("/studies", {"StudyInstanceUID": study_uid})
        return any(study_uid in _values(item, STUDY_UID_TAG) for item in found)

    def series_of(self, study_uid: str) -> list[str]:
        return [uid for item in self._json(f"/studies/{study_uid}/series") for uid in _values(item, SERIES_UID_TAG)]

    def fetch_series(self, study_uid: str, series_uid: str) -> list[bytes]:
        """WADO-RS: every instance of the series as a Part 10 file, in one multipart response."""
        url = f"{self.base}/studies/{study_uid}/series/{series_uid}"
        response = self.http.get(url, headers={"Accept": MULTIPART_DICOM})
        response.raise_for_status()
        return parse_multipart(response.headers.get("content-type", ""), response.content)

    def close(self) -> None:
        self.http.close()


def _memory_source(label: str, data: bytes) -> SourceFile:
    return SourceFile(label, len(data), lambda: io.BytesIO(data))


def pacs_sources(client: DicomWebClient, study_uids: Iterable[str]) -> Iterator[Found]:
    """Every instance of the studies, or a Skipped naming the study and why it could not be fetched."""
    for study_uid in study_uids:
        label = f"{client.base}/studies/{study_uid}"
        try:
            if not client.has_study(study_uid):
                yield Skipped(label, "study not found on the PACS")
                continue
            for series_uid in client.series_of(study_uid):
                parts = client.fetch_series(study_uid, series_uid)
                for number, data in enumerate(parts, 1):
                    yield _memory_source(f"{label}/series/{series_uid}#{number}", data)
        except (httpx.HTTPError, DicomWebError, ValueError) as exc:
            yield Skipped(label, f"PACS request failed: {exc}")
