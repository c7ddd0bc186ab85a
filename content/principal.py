"""Who is asking: a person (from a login token), a partner system (API token) or nobody."""

from __future__ import annotations

from dataclasses import dataclass

from content.security.roles import Role


@dataclass(frozen=True)
class Principal:
    user_id: str | None
    username: str
    roles: frozenset[Role] = frozenset()
    cohort_ids: frozenset[str] = frozenset()
    # API tokens narrow what the holder's roles allow; people have no such limit.
    token_scope: str | None = None  # "read" | "write" | None
    token_collection_path: str | None = None
    # Local role grants (container path, role) of the person and their cohorts, loaded once at
    # authentication so every permission check after that is pure.
    local_roles: tuple[tuple[str, Role], ...] = ()
    authenticated: bool = True

    @property
    def is_anonymous(self) -> bool:
        return not self.authenticated

    @property
    def read_only(self) -> bool:
        return self.token_scope == "read"

    def tokens(self) -> frozenset[str]:
        """The catalog's allowedRolesAndUsers tokens this principal matches."""
        out = {f"role:{r.value}" for r in self.roles}
        if self.user_id:
            out.add(f"user:{self.user_id}")
        out.update(f"cohort:{c}" for c in self.cohort_ids)
        return frozenset(out)


ANONYMOUS = Principal(user_id=None, username="anonymous", authenticated=False)
# Commands run by an operator on the server (migrations, demo seeding) act as the system.
SYSTEM = Principal(user_id=None, username="system", roles=frozenset({Role.ADMINISTRATOR}))
