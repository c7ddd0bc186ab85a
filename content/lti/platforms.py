"""Registering VLE platforms (administrators), and pylti1p3's tool configuration read from those rows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from pylti1p3.deployment import Deployment
from pylti1p3.registration import Registration
from pylti1p3.tool_config import ToolConfAbstract
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from content import audit
from content.errors import DomainError, ErrorCode
from content.lti.keys import ToolKey
from content.lti.models import LtiDeployment, LtiPlatform
from content.principal import Principal
from content.security.policy import require
from content.security.roles import Permission

MAX_URL = 1000


@dataclass(frozen=True)
class PlatformInput:
    """What an administrator gives to register a platform (or add a deployment to one)."""

    issuer: str
    client_id: str
    deployment_id: str
    auth_url: str
    token_url: str
    jwks_url: str
    name: str = ""


def _url(value: str, field: str) -> str:
    value = value.strip()
    parts = urlsplit(value)
    if len(value) > MAX_URL or parts.scheme not in ("https", "http") or not parts.netloc:
        raise DomainError(
            ErrorCode.INVALID_INPUT, f"{field}: an http(s) URL of at most {MAX_URL} characters", field=field
        )
    return value


def _text(value: str, field: str, limit: int) -> str:
    value = value.strip()
    if not value or len(value) > limit:
        raise DomainError(ErrorCode.INVALID_INPUT, f"{field}: 1 to {limit} characters", field=field)
    return value


def register_platform(data: PlatformInput, *, session: Session, principal: Principal) -> tuple[LtiPlatform, list[str]]:
    """Register a platform by issuer and client id, or add a deployment id to one; it and its deployment ids."""
    require(principal, Permission.MANAGE_USERS)
    issuer = _url(data.issuer, "issuer")
    client_id = _text(data.client_id, "clientId", 200)
    deployment_id = _text(data.deployment_id, "deploymentId", 255)
    urls = {f: _url(getattr(data, f), f) for f in ("auth_url", "token_url", "jwks_url")}
    platform = session.exec(
        select(LtiPlatform).where(LtiPlatform.issuer == issuer, LtiPlatform.client_id == client_id)
    ).first()
    if platform is None:
        platform = LtiPlatform(
            issuer=issuer,
            client_id=client_id,
            name=data.name.strip()[:200],
            auth_url=urls["auth_url"],
            token_url=urls["token_url"],
            jwks_url=urls["jwks_url"],
        )
    else:  # endpoints move (a VLE upgrade): the newest registration says where they are
        for field, value in urls.items():
            setattr(platform, field, value)
    session.add(platform)
    session.flush()
    exists = session.exec(
        select(LtiDeployment).where(
            LtiDeployment.platform_uid == platform.uid, LtiDeployment.deployment_id == deployment_id
        )
    ).first()
    if exists is None:
        session.add(LtiDeployment(platform_uid=platform.uid, deployment_id=deployment_id))
    try:
        session.flush()
    except IntegrityError as exc:  # registered by someone else at the same moment
        session.rollback()
        raise DomainError(ErrorCode.DUPLICATE, "this platform was just registered; try again", field="issuer") from exc
    audit.record(
        session,
        principal,
        "lti.platform.register",
        "lti_platform",
        platform.uid,
        issuer=issuer,
        client_id=client_id,
        deployment_id=deployment_id,
    )
    session.commit()
    return platform, _deployment_ids(session, platform.uid)


def _deployment_ids(session: Session, platform_uid: str) -> list[str]:
    stmt = select(LtiDeployment.deployment_id).where(LtiDeployment.platform_uid == platform_uid)
    return sorted(session.exec(stmt))


def list_platforms(*, session: Session, principal: Principal) -> list[tuple[LtiPlatform, list[str]]]:
    """Every registered platform with its deployment ids (administrators)."""
    require(principal, Permission.MANAGE_USERS)
    platforms = list(session.exec(select(LtiPlatform).order_by(col(LtiPlatform.issuer), col(LtiPlatform.client_id))))
    deployments: dict[str, list[str]] = {}
    for row in session.exec(select(LtiDeployment).order_by(col(LtiDeployment.deployment_id))):
        deployments.setdefault(row.platform_uid, []).append(row.deployment_id)
    return [(p, deployments.get(p.uid, [])) for p in platforms]


def find_platform(issuer: str, client_id: str | None, *, session: Session) -> LtiPlatform | None:
    """The platform of an issuer and client id (without a client id: the issuer's only registration)."""
    stmt = select(LtiPlatform).where(LtiPlatform.issuer == issuer)
    if client_id:
        stmt = stmt.where(LtiPlatform.client_id == client_id)
    rows = list(session.exec(stmt.limit(2)))
    return rows[0] if len(rows) == 1 else None


class DbToolConf(ToolConfAbstract[Any]):
    """pylti1p3's tool configuration, read from the registered platforms at the moment it is asked.

    It also says why a lookup failed (`miss`): an unknown issuer and a known issuer with another
    audience are different refusals for the person reading the error page.
    """

    def __init__(
        self, *, session: Session, key: ToolKey | None, key_set: Callable[[str], dict[str, Any]] | None = None
    ) -> None:
        super().__init__()
        # key_set fetches a platform's JWKS (integrations.lti.keysets): content does no HTTP itself.
        self.session, self.key, self.key_set = session, key, key_set
        self.miss: str | None = None
        self.platform: LtiPlatform | None = None

    def check_iss_has_one_client(self, iss: str) -> bool:
        return False  # one issuer may register several client ids

    def check_iss_has_many_clients(self, iss: str) -> bool:
        return True

    def _registration(self, platform: LtiPlatform) -> Registration:
        reg = Registration()
        reg.set_issuer(platform.issuer).set_client_id(platform.client_id).set_auth_login_url(platform.auth_url)
        reg.set_auth_token_url(platform.token_url).set_key_set_url(platform.jwks_url)
        if self.key_set is not None:
            reg.set_key_set(self.key_set(platform.jwks_url))  # type: ignore[arg-type]
        if self.key is not None:
            reg.set_tool_private_key(self.key.private_pem).set_tool_public_key(self.key.public_pem)
        return reg

    def find_registration_by_issuer(self, iss: str, *args: Any, **kwargs: Any) -> Registration | None:  # type: ignore[override]
        return self.find_registration_by_params(iss, "", *args, **kwargs)

    def find_registration_by_params(  # type: ignore[override]
        self, iss: str, client_id: str, *args: Any, **kwargs: Any
    ) -> Registration | None:
        platform = find_platform(iss, client_id or None, session=self.session)
        if platform is None:
            known = self.session.exec(select(LtiPlatform.uid).where(LtiPlatform.issuer == iss)).first()
            self.miss = "audience" if known else "issuer"
            return None
        self.platform = platform
        return self._registration(platform)

    def find_deployment(self, iss: str, deployment_id: str) -> Deployment | None:
        return self.find_deployment_by_params(iss, deployment_id, "")

    def find_deployment_by_params(
        self, iss: str, deployment_id: str, client_id: str, *args: Any, **kwargs: Any
    ) -> Deployment | None:
        platform = find_platform(iss, client_id or None, session=self.session)
        if platform is None:
            return None
        row = self.session.exec(
            select(LtiDeployment).where(
                LtiDeployment.platform_uid == platform.uid, LtiDeployment.deployment_id == deployment_id
            )
        ).first()
        if row is None:
            self.miss = "deployment"
            return None
        return Deployment().set_deployment_id(deployment_id)

    def registration_for(self, platform: LtiPlatform) -> Registration:
        """The registration of a known platform (deep linking responses and grade services)."""
        return self._registration(platform)
