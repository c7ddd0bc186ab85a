"""Root queries: thin resolvers, each calling one service and mapping its result."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from content.cases.listing import CaseFilter, list_cases
from content.cases.service import get_case
from content.collections.service import list_collections, visible_case_counts, visible_collection
from content.errors import DomainError, ErrorCode
from content.partners.service import get_partner
from content.users.models import User as UserRow
from content.worklists.coverage import curriculum_counts
from schema.context import Context
from schema.inputs import CaseSearch
from schema.node import from_global_id
from schema.partners import Partner
from schema.search import CaseConnection, CaseEdge, PageInfo, search_page
from schema.types import Case, Collection, CurriculumNode, Node, User, prime_cases
from schema.worklists.nodes import WORKLIST_NODES


@strawberry.type(description="The person behind the token.")
class Me(User):
    pass


def _auth(info: Info[Context, None]) -> Context:
    ctx = info.context
    if ctx.principal.is_anonymous:
        raise DomainError(ErrorCode.UNAUTHENTICATED, "sign in first")
    return ctx


@strawberry.type
class Query:
    @strawberry.field(description="The caller, or null when anonymous.")
    def me(self, info: Info[Context, None]) -> Me | None:
        ctx = info.context
        if ctx.principal.is_anonymous or ctx.principal.user_id is None:
            return None
        row = ctx.session.get(UserRow, ctx.principal.user_id)
        if row is None:
            return None
        u = User.of(row, ctx)
        return Me(id=u.id, uid=u.uid, username=u.username, display_name=u.display_name, roles=u.roles,
                  active=u.active)

    @strawberry.field(description="Any object by global id.")
    def node(self, info: Info[Context, None], id: strawberry.ID) -> Node | None:
        ctx = _auth(info)
        type_name, uid = from_global_id(id)
        try:
            if type_name == "Case":
                return Case.of(get_case(uid, session=ctx.session, principal=ctx.principal), ctx)
            if type_name == "Collection":
                return Collection.of(visible_collection(uid, session=ctx.session, principal=ctx.principal))
            if type_name == "Partner":
                return Partner.of(get_partner(uid, session=ctx.session, principal=ctx.principal), ctx)
            if type_name in WORKLIST_NODES:
                return WORKLIST_NODES[type_name](uid, ctx)
        except DomainError as exc:
            if exc.code is ErrorCode.NOT_FOUND:
                return None
            raise
        return None

    @strawberry.field(description="Every collection the caller may see.")
    def collections(self, info: Info[Context, None]) -> list[Collection]:
        ctx = _auth(info)
        rows = list_collections(session=ctx.session, principal=ctx.principal)
        ctx.extra["case_counts"] = visible_case_counts([r.uid for r in rows], session=ctx.session,
                                                       principal=ctx.principal)
        ctx.loaders.collections.want(r.parent_uid for r in rows)
        return [Collection.of(r) for r in rows]

    @strawberry.field(description="Cases the caller may see, filtered; first at most 100.")
    def cases(self, info: Info[Context, None], search: CaseSearch | None = None, first: int = 20,
              after: str | None = None) -> CaseConnection:
        ctx = _auth(info)
        s = search or CaseSearch()
        coll = from_global_id(s.collection, "Collection", field="collection")[1] if s.collection else None
        if search is not None and ctx.catalog is not None:
            return search_page(s, coll, first=first, after=after, ctx=ctx)
        order = s.order_by.value if s.order_by else "NEWEST"
        flt = CaseFilter(curriculum=tuple(s.curriculum or ()), modalities=tuple(s.modalities or ()),
                         body_regions=tuple(s.body_regions or ()),
                         difficulties=tuple(d.value for d in s.difficulties or ()),  # type: ignore[attr-defined]
                         states=tuple(st.value for st in s.states or ()),  # type: ignore[attr-defined]
                         collection_uid=coll,
                         order="TITLE" if order == "TITLE" else "NEWEST")
        page = list_cases(flt, first=first, after=after, session=ctx.session, principal=ctx.principal,
                          cursor_secret=ctx.secret)
        prime_cases(page.cases, ctx)
        edges = []
        for row, cursor in zip(page.cases, page.cursors, strict=True):
            node = Case.of(row, ctx)
            if node is not None:
                edges.append(CaseEdge(cursor=cursor, node=node, highlights=[]))
        return CaseConnection(total_count=page.total, edges=edges, facets=[],
                              page_info=PageInfo(has_next_page=page.has_next,
                                                 end_cursor=page.cursors[-1] if page.cursors else None))

    @strawberry.field(description="The curriculum tree (or the subtree under root).")
    def curriculum(self, info: Info[Context, None],
                   root_code: Annotated[str | None, strawberry.argument(name="root")] = None) -> list[CurriculumNode]:
        ctx = _auth(info)
        counted = curriculum_counts(root=root_code, session=ctx.session, principal=ctx.principal)
        info.context.loaders.curriculum.want(n.replaced_by for n, _ in counted)
        return [CurriculumNode.of(n, count) for n, count in counted]
