"""Local roles on a collection (Plone's sharing tab): list, grant and revoke, for people and cohorts.

Whoever holds ManageLocalRoles on the collection may manage its grants, but only with roles they
could exercise there themselves: a grant may carry no permission its granter lacks on that
collection (a trainer may share trainer, contributor or trainee; validator and administrator
need someone who holds them). Partner grants belong to the partner's policy (content.partners)
and are neither listed nor changed here. Every change emits SecurityChanged so that the catalog
re-projects the allowed principals of the cases under the collection.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from content import audit, events
from content.collections.models import Collection
from content.errors import DomainError, ErrorCode
from content.principal import Principal
from content.security.models import LocalRoleGrant
from content.security.policy import is_under, require, roles_on
from content.security.roles import ROLE_PERMISSIONS, Permission, Role, parse_role, permissions_of
from content.users.models import Cohort, User

GRANTEE_TYPES = ("user", "cohort")


def _collection(uid: str, *, session: Session, principal: Principal) -> Collection:
    """The collection, NOT_FOUND outside a token's or partner's containers (as `visible_collection`)."""
    require(principal, Permission.VIEW)
    collection = session.get(Collection, uid)
    limits = principal.collection_limits()
    if collection is None or (limits is not None and not any(is_under(collection.path, p) for p in limits)):
        raise DomainError(ErrorCode.NOT_FOUND, "no such collection", field="collection")
    return collection


def _require_delegable(principal: Principal, collection: Collection, role: Role) -> None:
    require(principal, Permission.MANAGE_LOCAL_ROLES, collection)
    if not ROLE_PERMISSIONS[role] <= permissions_of(roles_on(principal, collection)):
        raise DomainError(
            ErrorCode.FORBIDDEN,
            f"you may not share the {role.value} role: it carries permissions you do not hold here",
            field="role",
        )


def list_local_roles(collection_uid: str, *, session: Session, principal: Principal) -> list[LocalRoleGrant]:
    """Grants to people and cohorts made on this collection itself (not inherited ones), oldest first."""
    collection = _collection(collection_uid, session=session, principal=principal)
    require(principal, Permission.MANAGE_LOCAL_ROLES, collection)
    stmt = (
        select(LocalRoleGrant)
        .where(LocalRoleGrant.collection_uid == collection.uid, col(LocalRoleGrant.principal_type).in_(GRANTEE_TYPES))
        .order_by(col(LocalRoleGrant.created), col(LocalRoleGrant.uid))
    )
    return list(session.exec(stmt))


def grant_local_role(
    collection_uid: str,
    *,
    role: str,
    user_uid: str | None = None,
    cohort_uid: str | None = None,
    session: Session,
    principal: Principal,
) -> LocalRoleGrant:
    """Grant a role on one collection (and what it contains) to a user or a cohort."""
    collection = _collection(collection_uid, session=session, principal=principal)
    require(principal, Permission.MANAGE_LOCAL_ROLES, collection)
    if (user_uid is None) == (cohort_uid is None):
        raise DomainError(ErrorCode.INVALID_INPUT, "name one user or one cohort", field="user")
    granted = parse_role(role, field="role")
    _require_delegable(principal, collection, granted)
    target_type, target_uid = ("user", user_uid) if user_uid is not None else ("cohort", cohort_uid)
    assert target_uid is not None
    if session.get(User if target_type == "user" else Cohort, target_uid) is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"no such {target_type}", field=target_type)
    exists = session.exec(
        select(LocalRoleGrant.uid).where(
            LocalRoleGrant.collection_uid == collection.uid,
            LocalRoleGrant.principal_type == target_type,
            LocalRoleGrant.principal_uid == target_uid,
            LocalRoleGrant.role == granted.value,
        )
    ).first()
    if exists:
        raise DomainError(ErrorCode.DUPLICATE, f"the {target_type} already holds {granted.value} here", field="role")
    grant = LocalRoleGrant(
        collection_uid=collection.uid, principal_type=target_type, principal_uid=target_uid, role=granted.value
    )
    session.add(grant)
    session.flush()
    audit.record(
        session,
        principal,
        "localrole.grant",
        "collection",
        collection.uid,
        grantee=f"{target_type}:{target_uid}",
        role=granted.value,
        grant=grant.uid,
    )
    events.emit(session, events.SecurityChanged(path=collection.path))
    session.commit()
    return grant


def revoke_local_role(grant_uid: str, *, session: Session, principal: Principal) -> LocalRoleGrant:
    """Remove a grant; returns the removed row (detached) so the caller can say what went."""
    grant = session.get(LocalRoleGrant, grant_uid)
    if grant is None or grant.principal_type not in GRANTEE_TYPES:
        raise DomainError(ErrorCode.NOT_FOUND, "no such local role grant", field="grant")
    collection = _collection(grant.collection_uid, session=session, principal=principal)
    _require_delegable(principal, collection, Role(grant.role))
    gone = LocalRoleGrant.model_validate(grant.model_dump())
    session.delete(grant)
    audit.record(
        session,
        principal,
        "localrole.revoke",
        "collection",
        collection.uid,
        grantee=f"{grant.principal_type}:{grant.principal_uid}",
        role=grant.role,
        grant=grant.uid,
    )
    events.emit(session, events.SecurityChanged(path=collection.path))
    session.commit()
    return gone
