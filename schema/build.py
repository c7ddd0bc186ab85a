"""Assemble the schema with its hardening: depth, token and alias limits, parse/validation caches."""

from __future__ import annotations

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

from schema.admin.mutations import AdminMutation
from schema.admin.queries import AdminQuery
from schema.curriculum.mutations import CurriculumMutation
from schema.curriculum.queries import CurriculumQuery
from schema.images import ImageMutation
from schema.mutations import Mutation as CoreMutation
from schema.partners import PartnerMutation, PartnerQuery
from schema.quarantine.mutations import QuarantineMutation
from schema.quarantine.queries import QuarantineQuery
from schema.queries import Query as CoreQuery
from schema.sessions import SessionMutation
from schema.types import Case, Collection
from schema.webhooks.mutations import WebhookMutation
from schema.webhooks.queries import WebhookQuery
from schema.workflow import WorkflowMutation, WorkflowQuery
from schema.worklists.mutations import WorklistMutation
from schema.worklists.queries import WorklistQuery


@strawberry.type(description="Read the repository.")
class Query(CoreQuery, WorkflowQuery, WorklistQuery, WebhookQuery, PartnerQuery, AdminQuery, CurriculumQuery,
            QuarantineQuery):
    pass


@strawberry.type(description="Change the repository.")
class Mutation(CoreMutation, WorkflowMutation, ImageMutation, WorklistMutation, WebhookMutation, PartnerMutation,
               AdminMutation, SessionMutation, CurriculumMutation, QuarantineMutation):
    pass


def build_schema(*, max_depth: int = 12, max_tokens: int = 3000, max_aliases: int = 30) -> strawberry.Schema:
    # The limiters make a new rule class per instance; built once here, the same rule classes
    # reach every request, so ValidationCache (keyed on the rules) hits instead of always missing.
    rules = [*QueryDepthLimiter(max_depth=max_depth).validation_rules,
             *MaxAliasesLimiter(max_alias_count=max_aliases).validation_rules]
    return strawberry.Schema(
        query=Query, mutation=Mutation, types=[Case, Collection],
        config=StrawberryConfig(auto_camel_case=True),
        extensions=[lambda: AddValidationRules(rules),
                    lambda: MaxTokensLimiter(max_token_count=max_tokens),
                    ParserCache, ValidationCache],
    )


def sdl() -> str:
    return build_schema().as_str() + "\n"
