"""Build a worklist's case list from a curriculum search (a saved search is just its filter)."""

from __future__ import annotations

from dataclasses import replace

from sqlmodel import Session

from content.cases.listing import MAX_PAGE, CaseFilter, list_cases
from content.principal import Principal
from content.worklists.access import require_trainer
from content.worklists.validated import MAX_CASES, is_validated


def validated_case_uids(flt: CaseFilter, *, limit: int, session: Session, principal: Principal) -> list[str]:
    """Up to `limit` validated cases matching the filter, in the listing's order (newest first by default)."""
    require_trainer(principal)
    limit = max(1, min(limit, MAX_CASES))
    # The listing's state filter reads the working copy; a validated case being re-edited is DRAFT
    # but still has its published version, so filter on that here instead.
    flt = replace(flt, states=())
    out: list[str] = []
    after: str | None = None
    while len(out) < limit:
        page = list_cases(flt, first=MAX_PAGE, after=after, session=session, principal=principal)
        out.extend(c.uid for c in page.cases if is_validated(c))
        if not page.has_next:
            break
        after = page.cursors[-1]
    return out[:limit]
