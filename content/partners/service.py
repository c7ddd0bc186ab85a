"""Partner services: administrators create and update partners, choose their collections, issue tokens.

A partner's collections are local role grants (content.partners.models), so adding or removing
one changes who may see the cases under it: each change emits SecurityChanged for that subtree
and the catalog re-projects those cases after the commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlmodel import Session, col, func, select

from content import audit, events
from content.base import slugify, utcnow
from content.collections.models import Collection
from content.errors import DomainError, ErrorCode
from content.partners.access import partner_collections
from content.partners.models import GRANT_TYPE, Partner, PartnerCreate, PartnerUpdate
from content.principal import Principal
from content.security.api_tokens import mint_token
from content.security.models import ApiToken, LocalRoleGrant
from content.security.policy import may, require
from content.security.roles import Permission, Role
from content.users.models import User

MAX_COLLECTIONS = 100
MAX_NAME, MAX_CONTACT = 200, 300


def _name(name: str, *, session: Session, exclude: str | None = None) -> str:
    name = name.strip()
    if not name or len(name) > MAX_NAME:
        raise DomainError(ErrorCode.INVALID_INPUT, f"a name of 1 to {MAX_NAME} characters", field="name")
    stmt = select(Partner.uid).where(func.lower(Partner.name) == name.lower())
    if exclude is not None:
        stmt = stmt.where(col(Partner.uid) != exclude)
    if session.exec(stmt).first() is not None:
        raise DomainError(ErrorCode.DUPLICATE, f"a partner named {name!r} exists", field="name")
    return name


def _contact(contact: str) -> str:
    contact = contact.strip()
    if len(contact) > MAX_CONTACT:
        raise DomainError(ErrorCode.INVALID_INPUT, f"contact: at most {MAX_CONTACT} characters", field="contact")
    return contact


def _collections(uids: Sequence[str], *, session: Session) -> list[Collection]:
    wanted = list(dict.fromkeys(uids))
    if len(wanted) > MAX_COLLECTIONS:
        raise DomainError(ErrorCode.INVALID_INPUT, f"at most {MAX_COLLECTIONS} collections", field="collections")
    found = {c.uid: c for c in session.exec(select(Collection).where(col(Collection.uid).in_(wanted)))}
    missing = [uid for uid in wanted if uid not in found]
    if missing:
        raise DomainError(ErrorCode.NOT_FOUND, "no such collection", field="collections")
    return [found[uid] for uid in wanted]


def _account(name: str, *, session: Session) -> User:
    """The partner's service account: role partner, no password, a free `partner.<slug>` name."""
    base = f"partner.{slugify(name)[:48]}"
    taken = set(session.exec(select(User.username).where(col(User.username).startswith(base, autoescape=True))))
    username, n = base, 1
    while username in taken:
        n += 1
        username = f"{base}-{n}"
    user = User(username=username, display_name=name, roles=[Role.PARTNER.value], password_hash=None)
    session.add(user)
    session.flush()
    return user


def _grant(session: Session, partner: Partner, collection: Collection, principal: Principal) -> None:
    exists = session.exec(
        select(LocalRoleGrant.uid).where(
            LocalRoleGrant.collection_uid == collection.uid,
            LocalRoleGrant.principal_type == GRANT_TYPE,
            LocalRoleGrant.principal_uid == partner.uid,
        )
    ).first()
    if exists is not None:
        return
    session.add(
        LocalRoleGrant(
            collection_uid=collection.uid, principal_type=GRANT_TYPE, principal_uid=partner.uid, role=Role.PARTNER.value
        )
    )
    audit.record(session, principal, "partner.collection.add", "partner", partner.uid, path=collection.path)
    events.emit(session, events.SecurityChanged(path=collection.path))


def _revoke(session: Session, partner: Partner, collection: Collection, principal: Principal) -> None:
    grants = session.exec(
        select(LocalRoleGrant).where(
            LocalRoleGrant.collection_uid == collection.uid,
            LocalRoleGrant.principal_type == GRANT_TYPE,
            LocalRoleGrant.principal_uid == partner.uid,
        )
    ).all()
    for grant in grants:
        session.delete(grant)
    if grants:
        audit.record(session, principal, "partner.collection.remove", "partner", partner.uid, path=collection.path)
        events.emit(session, events.SecurityChanged(path=collection.path))


def create_partner(data: PartnerCreate, *, session: Session, principal: Principal) -> Partner:
    """Add a partner organisation with the collections it may read (administrators only)."""
    require(principal, Permission.MANAGE_PARTNERS)
    name = _name(data.name, session=session)
    contact = _contact(data.contact)
    collections = _collections(data.collection_uids, session=session)
    account = _account(name, session=session)
    partner = Partner(name=name, contact=contact, may_see_retired=data.may_see_retired, account_uid=account.uid)
    session.add(partner)
    session.flush()
    audit.record(
        session, principal, "partner.create", "partner", partner.uid, name=name, may_see_retired=partner.may_see_retired
    )
    for collection in collections:
        _grant(session, partner, collection, principal)
    session.commit()
    return partner


def _managed(uid: str, *, session: Session, principal: Principal) -> Partner:
    require(principal, Permission.MANAGE_PARTNERS)
    partner = session.get(Partner, uid)
    if partner is None:
        raise DomainError(ErrorCode.NOT_FOUND, "no such partner", field="id")
    return partner


def update_partner(uid: str, changes: PartnerUpdate, *, session: Session, principal: Principal) -> Partner:
    """Change only the fields set; `collection_uids`, when set, is the partner's whole new set."""
    partner = _managed(uid, session=session, principal=principal)
    values = changes.model_dump(exclude_unset=True)
    if values.get("name") is not None:
        partner.name = _name(values["name"], session=session, exclude=partner.uid)
        account = session.get(User, partner.account_uid)
        if account is not None:
            account.display_name = partner.name
            session.add(account)
    if values.get("contact") is not None:
        partner.contact = _contact(values["contact"])
    if values.get("may_see_retired") is not None:
        partner.may_see_retired = bool(values["may_see_retired"])
    if values.get("collection_uids") is not None:
        wanted = {c.uid: c for c in _collections(values["collection_uids"], session=session)}
        current = {c.uid: c for c in partner_collections(partner.uid, session=session)}
        for collection in current.values():
            if collection.uid not in wanted:
                _revoke(session, partner, collection, principal)
        for collection in wanted.values():
            if collection.uid not in current:
                _grant(session, partner, collection, principal)
    partner.modified = utcnow()
    session.add(partner)
    audit.record(
        session,
        principal,
        "partner.update",
        "partner",
        partner.uid,
        fields=sorted(k for k, v in values.items() if v is not None),
    )
    session.commit()
    return partner


def add_collection(partner_uid: str, collection_uid: str, *, session: Session, principal: Principal) -> Partner:
    """Let a partner read one more collection."""
    partner = _managed(partner_uid, session=session, principal=principal)
    _grant(session, partner, _collections([collection_uid], session=session)[0], principal)
    session.commit()
    return partner


def remove_collection(partner_uid: str, collection_uid: str, *, session: Session, principal: Principal) -> Partner:
    """Stop a partner reading a collection."""
    partner = _managed(partner_uid, session=session, principal=principal)
    _revoke(session, partner, _collections([collection_uid], session=session)[0], principal)
    session.commit()
    return partner


def list_partners(*, session: Session, principal: Principal) -> list[Partner]:
    """Every partner organisation, by name (administrators only)."""
    require(principal, Permission.MANAGE_PARTNERS)
    return list(session.exec(select(Partner).order_by(col(Partner.name))))


def get_partner(uid: str | None, *, session: Session, principal: Principal) -> Partner:
    """A partner for an administrator, or the caller's own partner; NOT_FOUND for anyone else.

    Without a uid: the partner of the calling token.
    """
    if principal.is_anonymous:
        raise DomainError(ErrorCode.UNAUTHENTICATED, "sign in first")
    own = principal.partner.uid if principal.partner is not None else None
    uid = uid or own
    partner = session.get(Partner, uid) if uid else None
    if partner is None or (partner.uid != own and not may(principal, Permission.MANAGE_PARTNERS)):
        raise DomainError(ErrorCode.NOT_FOUND, "no such partner", field="id")
    return partner


def partner_by_name(name: str, *, session: Session, principal: Principal) -> Partner:
    """A partner by name, ignoring case; NOT_FOUND (field `partner`) if there is none."""
    require(principal, Permission.MANAGE_PARTNERS)
    partner = session.exec(select(Partner).where(func.lower(Partner.name) == name.strip().lower())).first()
    if partner is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"no partner named {name!r}", field="partner")
    return partner


def collections_of(partner_uids: Iterable[str], *, session: Session) -> dict[str, list[Collection]]:
    """Each partner's collections, by path, in one query."""
    wanted = list(set(partner_uids))
    out: dict[str, list[Collection]] = {uid: [] for uid in wanted}
    if not wanted:
        return out
    stmt = (
        select(LocalRoleGrant.principal_uid, Collection)
        .join(Collection, col(Collection.uid) == LocalRoleGrant.collection_uid)
        .where(LocalRoleGrant.principal_type == GRANT_TYPE, col(LocalRoleGrant.principal_uid).in_(wanted))
        .order_by(col(Collection.path))
    )
    for partner_uid, collection in session.exec(stmt):
        out[partner_uid].append(collection)
    return out


def create_partner_token(
    partner_uid: str, name: str, *, session: Session, principal: Principal
) -> tuple[str, ApiToken]:
    """A read-only token of the partner, returned once; only its hash is stored."""
    partner = _managed(partner_uid, session=session, principal=principal)
    token, row = mint_token(name, scope="read", user_uid=partner.account_uid, partner_uid=partner.uid, session=session)
    audit.record(
        session, principal, "token.create", "api_token", row.uid, name=row.name, scope="read", partner=partner.name
    )
    session.commit()
    return token, row
