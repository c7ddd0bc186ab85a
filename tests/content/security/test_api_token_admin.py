"""API tokens as administered: issue one acting as oneself, list them, revoke them (people's and partners')."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from content.audit import AuditEvent
from content.errors import DomainError, ErrorCode
from content.partners.models import PartnerCreate
from content.partners.service import create_partner, create_partner_token
from content.principal import SYSTEM, Principal
from content.security.api_tokens import issue_api_token, list_api_tokens, revoke_api_token
from content.security.authentication import authenticate
from content.users.service import add_user, principal_for
from tests.content import factories as f

SECRET = b"k" * 32


def _principal(session: Session, username: str, role: str) -> Principal:
    user = add_user(username, roles=[role], password=None, session=session, principal=SYSTEM)
    return principal_for(user, session=session)


def _code(call: object, *args: object, **kwargs: object) -> ErrorCode:
    with pytest.raises(DomainError) as err:
        call(*args, **kwargs)  # type: ignore[operator]
    return err.value.code


def test_a_token_acts_as_its_issuer_within_its_collection(session: Session) -> None:
    leeds = f.collection(session, "Leeds")
    admin = _principal(session, "adam", "administrator")
    token, row = issue_api_token("ci", scope="write", collection_uid=leeds, session=session, principal=admin)
    acting = authenticate(token, session=session, secret=SECRET)
    assert (acting.user_id, acting.token_collection_path, acting.token_scope) == (admin.user_id, "/leeds", "write")
    assert row.token_hash != token and token.startswith(row.prefix)
    assert (
        _code(issue_api_token, "x", scope="admin", collection_uid=None, session=session, principal=admin)
        is ErrorCode.INVALID_INPUT
    )
    assert (
        _code(issue_api_token, "", scope="read", collection_uid=None, session=session, principal=admin)
        is ErrorCode.INVALID_INPUT
    )
    assert (
        _code(issue_api_token, "x", scope="read", collection_uid="nothing", session=session, principal=admin)
        is ErrorCode.NOT_FOUND
    )
    # A confined token may not mint a broader one (nor administer anything else).
    assert (
        _code(issue_api_token, "wider", scope="write", collection_uid=None, session=session, principal=acting)
        is ErrorCode.FORBIDDEN
    )
    assert (
        _code(
            issue_api_token,
            "x",
            scope="read",
            collection_uid=None,
            session=session,
            principal=_principal(session, "tess", "trainer"),
        )
        is ErrorCode.FORBIDDEN
    )


def test_a_revoked_token_is_refused_at_once_partners_included(session: Session) -> None:
    north = f.collection(session, "North")
    admin = _principal(session, "adam", "administrator")
    mine, row = issue_api_token("ci", scope="read", collection_uid=None, session=session, principal=admin)
    partner = create_partner(PartnerCreate(name="School", collection_uids=[north]), session=session, principal=SYSTEM)
    theirs, partner_row = create_partner_token(partner.uid, "pacs", session=session, principal=SYSTEM)
    assert {t.uid for t in list_api_tokens(session=session, principal=admin)} == {row.uid, partner_row.uid}
    # Each token acts as its owner: the administrator who issued it, the partner's service account.
    for token, token_row, owner in ((mine, row, admin.user_id), (theirs, partner_row, partner.account_uid)):
        assert authenticate(token, session=session, secret=SECRET).user_id == owner
        assert revoke_api_token(token_row.uid, session=session, principal=admin).revoked
        assert _code(authenticate, token, session=session, secret=SECRET) is ErrorCode.UNAUTHENTICATED
    revoke_api_token(row.uid, session=session, principal=admin)  # again: nothing more to do
    assert list_api_tokens(session=session, principal=admin) == []
    assert {t.uid for t in list_api_tokens(include_revoked=True, session=session, principal=admin)} == {
        row.uid,
        partner_row.uid,
    }
    revocations = session.exec(select(AuditEvent.object_uid).where(AuditEvent.action == "token.revoke")).all()
    assert set(revocations) == {row.uid, partner_row.uid} and len(revocations) == 2
    assert _code(revoke_api_token, "nothing", session=session, principal=admin) is ErrorCode.NOT_FOUND


def test_only_administrators_list_and_revoke(session: Session) -> None:
    admin = _principal(session, "adam", "administrator")
    _, row = issue_api_token("ci", scope="read", collection_uid=None, session=session, principal=admin)
    for name, role in (("tess", "trainer"), ("val", "validator"), ("ann", "trainee")):
        who = _principal(session, name, role)
        assert _code(list_api_tokens, session=session, principal=who) is ErrorCode.FORBIDDEN
        assert _code(revoke_api_token, row.uid, session=session, principal=who) is ErrorCode.FORBIDDEN
    assert not list_api_tokens(session=session, principal=admin)[0].revoked
