"""Permissions: local roles inherited down the tree, API token scopes, tokens and passwords."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from content.cases.listing import CaseFilter, list_cases
from content.cases.service import create_case, update_case
from content.collections.local_roles import grant_local_role
from content.collections.service import create_collection
from content.errors import DomainError, ErrorCode
from content.principal import SYSTEM
from content.security import tokens
from content.security.api_tokens import create_api_token
from content.security.authentication import authenticate
from content.security.models import ApiToken
from content.security.passwords import hash_password, verify_password
from content.users.service import principal_for
from tests.content import factories as f


def test_local_role_is_inherited_by_sub_collections(session: Session) -> None:
    north = f.collection(session, "North")
    leeds = create_collection(title="Leeds", parent_uid=north, slug=None, session=session, principal=SYSTEM)
    york = f.collection(session, "York")
    user, before = f.person(session, "contrib", "contributor")
    with pytest.raises(DomainError):
        create_collection(title="X", parent_uid=leeds.uid, slug=None, session=session, principal=before)
    grant_local_role(north, role="trainer", user_uid=user.uid, session=session, principal=SYSTEM)
    after = principal_for(user, session=session)
    made = create_collection(title="Sub", parent_uid=leeds.uid, slug=None, session=session, principal=after)
    assert made.path == "/north/leeds/sub"
    with pytest.raises(DomainError) as err:
        create_collection(title="Sub", parent_uid=york, slug=None, session=session, principal=after)
    assert err.value.code is ErrorCode.FORBIDDEN


def test_contributor_sees_and_edits_own_drafts_only(session: Session) -> None:
    coll = f.collection(session)
    user, contributor = f.person(session, "contrib", "contributor")
    grant_local_role(coll, role="contributor", user_uid=user.uid, session=session, principal=SYSTEM)
    contributor = principal_for(user, session=session)
    mine = create_case(collection_uid=coll, fields={"title": "Mine"}, session=session, principal=contributor)
    theirs = create_case(collection_uid=coll, fields={"title": "Theirs"}, session=session, principal=SYSTEM)
    page = list_cases(CaseFilter(), first=10, after=None, session=session, principal=contributor)
    assert [c.uid for c in page.cases] == [mine.uid]
    update_case(mine.uid, expected_version=1, changes={"findings": "ok"}, session=session, principal=contributor)
    with pytest.raises(DomainError) as err:
        update_case(theirs.uid, expected_version=1, changes={"findings": "no"}, session=session, principal=contributor)
    assert err.value.code is ErrorCode.NOT_FOUND


def test_api_tokens_are_hashed_scoped_and_limited_to_a_collection(session: Session) -> None:
    coll = f.collection(session, "Leeds")
    partner, _ = f.person(session, "partner-york", "partner")
    token, row = create_api_token(
        "york", scope="read", acting_user=partner, collection_path="/leeds", session=session, principal=SYSTEM
    )
    stored = session.get(ApiToken, row.uid)
    assert stored is not None and token not in stored.token_hash and stored.token_hash != token
    principal = authenticate(token, session=session, secret=b"k" * 32)
    assert principal.read_only and principal.token_collection_path == "/leeds"
    with pytest.raises(DomainError) as err:
        create_case(collection_uid=coll, fields={"title": "x"}, session=session, principal=principal)
    assert err.value.code is ErrorCode.FORBIDDEN
    with pytest.raises(DomainError) as err:
        authenticate(token + "x", session=session, secret=b"k" * 32)
    assert err.value.code is ErrorCode.UNAUTHENTICATED


def test_session_tokens_expire_and_resist_tampering() -> None:
    secret = b"s" * 32
    token = tokens.issue("u1", secret=secret, ttl_seconds=60, now=1000)
    assert tokens.verify(token, secret=secret, now=1030).subject == "u1"
    for bad in (token[:-2] + "xx", token.replace("lbs1.", "lbs2."), "garbage"):
        with pytest.raises(DomainError):
            tokens.verify(bad, secret=secret, now=1030)
    with pytest.raises(DomainError):
        tokens.verify(token, secret=secret, now=1061)
    with pytest.raises(DomainError):
        tokens.verify(token, secret=b"other" * 8, now=1030)


def test_passwords_use_argon2id() -> None:
    hashed = hash_password("correct horse battery")
    assert hashed.startswith("$argon2id$")
    assert verify_password("correct horse battery", hashed) and not verify_password("wrong", hashed)
    assert not verify_password("anything", None)
