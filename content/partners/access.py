"""The principal behind a partner's API token: the partner's collections, read-only, and nothing else."""

from __future__ import annotations

from sqlmodel import Session, col, select

from content.collections.models import Collection
from content.errors import DomainError, ErrorCode
from content.partners.models import GRANT_TYPE, Partner
from content.principal import PartnerScope, Principal
from content.security.models import LocalRoleGrant
from content.security.roles import Role
from content.users.models import User


def partner_collections(partner_uid: str, *, session: Session) -> list[Collection]:
    """The collections granted to a partner, ordered by path."""
    stmt = (
        select(Collection)
        .join(LocalRoleGrant, col(LocalRoleGrant.collection_uid) == Collection.uid)
        .where(
            LocalRoleGrant.principal_type == GRANT_TYPE,
            LocalRoleGrant.principal_uid == partner_uid,
            LocalRoleGrant.role == Role.PARTNER.value,
        )
        .order_by(col(Collection.path))
    )
    return list(session.exec(stmt))


def principal_for_partner(partner_uid: str, account: User, *, session: Session) -> Principal:
    """Read-only, global role Partner, confined to the partner's subtrees (PartnerScope).

    The account's own roles and any collection on the token play no part: the partner's
    policy, read now, is the whole of what the token may do.
    """
    partner = session.get(Partner, partner_uid)
    if partner is None:
        raise DomainError(ErrorCode.UNAUTHENTICATED, "the token's partner no longer exists")
    paths = tuple(c.path for c in partner_collections(partner.uid, session=session))
    return Principal(
        user_id=account.uid,
        username=account.username,
        roles=frozenset({Role.PARTNER}),
        token_scope="read",
        partner=PartnerScope(uid=partner.uid, paths=paths, sees_retired=partner.may_see_retired),
    )
