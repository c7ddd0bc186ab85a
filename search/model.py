"""The catalog's interface: what a document carries, what a query asks, what a result holds."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal, Protocol

from content.errors import DomainError, ErrorCode

Order = Literal["RELEVANCE", "NEWEST", "TITLE"]
ORDERS: tuple[str, ...] = ("RELEVANCE", "NEWEST", "TITLE")
MAX_FIRST = 100
MAX_TEXT = 1000

# Facet name -> CatalogDocument attribute it counts.
FACETS: dict[str, str] = {
    "modalities": "modalities",
    "body_regions": "body_regions",
    "difficulty": "difficulty",
    "state": "state",
    "curriculum": "curriculum_expanded",
    "tags": "tags",
    "diagnosis": "diagnosis",
}
DEFAULT_FACETS: tuple[str, ...] = ("modalities", "body_regions", "difficulty", "state", "curriculum", "tags")
# Facets that give a blinded case's answer away: blinded cases never count in them.
BLIND_FACETS = frozenset({"curriculum", "tags", "diagnosis"})

# Free-text fields, in the order highlights are reported.
TEXT_FIELDS: tuple[str, ...] = (
    "title",
    "clinical_history",
    "findings",
    "diagnosis",
    "differential_diagnoses",
    "discussion",
    "teaching_points",
    "tags",
    "curriculum_titles",
)
# The only text a blinded case may match through.
BLIND_VISIBLE_FIELDS = frozenset({"clinical_history"})

CODE_RE = re.compile(r"^[A-Z0-9]+(?:\.[A-Z0-9_]+)*$")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class CatalogDocument:
    doc_id: str
    case_id: str
    version: int
    title: str
    clinical_history: str = ""
    findings: str = ""
    diagnosis: str = ""
    differential_diagnoses: tuple[str, ...] = ()
    discussion: str = ""
    teaching_points: str = ""
    tags: tuple[str, ...] = ()
    curriculum_codes: tuple[str, ...] = ()
    curriculum_expanded: tuple[str, ...] = ()
    curriculum_titles: tuple[str, ...] = ()
    modalities: tuple[str, ...] = ()
    body_regions: tuple[str, ...] = ()
    difficulty: str | None = None
    state: str = "DRAFT"
    collection_path: str = "/"
    created: datetime = _EPOCH
    modified: datetime = _EPOCH
    allowed: tuple[str, ...] = ()
    # Principals that see another entry of the same case instead (the working copy shadows the
    # published version for those who may view both), so no caller ever gets a case twice.
    denied: tuple[str, ...] = ()

    def text_of(self, name: str) -> str:
        """A text field as one string (list fields one item per line)."""
        value = getattr(self, name)
        return "\n".join(value) if isinstance(value, tuple) else (value or "")


@dataclass(frozen=True)
class SearchQuery:
    principals: frozenset[str]
    text: str | None = None
    curriculum: tuple[str, ...] = ()
    modalities: tuple[str, ...] = ()
    body_regions: tuple[str, ...] = ()
    difficulties: tuple[str, ...] = ()
    states: tuple[str, ...] = ()
    collection_path: str | None = None
    order: Order | None = None
    first: int = 20
    after: str | None = None
    facets: tuple[str, ...] = DEFAULT_FACETS
    blinded_case_ids: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Hit:
    case_id: str
    doc_id: str
    score: float
    cursor: str
    highlights: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class FacetBucket:
    value: str
    count: int


@dataclass(frozen=True)
class SearchResult:
    hits: tuple[Hit, ...]
    total: int
    facets: dict[str, tuple[FacetBucket, ...]]
    has_next: bool
    end_cursor: str | None
    suggestion: str | None = None


class SearchBackend(Protocol):
    def index(self, docs: Sequence[CatalogDocument]) -> None: ...
    def delete_case(self, case_id: str) -> None: ...
    def replace_case(self, case_id: str, docs: Sequence[CatalogDocument]) -> None: ...
    def turn(self) -> AbstractContextManager[None]:
        """Held while an indexer reads the database and writes what it read, across threads and
        processes, so an entry read before a later commit can never land after that commit's."""
        ...

    def search(self, query: SearchQuery) -> SearchResult: ...
    def versions(self) -> dict[str, int]: ...
    def doc_count(self) -> int:
        """Entries in the catalog; cheap enough for a readiness probe, and raises if the catalog cannot answer."""
        ...

    def clear(self) -> None: ...
    def rebuild(self, docs: Iterable[CatalogDocument], *, progress: Callable[[int], None] | None = None) -> int: ...
    def close(self) -> None: ...


class CatalogBusy(RuntimeError):
    """The index stayed locked by another writer past the timeout; the caller should retry later."""


def micros(moment: datetime) -> int:
    """Microseconds since the epoch: the sort key of NEWEST on both backends."""
    return int(moment.timestamp() * 1_000_000)


def title_key(title: str) -> str:
    """The sort key of TITLE on both backends (compared byte-wise)."""
    return " ".join(title.lower().split())[:200]


def expand_codes(codes: Iterable[str]) -> tuple[str, ...]:
    """Codes plus every ancestor (NEURO.STROKE.ISCHAEMIC -> NEURO, NEURO.STROKE, ...), sorted."""
    out: set[str] = set()
    for code in codes:
        parts = code.split(".")
        out.update(".".join(parts[: i + 1]) for i in range(len(parts)))
    return tuple(sorted(out))


def collection_ancestors(path: str) -> tuple[str, ...]:
    """ "/north/leeds" -> ("/", "/north", "/north/leeds")."""
    parts = [p for p in path.split("/") if p]
    return ("/", *("/" + "/".join(parts[: i + 1]) for i in range(len(parts))))


def normalise_path(path: str) -> str:
    """A collection path as "/a/b": no empty, doubled or trailing segments."""
    return collection_ancestors(path)[-1]


def effective_order(query: SearchQuery) -> str:
    """The order a query runs in: as asked, else relevance with text and newest without."""
    if query.order:
        return query.order
    return "RELEVANCE" if query.text and query.text.strip() else "NEWEST"


def validate(query: SearchQuery) -> None:
    """Refuse what no backend should run; lenient text parsing happens later."""
    if not 1 <= query.first <= MAX_FIRST:
        raise DomainError(ErrorCode.INVALID_INPUT, f"first must be between 1 and {MAX_FIRST}", field="first")
    if query.order is not None and query.order not in ORDERS:
        raise DomainError(ErrorCode.INVALID_INPUT, f"unknown order {query.order!r}", field="order")
    unknown = [f for f in query.facets if f not in FACETS]
    if unknown:
        raise DomainError(ErrorCode.INVALID_INPUT, f"unknown facets {unknown}", field="facets")
    bad = [c for c in query.curriculum if not CODE_RE.match(c)]
    if bad:
        raise DomainError(ErrorCode.INVALID_CURRICULUM_CODE, f"malformed curriculum codes {bad}", field="curriculum")
    if query.text is not None and len(query.text) > MAX_TEXT:
        raise DomainError(ErrorCode.INVALID_QUERY, f"query text longer than {MAX_TEXT} characters", field="text")
