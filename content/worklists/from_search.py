"""Build a worklist's case list from a case search (a saved search is just its request).

The search is the one the trainer sees in `cases(search:)`: the same request, run through the same
secured catalog, so every filter (text, curriculum, modalities, regions, difficulty, state,
collection) and the order apply; only the cases that have a validated version are kept.
"""

from __future__ import annotations

from dataclasses import replace

from sqlmodel import Session, col, select

from content.cases.models import Case
from content.principal import Principal
from content.worklists.access import require_trainer
from content.worklists.validated import MAX_CASES, is_validated
from search.model import MAX_FIRST, SearchBackend
from search.service import CaseSearchRequest, search_cases


def validated_case_uids(
    request: CaseSearchRequest, *, limit: int, session: Session, principal: Principal, catalog: SearchBackend
) -> list[str]:
    """Up to `limit` validated cases the search finds, in the search's order."""
    require_trainer(principal)
    limit = max(1, min(limit, MAX_CASES))
    request = replace(request, first=MAX_FIRST, after=None, facets=())
    out: list[str] = []
    while len(out) < limit:
        result = search_cases(request, session=session, principal=principal, catalog=catalog)
        uids = [h.case_id for h in result.hits if h.case_id not in out]
        rows = {c.uid: c for c in session.exec(select(Case).where(col(Case.uid).in_(uids)))} if uids else {}
        out.extend(uid for uid in dict.fromkeys(uids) if uid in rows and is_validated(rows[uid]))
        if not result.has_next:
            break
        request = replace(request, after=result.end_cursor)
    return out[:limit]
