"""Who is asking: a person (from a login token), a partner system (API token) or nobody."""

from __future__ import annotations

from dataclasses import dataclass

from content.security.roles import Role


@dataclass(frozen=True)
class PartnerScope:
    """What a partner organisation's token may read: the subtrees of its collections.

    Its catalog tokens are the ones `content.security.policy.allowed_tokens` writes on the
    entries of cases under a partner grant, so a search filters by partner inside the index.
    """

    uid: str
    paths: tuple[str, ...] = ()
    sees_retired: bool = False

    def tokens(self) -> frozenset[str]:
        """The catalog security tokens this partner scope may read."""
        out = {f"partner:{self.uid}"}
        if self.sees_retired:
            out.add(f"partner:{self.uid}:retired")
        return frozenset(out)


@dataclass(frozen=True)
class Principal:
    """Who is calling: the user, roles, cohorts, local role grants and any API token or partner scope."""

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
    # A partner organisation's token: reads exactly the union of the partner's collections.
    partner: PartnerScope | None = None
    # The credential this request came with: a sign-in session or an API token (logout ends it).
    session_id: str | None = None
    api_token_id: str | None = None
    # Signed in with a password an administrator reset: no roles until a new one is chosen.
    must_change_password: bool = False

    @property
    def is_anonymous(self) -> bool:
        """Whether the caller is not signed in."""
        return not self.authenticated

    @property
    def read_only(self) -> bool:
        """Whether the caller acts through a read-only API token."""
        return self.token_scope == "read"

    def collection_limits(self) -> tuple[str, ...] | None:
        """Containers a token confines the principal to (None: no limit; empty: nothing)."""
        if self.partner is not None:
            return self.partner.paths
        if self.token_collection_path:
            return (self.token_collection_path,)
        return None

    def tokens(self) -> frozenset[str]:
        """The catalog's allowedRolesAndUsers tokens this principal matches."""
        if self.must_change_password:  # not even its own drafts until a new password is chosen
            return frozenset()
        if self.partner is not None:
            # Not role:partner, which every validated case carries: only the partner's own grants.
            return self.partner.tokens()
        out = {f"role:{r.value}" for r in self.roles}
        if self.user_id:
            out.add(f"user:{self.user_id}")
        out.update(f"cohort:{c}" for c in self.cohort_ids)
        return frozenset(out)


ANONYMOUS = Principal(user_id=None, username="anonymous", authenticated=False)
# Commands run by an operator on the server (migrations, demo seeding) act as the system.
SYSTEM = Principal(user_id=None, username="system", roles=frozenset({Role.ADMINISTRATOR}))
