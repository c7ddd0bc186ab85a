"""The one answer to "may principal P do X on object O", and its SQL twin for listings."""

from __future__ import annotations

from typing import Any, Protocol

import sqlalchemy as sa

from content.errors import DomainError, ErrorCode
from content.principal import Principal
from content.security.roles import ROLE_PERMISSIONS, WRITE_PERMISSIONS, Permission, Role
from content.workflow import STATE_RULES, State, published_viewers, roles_allowed


class Securable(Protocol):
    path: str
    creator_id: str | None


def is_under(path: str, container: str) -> bool:
    return container == "/" or path == container or path.startswith(container.rstrip("/") + "/")


def roles_on(principal: Principal, obj: Securable | None) -> frozenset[Role]:
    """Global roles, local roles granted on any container above the object, and Owner."""
    roles = set(principal.roles)
    if obj is not None:
        roles.update(role for path, role in principal.local_roles if is_under(obj.path, path))
        if principal.user_id is not None and obj.creator_id == principal.user_id:
            roles.add(Role.OWNER)
    return frozenset(roles)


def _token_allows(principal: Principal, permission: Permission, obj: Securable | None) -> bool:
    if principal.read_only and permission in WRITE_PERMISSIONS:
        return False
    if principal.token_collection_path and obj is not None:
        return is_under(obj.path, principal.token_collection_path)
    return True


def _state_of(obj: Securable | None) -> State | None:
    state = getattr(obj, "state", None)
    return State(state) if state is not None else None


def may(principal: Principal, permission: Permission, obj: Securable | None = None,
        *, state: State | None = None) -> bool:
    """True when some role P holds on O grants the permission in O's workflow state.

    `state` overrides the object's own state, to ask about a published version of a case
    whose working copy is in another state.
    """
    if principal.is_anonymous or not _token_allows(principal, permission, obj):
        return False
    state = state or _state_of(obj)
    allowed_by_state = roles_allowed(state, permission) if state else None
    for role in roles_on(principal, obj):
        if permission in ROLE_PERMISSIONS[role] and (allowed_by_state is None or role in allowed_by_state):
            return True
    return False


def require(principal: Principal, permission: Permission, obj: Securable | None = None,
            *, state: State | None = None) -> None:
    if principal.is_anonymous:
        raise DomainError(ErrorCode.UNAUTHENTICATED, "sign in first")
    if not may(principal, permission, obj, state=state):
        raise DomainError(ErrorCode.FORBIDDEN, f"you may not {permission.value} here")


def _viewing_states(roles: frozenset[Role]) -> list[str]:
    viewers = {r for r in roles if Permission.VIEW in ROLE_PERMISSIONS[r]}
    return [s.value for s, rules in STATE_RULES.items() if viewers & rules[Permission.VIEW]]


def _under(path_col: Any, container: str) -> Any:
    if container == "/":
        return sa.true()
    base = container.rstrip("/")
    return sa.or_(path_col == base, path_col.startswith(base + "/", autoescape=True))


def visible_condition(principal: Principal, table: Any) -> Any:
    """SQL condition on a case table: rows whose working copy or published version P may view.

    Mirrors `may(VIEW)`: same role tables, evaluated inside the query so that counts and pages agree.
    """
    if principal.is_anonymous:
        return sa.false()

    def for_roles(roles: frozenset[Role]) -> Any:
        clauses = []
        states = _viewing_states(roles)
        if states:
            clauses.append(table.state.in_(states))
        if roles & published_viewers() and any(Permission.VIEW in ROLE_PERMISSIONS[r] for r in roles):
            clauses.append(sa.and_(table.published_version.is_not(None), table.state != State.RETIRED.value))
        return sa.or_(*clauses) if clauses else sa.false()

    clauses = [for_roles(principal.roles)] if principal.roles else []
    if principal.user_id is not None:
        clauses.append(sa.and_(table.creator_id == principal.user_id, for_roles(frozenset({Role.OWNER}))))
    for path, role in principal.local_roles:
        clauses.append(sa.and_(_under(table.path, path), for_roles(principal.roles | {role})))
    condition = sa.or_(*clauses) if clauses else sa.false()
    if principal.token_collection_path:
        condition = sa.and_(condition, _under(table.path, principal.token_collection_path))
    return condition


def allowed_tokens(obj: Securable, *, state: State, local_grants: list[tuple[str, str]]) -> tuple[str, ...]:
    """Principal tokens allowed to view `obj` in `state`: the catalog's allowedRolesAndUsers.

    `local_grants` are (principal token, role) pairs granted on containers above the object.
    """
    viewers = STATE_RULES[state][Permission.VIEW]
    tokens = {f"role:{r.value}" for r in viewers if r is not Role.OWNER and Permission.VIEW in ROLE_PERMISSIONS[r]}
    if Role.OWNER in viewers and obj.creator_id:
        tokens.add(f"user:{obj.creator_id}")
    tokens.update(tok for tok, role in local_grants if Role(role) in viewers)
    return tuple(sorted(tokens))
