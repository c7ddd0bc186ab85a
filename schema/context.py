"""The typed per-request context: who is asking, their session, settings and batch caches."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from content.principal import Principal
from schema.loaders import Loaders
from search.model import SearchBackend


@dataclass
class Context:
    principal: Principal
    session: Session
    secret: bytes
    token_ttl_seconds: int
    catalog: SearchBackend | None = None
    loaders: Loaders = field(init=False)
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.session, self.principal)

    def blinded_cases(self) -> frozenset[str]:
        """Cases whose answer the caller may not see yet (blind reporting); computed once per request."""
        if "blinded" not in self.extra:
            from content.worklists.blind import blinded_case_uids

            self.extra["blinded"] = blinded_case_uids(self.session, self.principal)
        blinded: frozenset[str] = self.extra["blinded"]
        return blinded
