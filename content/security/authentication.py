"""Turn a bearer token (a person's session token or an API token) into a Principal.

An API token of a partner organisation becomes that partner's principal (content.partners.access);
other API tokens act as their account, narrowed to their scope and collection. Either kind is
refused once revoked (content.security.revocation says which are live without a query, mostly).
A person's token is also refused when the password changed since it was issued; one of a person
who must choose a new password (after a reset) carries no roles until they have.
"""

from __future__ import annotations

from dataclasses import replace

from sqlmodel import Session

from content.collections.models import Collection
from content.errors import DomainError, ErrorCode
from content.partners.access import principal_for_partner
from content.principal import ANONYMOUS, Principal
from content.security import tokens
from content.security.api_tokens import TOKEN_PREFIX
from content.security.revocation import RevocationCache, SessionPrincipal, uncached
from content.users.models import User
from content.users.service import principal_for


def authenticate(
    bearer: str | None, *, session: Session, secret: bytes, revocations: RevocationCache | None = None
) -> Principal:
    """The principal a bearer token (session or API token) stands for; ANONYMOUS without one."""
    if not bearer:
        return ANONYMOUS
    live = revocations if revocations is not None else uncached()
    if bearer.startswith(TOKEN_PREFIX):
        return _api_principal(bearer, session=session, live=live)
    claims = tokens.verify(bearer, secret=secret)
    if claims.session_id:
        known = live.principal(claims.session_id, session=session)
        if known is not None and known.user_uid == claims.subject and known.password_stamp == claims.password_stamp:
            return known.principal  # checked since the revocation clock last moved: no query
    epoch = live.epoch
    person = session.get(User, claims.subject)
    if (
        person is None
        or not person.active
        or not claims.session_id
        or claims.password_stamp != tokens.password_stamp(person.password_hash, secret=secret)
        or not live.session_alive(claims.session_id, user_uid=person.uid, session=session)
    ):
        raise DomainError(ErrorCode.UNAUTHENTICATED, "invalid, expired or ended session")
    if person.must_change_password:
        principal = Principal(
            user_id=person.uid, username=person.username, session_id=claims.session_id, must_change_password=True
        )
    else:
        principal = replace(principal_for(person, session=session), session_id=claims.session_id)
    live.remember_principal(
        claims.session_id, SessionPrincipal(person.uid, claims.password_stamp, principal), epoch=epoch
    )
    return principal


def _api_principal(bearer: str, *, session: Session, live: RevocationCache) -> Principal:
    grant = live.api_token(bearer, session=session)
    user = session.get(User, grant.user_uid)
    if user is None or not user.active:
        raise DomainError(ErrorCode.UNAUTHENTICATED, "the token's account is disabled")
    if grant.partner_uid is not None:
        principal = principal_for_partner(grant.partner_uid, user, session=session)
    else:
        path = None
        if grant.collection_uid:
            collection = session.get(Collection, grant.collection_uid)
            path = collection.path if collection else "/nonexistent"
        principal = principal_for(user, session=session, token_scope=grant.scope, token_collection_path=path)
    return replace(principal, api_token_id=grant.uid)
