"""Local roles: grant and revoke reach the catalog's allowed principals; nobody shares more than they hold."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from content.audit import AuditEvent
from content.cases.service import create_case
from content.collections.local_roles import grant_local_role, list_local_roles, revoke_local_role
from content.errors import DomainError, ErrorCode
from content.partners.models import PartnerCreate
from content.partners.service import create_partner
from content.principal import SYSTEM, Principal
from content.security.models import LocalRoleGrant
from content.security.roles import Role
from content.users.cohorts import create_cohort
from content.users.models import User
from content.users.service import add_to_cohort, add_user, principal_for
from search import SearchBackend
from search.service import CaseSearchRequest, search_cases
from tests.content import factories as f


def _person(session: Session, username: str, role: str) -> tuple[User, Principal]:
    user = add_user(username, roles=[role], password=None, session=session, principal=SYSTEM)
    return user, principal_for(user, session=session)


def _code(call: object, *args: object, **kwargs: object) -> ErrorCode:
    with pytest.raises(DomainError) as err:
        call(*args, **kwargs)  # type: ignore[operator]
    return err.value.code


def _found(session: Session, catalog: SearchBackend, principal: Principal, text: str) -> list[str]:
    result = search_cases(CaseSearchRequest(text=text), session=session, principal=principal, catalog=catalog)
    return [h.case_id for h in result.hits]


def test_grant_and_revoke_change_what_search_finds(session: Session, catalog: SearchBackend) -> None:
    north = f.collection(session, "North")
    _, author = _person(session, "author", "trainer")
    _, admin = _person(session, "adam", "administrator")
    helper_user, _ = _person(session, "helper", "contributor")
    draft = create_case(
        collection_uid=north, fields={"title": "Aortic dissection"}, session=session, principal=author
    ).uid
    helper = principal_for(helper_user, session=session)
    assert _found(session, catalog, helper, "aortic") == []
    grant = grant_local_role(north, role="trainer", user_uid=helper_user.uid, session=session, principal=admin)
    helper = principal_for(helper_user, session=session)
    assert _found(session, catalog, helper, "aortic") == [draft]
    gone = revoke_local_role(grant.uid, session=session, principal=admin)
    assert (gone.uid, gone.role) == (grant.uid, "trainer") and session.get(LocalRoleGrant, grant.uid) is None
    helper = principal_for(helper_user, session=session)
    assert helper.local_roles == () and _found(session, catalog, helper, "aortic") == []
    actions = session.exec(
        select(AuditEvent.action).where(AuditEvent.object_uid == north).order_by(AuditEvent.id)
    ).all()  # type: ignore[arg-type]
    assert actions[-2:] == ["localrole.grant", "localrole.revoke"]


def test_a_cohort_grant_reaches_its_members_in_search(session: Session, catalog: SearchBackend) -> None:
    north = f.collection(session, "North")
    _, author = _person(session, "author", "trainer")
    _, admin = _person(session, "adam", "administrator")
    carl_user, _ = _person(session, "carl", "contributor")
    cohort = create_cohort("Registrars", session=session, principal=admin)
    add_to_cohort(cohort.uid, carl_user.uid, session=session, principal=SYSTEM)
    draft = create_case(
        collection_uid=north, fields={"title": "Splenic laceration"}, session=session, principal=author
    ).uid
    grant = grant_local_role(north, role="trainer", cohort_uid=cohort.uid, session=session, principal=admin)
    assert _found(session, catalog, principal_for(carl_user, session=session), "splenic") == [draft]
    revoke_local_role(grant.uid, session=session, principal=admin)
    assert _found(session, catalog, principal_for(carl_user, session=session), "splenic") == []


def test_nobody_shares_a_role_carrying_permissions_they_lack(session: Session) -> None:
    north = f.collection(session, "North")
    _, trainer = _person(session, "tess", "trainer")
    _, admin = _person(session, "adam", "administrator")
    ann, _ = _person(session, "ann", "trainee")
    for role in ("contributor", "trainee", "trainer"):
        grant_local_role(north, role=role, user_uid=ann.uid, session=session, principal=trainer)
    for role in ("validator", "administrator"):
        assert (
            _code(grant_local_role, north, role=role, user_uid=ann.uid, session=session, principal=trainer)
            is ErrorCode.FORBIDDEN
        )
    validator_grant = grant_local_role(north, role="validator", user_uid=ann.uid, session=session, principal=admin)
    assert _code(revoke_local_role, validator_grant.uid, session=session, principal=trainer) is ErrorCode.FORBIDDEN
    revoke_local_role(validator_grant.uid, session=session, principal=admin)
    # Holding validator locally, a trainer may share it there (and only there).
    tess = session.exec(select(User).where(User.username == "tess")).one()
    grant_local_role(north, role="validator", user_uid=tess.uid, session=session, principal=admin)
    local_validator = principal_for(tess, session=session)
    grant_local_role(north, role="validator", user_uid=ann.uid, session=session, principal=local_validator)
    south = f.collection(session, "South")
    assert (
        _code(grant_local_role, south, role="validator", user_uid=ann.uid, session=session, principal=local_validator)
        is ErrorCode.FORBIDDEN
    )


def test_grants_need_one_grantee_a_known_role_and_are_not_repeated(session: Session) -> None:
    north = f.collection(session, "North")
    _, admin = _person(session, "adam", "administrator")
    ann, trainee = _person(session, "ann", "trainee")
    cohort = create_cohort("ST1", session=session, principal=admin)
    cases = [
        dict(role="trainee"),
        dict(role="trainee", user_uid=ann.uid, cohort_uid=cohort.uid),
        dict(role="owner", user_uid=ann.uid),
        dict(role="wizard", user_uid=ann.uid),
    ]
    for kwargs in cases:
        assert _code(grant_local_role, north, session=session, principal=admin, **kwargs) is ErrorCode.INVALID_INPUT
    assert (
        _code(grant_local_role, north, role="trainee", user_uid="nobody", session=session, principal=admin)
        is ErrorCode.NOT_FOUND
    )
    assert (
        _code(grant_local_role, "nothing", role="trainee", user_uid=ann.uid, session=session, principal=admin)
        is ErrorCode.NOT_FOUND
    )
    grant_local_role(north, role="Trainee", user_uid=ann.uid, session=session, principal=admin)
    assert (
        _code(grant_local_role, north, role="trainee", user_uid=ann.uid, session=session, principal=admin)
        is ErrorCode.DUPLICATE
    )
    assert (
        _code(grant_local_role, north, role="trainee", user_uid=ann.uid, session=session, principal=trainee)
        is ErrorCode.FORBIDDEN
    )
    assert _code(revoke_local_role, "nothing", session=session, principal=admin) is ErrorCode.NOT_FOUND
    assert principal_for(ann, session=session).local_roles == (("/north", Role.TRAINEE),)


def test_listing_shows_people_and_cohorts_not_partners(session: Session) -> None:
    north = f.collection(session, "North")
    _, admin = _person(session, "adam", "administrator")
    _, trainee = _person(session, "ann", "trainee")
    val, _ = _person(session, "val", "validator")
    cohort = create_cohort("ST1", session=session, principal=admin)
    partner = create_partner(PartnerCreate(name="School", collection_uids=[north]), session=session, principal=SYSTEM)
    by_user = grant_local_role(north, role="validator", user_uid=val.uid, session=session, principal=admin)
    by_cohort = grant_local_role(north, role="trainee", cohort_uid=cohort.uid, session=session, principal=admin)
    listed = list_local_roles(north, session=session, principal=admin)
    assert {g.uid for g in listed} == {by_user.uid, by_cohort.uid}
    partner_grant = session.exec(select(LocalRoleGrant).where(LocalRoleGrant.principal_uid == partner.uid)).one()
    assert _code(revoke_local_role, partner_grant.uid, session=session, principal=admin) is ErrorCode.NOT_FOUND
    assert _code(list_local_roles, north, session=session, principal=trainee) is ErrorCode.FORBIDDEN
