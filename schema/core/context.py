"""The typed per-request context: who is asking, their session, settings and batch caches."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session
from strawberry.types import Info

from content.cases.visibility import blind_labels
from content.errors import DomainError, ErrorCode
from content.principal import Principal
from content.security.password_policy import DEFAULT_POLICY, PasswordPolicy
from media.store import ContentStore
from schema.core.loaders import Loaders
from search.model import SearchBackend


@dataclass
class Context:
    principal: Principal
    session: Session
    secret: bytes
    token_ttl_seconds: int
    catalog: SearchBackend | None = None
    password_policy: PasswordPolicy = DEFAULT_POLICY
    store: ContentStore | None = None  # the media store, for mutations that change pixels
    loaders: Loaders = field(init=False)
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.session, self.principal)

    def blinded_cases(self) -> frozenset[str]:
        """Cases whose answer the caller may not see yet (blind reporting); computed once per request."""
        return frozenset(self.blind_labels())

    def blind_labels(self) -> dict[str, str]:
        """Per blinded case, the title shown instead ("Case 3 of Chest on call")."""
        if "blind_labels" not in self.extra:
            self.extra["blind_labels"] = blind_labels(self.session, self.principal)
        labels: dict[str, str] = self.extra["blind_labels"]
        return labels


def signed_in(info: Info[Context, None]) -> Context:
    """The context of a signed-in caller; anonymous callers are refused with UNAUTHENTICATED."""
    ctx = info.context
    if ctx.principal.is_anonymous:
        raise DomainError(ErrorCode.UNAUTHENTICATED, "sign in first")
    return ctx
