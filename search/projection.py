"""The catalog as a projection of the database: the entries of a case, built from its versions.

A case has one entry per version someone may see: its working copy, and, while a revision of a
validated case is under way, the published version too. Building an entry is a pure function of
a version's data plus what the security policy says about it (`document`); the rest of this module
only loads those inputs in batches, for one case after a commit or for every case on a rebuild.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from content.cases.models import Case, CaseVersion
from content.collections.models import Collection
from content.curriculum.models import CurriculumNode
from content.security.models import LocalRoleGrant
from content.security.policy import allowed_tokens, is_under
from content.workflow import State
from search.model import CatalogDocument, expand_codes

BATCH = 500


@dataclass(frozen=True)
class Grants:
    """Every local role grant as (collection path, principal token, role): few, so loaded whole."""

    rows: tuple[tuple[str, str, str], ...]

    def above(self, path: str) -> list[tuple[str, str]]:
        return [(token, role) for where, token, role in self.rows if is_under(path, where)]


def load_grants(session: Session) -> Grants:
    """Every local-role grant, with the path of its collection."""
    stmt = select(
        Collection.path, LocalRoleGrant.principal_type, LocalRoleGrant.principal_uid, LocalRoleGrant.role
    ).join(Collection, col(Collection.uid) == LocalRoleGrant.collection_uid)
    return Grants(tuple((path, f"{kind}:{uid}", role) for path, kind, uid, role in session.exec(stmt)))


def load_titles(session: Session) -> dict[str, str]:
    """Curriculum code -> title, for the words a document is found by."""
    return dict(session.exec(select(CurriculumNode.code, CurriculumNode.title)).all())


def document(
    *,
    case: Case,
    kind: str,
    version: int,
    state: State,
    data: Mapping[str, Any],
    titles: Mapping[str, str],
    allowed: tuple[str, ...],
    denied: tuple[str, ...] = (),
) -> CatalogDocument:
    """One catalog entry for a version's data, as `allowed` (and not `denied`) principals see it."""
    codes = tuple(data.get("curriculum_codes") or ())
    expanded = expand_codes(codes)
    created: datetime = case.created
    return CatalogDocument(
        doc_id=f"{case.uid}:{kind}",
        case_id=case.uid,
        version=version,
        title=data.get("title") or "",
        clinical_history=data.get("clinical_history") or "",
        findings=data.get("findings") or "",
        diagnosis=data.get("diagnosis") or "",
        differential_diagnoses=tuple(data.get("differential_diagnoses") or ()),
        discussion=data.get("discussion") or "",
        teaching_points=data.get("teaching_points") or "",
        tags=tuple(data.get("tags") or ()),
        curriculum_codes=codes,
        curriculum_expanded=expanded,
        curriculum_titles=tuple(titles[c] for c in expanded if c in titles),
        modalities=tuple(data.get("modalities") or ()),
        body_regions=tuple(data.get("body_regions") or ()),
        difficulty=data.get("difficulty"),
        state=state.value,
        collection_path=case.path.rsplit("/", 1)[0] or "/",
        created=created,
        modified=case.modified,
        allowed=allowed,
        denied=denied,
    )


def case_documents(
    case: Case, *, published: CaseVersion | None, grants: Grants, titles: Mapping[str, str]
) -> list[CatalogDocument]:
    """The entries of one case: the working copy, and the published version while it differs."""
    local = grants.above(case.path)
    state = State(case.state)
    current_allowed = allowed_tokens(case, state=state, local_grants=local)
    docs = [
        document(
            case=case,
            kind="current",
            version=case.version,
            state=state,
            data=case.snapshot(),
            titles=titles,
            allowed=current_allowed,
        )
    ]
    if published is not None and state not in (State.VALIDATED, State.RETIRED):
        # Those who may view the working copy see it instead: mirrors content.cases.versions.visible_view.
        docs.append(
            document(
                case=case,
                kind="published",
                version=published.version,
                state=State.VALIDATED,
                data=published.data,
                titles=titles,
                allowed=allowed_tokens(case, state=State.VALIDATED, local_grants=local),
                denied=current_allowed,
            )
        )
    return docs


def _published(session: Session, cases: list[Case]) -> dict[str, CaseVersion]:
    wanted = [
        (c.uid, c.published_version)
        for c in cases
        if c.published_version is not None and c.state not in (State.VALIDATED.value, State.RETIRED.value)
    ]
    if not wanted:
        return {}
    rows = session.exec(select(CaseVersion).where(col(CaseVersion.case_uid).in_([uid for uid, _ in wanted])))
    pinned = dict(wanted)
    return {r.case_uid: r for r in rows if pinned.get(r.case_uid) == r.version}


def documents_for(session: Session, case_uids: Iterable[str]) -> dict[str, list[CatalogDocument]]:
    """Entries per case uid; a uid with no case maps to [] (the case was deleted: drop its entries)."""
    uids = list(dict.fromkeys(case_uids))
    out: dict[str, list[CatalogDocument]] = {uid: [] for uid in uids}
    if not uids:
        return out
    grants, titles = load_grants(session), load_titles(session)
    for start in range(0, len(uids), BATCH):
        cases = list(session.exec(select(Case).where(col(Case.uid).in_(uids[start : start + BATCH]))))
        published = _published(session, cases)
        for case in cases:
            out[case.uid] = case_documents(case, published=published.get(case.uid), grants=grants, titles=titles)
    return out


def all_documents(session: Session) -> Iterator[CatalogDocument]:
    """Every entry of every case, read in keyset batches so memory stays flat at any size."""
    grants, titles = load_grants(session), load_titles(session)
    last = ""
    while True:
        cases = list(session.exec(select(Case).where(col(Case.uid) > last).order_by(col(Case.uid)).limit(BATCH)))
        if not cases:
            return
        published = _published(session, cases)
        for case in cases:
            yield from case_documents(case, published=published.get(case.uid), grants=grants, titles=titles)
        last = cases[-1].uid
        session.expunge_all()


def expected_versions(session: Session) -> dict[str, int]:
    """doc_id -> version the catalog should hold: what the consistency check compares."""
    out: dict[str, int] = {}
    stmt = select(Case.uid, Case.version, Case.state, Case.published_version)
    for uid, version, state, published in session.exec(stmt):
        out[f"{uid}:current"] = version
        if published is not None and state not in (State.VALIDATED.value, State.RETIRED.value):
            out[f"{uid}:published"] = published
    return out


def case_uids_under(session: Session, path: str) -> list[str]:
    """The uids of the cases in a collection and the collections below it."""
    stmt = select(Case.uid)
    if path != "/":
        base = path.rstrip("/")
        stmt = stmt.where(col(Case.path).startswith(base + "/", autoescape=True))
    return list(session.exec(stmt))
