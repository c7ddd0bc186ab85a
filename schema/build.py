"""Assemble the schema with its hardening: depth, token and alias limits, parse/validation caches.

Each domain package (schema/<domain>/) gives its Query and Mutation parts; this module composes them
and answers the root `node(id)` field by dispatching on the global id's type.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import strawberry
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.types import Info

from content.cases.service import get_case
from content.collections.service import visible_collection
from content.errors import DomainError, ErrorCode
from content.partners.service import get_partner
from schema.admin.mutations import AdminMutation
from schema.admin.queries import AdminQuery
from schema.annotations.mutations import AnnotationMutation
from schema.cases.mutations import CaseMutation
from schema.cases.types import Case
from schema.collections.mutations import CollectionMutation
from schema.collections.queries import CollectionQuery
from schema.collections.types import Collection
from schema.core.context import Context, signed_in
from schema.core.ids import from_global_id
from schema.core.node import Node
from schema.curriculum.mutations import CurriculumMutation
from schema.curriculum.queries import CurriculumQuery
from schema.imaging.mutations import ImageMutation
from schema.partners.mutations import PartnerMutation
from schema.partners.queries import PartnerQuery
from schema.partners.types import Partner
from schema.quarantine.mutations import QuarantineMutation
from schema.quarantine.queries import QuarantineQuery
from schema.reports.mutations import ReportMutation
from schema.reports.queries import ReportQuery
from schema.search.queries import SearchQuery
from schema.sessions.mutations import SessionMutation
from schema.users.mutations import UserMutation
from schema.users.queries import UserQuery
from schema.webhooks.mutations import WebhookMutation
from schema.webhooks.queries import WebhookQuery
from schema.workflow.mutations import WorkflowMutation
from schema.workflow.queries import WorkflowQuery
from schema.worklists.mutations import WorklistMutation
from schema.worklists.queries import WORKLIST_NODES, WorklistQuery

# Objects reachable through `node(id)`, each through its own service's permission check.
NODES: dict[str, Callable[[str, Context], Node | None]] = {
    "Case": lambda uid, ctx: Case.of(get_case(uid, session=ctx.session, principal=ctx.principal), ctx),
    "Collection": lambda uid, ctx: Collection.of(visible_collection(uid, session=ctx.session, principal=ctx.principal)),
    "Partner": lambda uid, ctx: Partner.of(get_partner(uid, session=ctx.session, principal=ctx.principal), ctx),
    **WORKLIST_NODES,
}


@strawberry.type
class NodeQuery:
    @strawberry.field(description="Any object by global id.")
    def node(
        self, info: Info[Context, None], id: Annotated[strawberry.ID, strawberry.argument(description="A global id.")]
    ) -> Node | None:
        ctx = signed_in(info)
        type_name, uid = from_global_id(id)
        resolve = NODES.get(type_name)
        if resolve is None:
            return None
        try:
            return resolve(uid, ctx)
        except DomainError as exc:
            if exc.code is ErrorCode.NOT_FOUND:
                return None
            raise


@strawberry.type(description="Read the repository.")
class Query(
    UserQuery,
    NodeQuery,
    CollectionQuery,
    SearchQuery,
    CurriculumQuery,
    WorkflowQuery,
    WorklistQuery,
    ReportQuery,
    WebhookQuery,
    PartnerQuery,
    AdminQuery,
    QuarantineQuery,
):
    pass


@strawberry.type(description="Change the repository.")
class Mutation(
    UserMutation,
    CollectionMutation,
    CaseMutation,
    WorkflowMutation,
    ImageMutation,
    WorklistMutation,
    ReportMutation,
    WebhookMutation,
    PartnerMutation,
    AdminMutation,
    SessionMutation,
    CurriculumMutation,
    QuarantineMutation,
    AnnotationMutation,
):
    pass


def build_schema(*, max_depth: int = 12, max_tokens: int = 3000, max_aliases: int = 30) -> strawberry.Schema:
    # The limiters make a new rule class per instance; built once here, the same rule classes
    # reach every request, so ValidationCache (keyed on the rules) hits instead of always missing.
    rules = [
        *QueryDepthLimiter(max_depth=max_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=max_aliases).validation_rules,
    ]
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        types=[Case, Collection],
        config=StrawberryConfig(auto_camel_case=True),
        extensions=[
            lambda: AddValidationRules(rules),
            lambda: MaxTokensLimiter(max_token_count=max_tokens),
            ParserCache,
            ValidationCache,
        ],
    )


def sdl() -> str:
    return build_schema().as_str() + "\n"
