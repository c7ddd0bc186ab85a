"""API tokens: random, shown once, stored as SHA-256; scoped read/write and to a collection or a partner."""

from __future__ import annotations

import secrets

from sqlmodel import Session, col, select

from content import audit
from content.collections.models import Collection
from content.errors import DomainError, ErrorCode
from content.principal import Principal
from content.security.models import ApiToken
from content.security.policy import require, require_unconfined
from content.security.revocation import digest
from content.security.roles import Permission
from content.security.sessions import tick
from content.users.models import User

TOKEN_PREFIX = "lbx_"
SCOPES = ("read", "write")


def _digest(token: str) -> str:
    return digest(token)


def mint_token(
    name: str,
    *,
    scope: str,
    user_uid: str,
    collection_uid: str | None = None,
    partner_uid: str | None = None,
    session: Session,
) -> tuple[str, ApiToken]:
    """A new token row (flushed, not committed); the caller has checked permission and input."""
    name = name.strip()
    if not name or len(name) > 200:
        raise DomainError(ErrorCode.INVALID_INPUT, "a token name of 1 to 200 characters", field="name")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        name=name,
        prefix=token[:12],
        token_hash=_digest(token),
        scope=scope,
        collection_uid=collection_uid,
        partner_uid=partner_uid,
        user_uid=user_uid,
    )
    session.add(row)
    session.flush()
    return token, row


def create_api_token(
    name: str, *, scope: str, acting_user: User, collection_path: str | None, session: Session, principal: Principal
) -> tuple[str, ApiToken]:
    """Issue an API token acting as a user, optionally narrowed to a collection: its secret (shown once) and row."""
    require(principal, Permission.MANAGE_USERS)
    if scope not in SCOPES:
        raise DomainError(ErrorCode.INVALID_INPUT, "scope must be read or write", field="scope")
    collection_uid = None
    if collection_path:
        collection = session.exec(select(Collection).where(Collection.path == collection_path)).first()
        if collection is None:
            raise DomainError(ErrorCode.NOT_FOUND, f"no collection at {collection_path}", field="collection")
        collection_uid = collection.uid
    token, row = mint_token(name, scope=scope, user_uid=acting_user.uid, collection_uid=collection_uid, session=session)
    audit.record(
        session, principal, "token.create", "api_token", row.uid, name=name, scope=scope, collection=collection_path
    )
    session.commit()
    return token, row


def list_api_tokens(*, include_revoked: bool = False, session: Session, principal: Principal) -> list[ApiToken]:
    """Every API token, people's and partners', newest first (administrators); never a token itself."""
    require_unconfined(principal, Permission.MANAGE_USERS)
    stmt = select(ApiToken).order_by(col(ApiToken.created).desc(), col(ApiToken.uid))
    if not include_revoked:
        stmt = stmt.where(col(ApiToken.revoked).is_(False))
    return list(session.exec(stmt))


def issue_api_token(
    name: str, *, scope: str, collection_uid: str | None, session: Session, principal: Principal
) -> tuple[str, ApiToken]:
    """A token acting as the calling administrator, optionally confined to a collection; shown once."""
    require_unconfined(principal, Permission.MANAGE_USERS)
    acting = session.get(User, principal.user_id) if principal.user_id else None
    if acting is None:
        raise DomainError(ErrorCode.FORBIDDEN, "only a person may issue API tokens")
    path = None
    if collection_uid is not None:
        collection = session.get(Collection, collection_uid)
        if collection is None:
            raise DomainError(ErrorCode.NOT_FOUND, "no such collection", field="collection")
        path = collection.path
    return create_api_token(
        name, scope=scope, acting_user=acting, collection_path=path, session=session, principal=principal
    )


def revoke_api_token(uid: str, *, session: Session, principal: Principal) -> ApiToken:
    """Revoke a token (a person's or a partner's); it is refused from the next request on."""
    require_unconfined(principal, Permission.MANAGE_USERS)
    row = session.get(ApiToken, uid)
    if row is None:
        raise DomainError(ErrorCode.NOT_FOUND, "no such API token", field="id")
    if not row.revoked:
        row.revoked = True
        session.add(row)
        audit.record(session, principal, "token.revoke", "api_token", row.uid, name=row.name, partner=row.partner_uid)
        tick(session)
        session.commit()
    return row
