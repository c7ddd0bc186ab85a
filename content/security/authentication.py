"""Turn a bearer token (a person's session token or an API token) into a Principal.

An API token of a partner organisation becomes that partner's principal (content.partners.access);
other API tokens act as their account, narrowed to their scope and collection.
"""

from __future__ import annotations

from sqlmodel import Session

from content.errors import DomainError, ErrorCode
from content.partners.access import principal_for_partner
from content.principal import ANONYMOUS, Principal
from content.security import tokens
from content.security.api_tokens import TOKEN_PREFIX, resolve_api_token
from content.users.models import User
from content.users.service import principal_for


def authenticate(bearer: str | None, *, session: Session, secret: bytes) -> Principal:
    if not bearer:
        return ANONYMOUS
    if bearer.startswith(TOKEN_PREFIX):
        row, user, path = resolve_api_token(bearer, session=session)
        if row.partner_uid is not None:
            return principal_for_partner(row.partner_uid, user, session=session)
        return principal_for(user, session=session, token_scope=row.scope, token_collection_path=path)
    claims = tokens.verify(bearer, secret=secret)
    person = session.get(User, claims.subject)
    if person is None or not person.active:
        raise DomainError(ErrorCode.UNAUTHENTICATED, "invalid or expired token")
    return principal_for(person, session=session)
