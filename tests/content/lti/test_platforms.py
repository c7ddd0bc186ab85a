"""Registering platforms: administrators only, URLs checked, a deployment added to a known platform."""

from __future__ import annotations

import pytest
from sqlmodel import Session, func, select

from content.audit import AuditEvent
from content.errors import DomainError, ErrorCode
from content.lti.models import LtiDeployment, LtiPlatform
from content.lti.platforms import PlatformInput, list_platforms, register_platform
from content.principal import SYSTEM
from tests.content import factories as f

GOOD = PlatformInput(
    "https://vle.school.example",
    "client-1",
    "dep-1",
    "https://vle.school.example/auth",
    "https://vle.school.example/token",
    "https://vle.school.example/jwks",
    "School VLE",
)


def _count(session: Session, table: type) -> int:
    return int(session.exec(select(func.count()).select_from(table)).one())


def test_register_then_add_a_deployment(session: Session) -> None:
    platform, deployments = register_platform(GOOD, session=session, principal=SYSTEM)
    assert deployments == ["dep-1"] and platform.name == "School VLE"
    again, deployments = register_platform(
        PlatformInput(**{**GOOD.__dict__, "deployment_id": "dep-2", "token_url": "https://vle.school.example/t2"}),
        session=session,
        principal=SYSTEM,
    )
    assert again.uid == platform.uid and deployments == ["dep-1", "dep-2"] and again.token_url.endswith("/t2")
    assert [(p.issuer, d) for p, d in list_platforms(session=session, principal=SYSTEM)] == [
        ("https://vle.school.example", ["dep-1", "dep-2"])
    ]
    assert _count(session, AuditEvent) == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"issuer": "vle.school.example"}, "issuer"),
        ({"auth_url": "javascript:alert(1)"}, "auth_url"),
        ({"jwks_url": "https://" + "x" * 1000}, "jwks_url"),
        ({"client_id": "  "}, "clientId"),
        ({"deployment_id": "d" * 300}, "deploymentId"),
    ],
)
def test_bad_registrations_are_refused_and_nothing_is_written(
    session: Session, change: dict[str, str], field: str
) -> None:
    with pytest.raises(DomainError) as refused:
        register_platform(PlatformInput(**{**GOOD.__dict__, **change}), session=session, principal=SYSTEM)
    assert (refused.value.code, refused.value.field) == (ErrorCode.INVALID_INPUT, field)
    session.rollback()
    assert (_count(session, LtiPlatform), _count(session, LtiDeployment), _count(session, AuditEvent)) == (0, 0, 0)


@pytest.mark.parametrize("role", ["trainer", "trainee", "validator", "contributor"])
def test_only_administrators_register_or_list(session: Session, role: str) -> None:
    _, who = f.person(session, f"p-{role}", role)
    with pytest.raises(DomainError) as refused:
        register_platform(GOOD, session=session, principal=who)
    assert refused.value.code is ErrorCode.FORBIDDEN
    with pytest.raises(DomainError):
        list_platforms(session=session, principal=who)
    session.rollback()
    assert _count(session, LtiPlatform) == 0
