"""The typed per-request context: who is asking, their session, settings and batch caches."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session
from strawberry.types import Info

from content.base import utcnow
from content.cases.visibility import blind_labels
from content.errors import DomainError, ErrorCode
from content.principal import Principal
from content.security.password_policy import DEFAULT_POLICY, PasswordPolicy
from content.webhooks.targets import TargetPolicy
from media.store import ContentStore
from schema.core.loaders import Loaders
from search.model import SearchBackend


@dataclass
class RequestCaches:
    """What one request's resolvers compute once and share, by name (lives and dies with the request)."""

    blind_labels: dict[str, str] | None = None
    validators_primed: bool = False
    assignment_items: dict[str, list[Any]] = field(default_factory=dict)  # assignment uid -> its items
    partner_uids: set[str] = field(default_factory=set)  # partners of the response, loaded together
    partner_collections: dict[str, list[Any]] = field(default_factory=dict)
    case_counts: dict[str, int] = field(default_factory=dict)  # collection uid -> visible cases


@dataclass
class Context:
    principal: Principal
    session: Session
    secret: bytes
    token_ttl_seconds: int
    catalog: SearchBackend | None = None
    password_policy: PasswordPolicy = DEFAULT_POLICY
    store: ContentStore | None = None  # the media store, for mutations that change pixels
    login_gate: Callable[[], float] | None = None  # the sign-in throttle for this client address
    webhook_targets: TargetPolicy = field(default_factory=TargetPolicy)
    # "Now" for self-study scheduling: the wall clock; the app reads its clock per request so a test in the
    # same process can move it (no request, header or setting can).
    clock: Callable[[], datetime] = utcnow
    loaders: Loaders = field(init=False)
    caches: RequestCaches = field(default_factory=RequestCaches)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.session, self.principal)

    def blinded_cases(self) -> frozenset[str]:
        """Cases whose answer the caller may not see yet (blind reporting); computed once per request."""
        return frozenset(self.blind_labels())

    def blind_labels(self) -> dict[str, str]:
        """Per blinded case, the title shown instead ("Case 3 of Chest on call")."""
        if self.caches.blind_labels is None:
            self.caches.blind_labels = blind_labels(self.session, self.principal)
        return self.caches.blind_labels


def signed_in(info: Info[Context, None]) -> Context:
    """The context of a signed-in caller; anonymous callers are refused with UNAUTHENTICATED."""
    ctx = info.context
    if ctx.principal.is_anonymous:
        raise DomainError(ErrorCode.UNAUTHENTICATED, "sign in first")
    return ctx
