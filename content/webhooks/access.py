"""Who may manage webhooks: administrators (everyone's) and partners, people or API tokens (their own)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import col

from content.errors import DomainError, ErrorCode
from content.principal import Principal
from content.security.roles import Role
from content.webhooks.models import WebhookSubscription

MANAGERS = frozenset({Role.ADMINISTRATOR, Role.PARTNER})


def require_manager(principal: Principal) -> str:
    """The caller's account uid, which owns what it subscribes; others are refused."""
    if principal.is_anonymous:
        raise DomainError(ErrorCode.UNAUTHENTICATED, "sign in first")
    if principal.user_id is None or not (principal.roles & MANAGERS):
        raise DomainError(ErrorCode.FORBIDDEN, "only administrators and partners may manage webhooks")
    return principal.user_id


def partner_of(principal: Principal) -> str | None:
    """The partner organisation a token acts for, if any (content.partners; absent before it lands)."""
    partner = getattr(principal, "partner", None)
    return str(partner.uid) if partner is not None else None


def sees_all(principal: Principal) -> bool:
    """Whether the caller sees every subscription and delivery (administrators)."""
    return Role.ADMINISTRATOR in principal.roles


def owned_by(principal: Principal) -> Any:
    """SQL condition: the subscriptions the caller may see (all for an administrator, else its own)."""
    require_manager(principal)
    if sees_all(principal):
        return sa.true()
    return col(WebhookSubscription.owner_uid) == principal.user_id
