"""The one answer to "may principal P do X on object O", and its SQL twin for listings."""

from __future__ import annotations

from typing import Any, Protocol

import sqlalchemy as sa

from content.errors import DomainError, ErrorCode
from content.principal import Principal
from content.security.roles import ROLE_PERMISSIONS, WRITE_PERMISSIONS, Permission, Role
from content.workflow import STATE_RULES, State, published_viewers, roles_allowed


class Securable(Protocol):
    """What permissions are checked on: an object with a path and a creator."""

    path: str
    creator_id: str | None


def is_under(path: str, container: str) -> bool:
    """Whether `path` is `container` or lies inside it."""
    return container == "/" or path == container or path.startswith(container.rstrip("/") + "/")


def roles_on(principal: Principal, obj: Securable | None) -> frozenset[Role]:
    """Global roles, local roles granted on any container above the object, and Owner."""
    roles = set(principal.roles)
    if obj is not None:
        roles.update(role for path, role in principal.local_roles if is_under(obj.path, path))
        if principal.user_id is not None and obj.creator_id == principal.user_id:
            roles.add(Role.OWNER)
    return frozenset(roles)


# What a partner allowed to see retired cases may do with one: read it, as it was last validated.
RETIRED_READER_PERMISSIONS = frozenset({Permission.VIEW})
PARTNER_GRANT_PREFIX = "partner:"
RETIRED_SUFFIX = ":retired"


def _token_allows(principal: Principal, permission: Permission, obj: Securable | None) -> bool:
    if principal.read_only and permission in WRITE_PERMISSIONS:
        return False
    limits = principal.collection_limits()
    if limits is not None and obj is not None:
        return any(is_under(obj.path, path) for path in limits)
    return True


def _reads_retired(principal: Principal, permission: Permission, state: State | None) -> bool:
    """A partner whose policy includes retired cases reads them (its paths are checked before)."""
    return (
        state is State.RETIRED
        and principal.partner is not None
        and principal.partner.sees_retired
        and permission in RETIRED_READER_PERMISSIONS
    )


def _state_of(obj: Securable | None) -> State | None:
    state = getattr(obj, "state", None)
    return State(state) if state is not None else None


def may(
    principal: Principal, permission: Permission, obj: Securable | None = None, *, state: State | None = None
) -> bool:
    """True when some role P holds on O grants the permission in O's workflow state.

    `state` overrides the object's own state, to ask about a published version of a case
    whose working copy is in another state.
    """
    if principal.is_anonymous or principal.must_change_password or not _token_allows(principal, permission, obj):
        return False
    state = state or _state_of(obj)
    if obj is not None and _reads_retired(principal, permission, state):
        return True
    allowed_by_state = roles_allowed(state, permission) if state else None
    for role in roles_on(principal, obj):
        if permission in ROLE_PERMISSIONS[role] and (allowed_by_state is None or role in allowed_by_state):
            return True
    return False


def may_somewhere(principal: Principal, permission: Permission) -> bool:
    """True when some role P holds, globally or on any container, grants the permission.

    The question that can be answered before the object is known (an upload's collection is in
    its body): False here means `may` is False on every object, so the body need not be read.
    """
    if principal.is_anonymous or (principal.read_only and permission in WRITE_PERMISSIONS):
        return False
    roles = set(principal.roles) | {role for _, role in principal.local_roles}
    return any(permission in ROLE_PERMISSIONS[role] for role in roles)


def require_somewhere(principal: Principal, permission: Permission) -> None:
    """UNAUTHENTICATED or FORBIDDEN unless `principal` has `permission` somewhere."""
    if principal.is_anonymous:
        raise DomainError(ErrorCode.UNAUTHENTICATED, "sign in first")
    if not may_somewhere(principal, permission):
        raise DomainError(ErrorCode.FORBIDDEN, f"you may not {permission.value} anywhere")


def require(
    principal: Principal, permission: Permission, obj: Securable | None = None, *, state: State | None = None
) -> None:
    """UNAUTHENTICATED or FORBIDDEN unless `principal` has `permission` on `obj` (the check that counts)."""
    if principal.is_anonymous:
        raise DomainError(ErrorCode.UNAUTHENTICATED, "sign in first")
    if principal.must_change_password:  # signed in with a password an administrator reset
        raise DomainError(ErrorCode.PASSWORD_CHANGE_REQUIRED, "choose a new password first")
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


def _case_condition(principal: Principal, table: Any, for_roles: Any, *, permission: Permission) -> Any:
    """The role sources of `may` (global, Owner, local grants) and a token's confinement, in SQL.

    `for_roles(roles)` is the condition under which a role set grants the permission on a row.
    """
    if principal.is_anonymous or principal.must_change_password:
        return sa.false()
    if principal.read_only and permission in WRITE_PERMISSIONS:
        return sa.false()
    clauses = [for_roles(principal.roles)] if principal.roles else []
    if principal.user_id is not None:
        clauses.append(sa.and_(table.creator_id == principal.user_id, for_roles(frozenset({Role.OWNER}))))
    for path, role in principal.local_roles:
        clauses.append(sa.and_(_under(table.path, path), for_roles(principal.roles | {role})))
    condition = sa.or_(*clauses) if clauses else sa.false()
    limits = principal.collection_limits()
    if limits is not None:
        within = sa.or_(*(_under(table.path, path) for path in limits)) if limits else sa.false()
        condition = sa.and_(condition, within)
        if _reads_retired(principal, permission, State.RETIRED):
            condition = sa.or_(condition, sa.and_(within, table.state == State.RETIRED.value))
    return condition


def visible_condition(principal: Principal, table: Any) -> Any:
    """SQL condition on a case table: rows whose working copy or published version P may view.

    Mirrors `may(VIEW)`: same role tables, evaluated inside the query so that counts and pages agree.
    """

    def for_roles(roles: frozenset[Role]) -> Any:
        clauses = []
        states = _viewing_states(roles)
        if states:
            clauses.append(table.state.in_(states))
        if roles & published_viewers() and any(Permission.VIEW in ROLE_PERMISSIONS[r] for r in roles):
            clauses.append(sa.and_(table.published_version.is_not(None), table.state != State.RETIRED.value))
        return sa.or_(*clauses) if clauses else sa.false()

    return _case_condition(principal, table, for_roles, permission=Permission.VIEW)


def permitted_condition(principal: Principal, permission: Permission, table: Any) -> Any:
    """SQL twin of `may(permission)` on a case table, each row judged in its own (working copy) state.

    For VIEW, which also reads a published version, use `visible_condition`.
    """

    def for_roles(roles: frozenset[Role]) -> Any:
        holders = {r for r in roles if permission in ROLE_PERMISSIONS[r]}
        if not holders:
            return sa.false()
        states = [s.value for s in State if (allowed := roles_allowed(s, permission)) is None or holders & allowed]
        if len(states) == len(State):
            return sa.true()
        return table.state.in_(states) if states else sa.false()

    return _case_condition(principal, table, for_roles, permission=permission)


def allowed_tokens(obj: Securable, *, state: State, local_grants: list[tuple[str, str]]) -> tuple[str, ...]:
    """Principal tokens allowed to view `obj` in `state`: the catalog's allowedRolesAndUsers.

    `local_grants` are (principal token, role) pairs granted on containers above the object.
    """
    viewers = STATE_RULES[state][Permission.VIEW]
    tokens = {f"role:{r.value}" for r in viewers if r is not Role.OWNER and Permission.VIEW in ROLE_PERMISSIONS[r]}
    if Role.OWNER in viewers and obj.creator_id:
        tokens.add(f"user:{obj.creator_id}")
    tokens.update(tok for tok, role in local_grants if Role(role) in viewers)
    if state is State.RETIRED:
        # Partners whose policy includes retired cases carry this token (PartnerScope.tokens).
        tokens.update(
            tok + RETIRED_SUFFIX
            for tok, role in local_grants
            if tok.startswith(PARTNER_GRANT_PREFIX) and role == Role.PARTNER.value
        )
    return tuple(sorted(tokens))


def require_unconfined(principal: Principal, permission: Permission) -> None:
    """`require`, and refuse a token confined to collections: administering people, cohorts and
    tokens reaches beyond any collection, so a confined token could otherwise mint its way out."""
    require(principal, permission)
    if principal.collection_limits() is not None:
        raise DomainError(ErrorCode.FORBIDDEN, "a token confined to collections may not administer the repository")
