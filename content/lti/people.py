"""Who a launch is: the person linked to the platform's `sub`, else one matched by email, else a new one."""

from __future__ import annotations

import hashlib
import re

import sqlalchemy as sa
from sqlmodel import Session, col, select

from content.errors import DomainError, ErrorCode
from content.lti.models import LtiPlatform, LtiUserLink
from content.principal import SYSTEM
from content.security.roles import Role
from content.users.models import User
from content.users.service import add_user

_NOT_NAME = re.compile(r"[^a-z0-9._-]+")


def _username(session: Session, email: str | None, platform: LtiPlatform, sub: str) -> str:
    digest = hashlib.sha256(f"{platform.issuer}\n{sub}".encode()).hexdigest()[:8]
    base = _NOT_NAME.sub("-", (email or "").split("@")[0].lower()).strip("-._")[:40]
    for candidate in ([base] if len(base) >= 2 else []) + [f"{base or 'lti'}-{digest}"]:
        if session.exec(select(User.uid).where(User.username == candidate)).first() is None:
            return candidate
    return f"lti-{hashlib.sha256(f'{platform.uid}{sub}'.encode()).hexdigest()[:20]}"


def _by_email(session: Session, email: str, platform: LtiPlatform) -> User | None:
    """A person with this email who may be claimed by a platform: active, not an administrator, and
    not already someone else (another `sub`) on this platform."""
    rows = list(session.exec(select(User).where(sa.func.lower(col(User.email)) == email.lower()).limit(2)))
    if len(rows) != 1:
        return None  # none, or ambiguous: make a new person rather than guess
    user = rows[0]
    linked = session.exec(
        select(LtiUserLink.uid).where(LtiUserLink.platform_uid == platform.uid, LtiUserLink.user_uid == user.uid)
    ).first()
    return user if user.active and Role.ADMINISTRATOR.value not in user.roles and linked is None else None


def person_for(
    platform: LtiPlatform,
    sub: str,
    *,
    email: str | None,
    name: str | None,
    roles: list[Role],
    session: Session,
) -> tuple[User, bool]:
    """The launching person (linked on first launch) and whether they were created now; roles only for new people."""
    link = session.exec(
        select(LtiUserLink).where(LtiUserLink.platform_uid == platform.uid, LtiUserLink.sub == sub)
    ).first()
    created = False
    if link is not None:
        user = session.get(User, link.user_uid)
        assert user is not None  # a foreign key
    else:
        found = _by_email(session, email, platform) if email else None
        if found is None:
            # add_user commits: the launch has been checked in full and its nonce consumed before this.
            found = add_user(
                _username(session, email, platform, sub),
                roles=[r.value for r in roles],
                password=None,
                display_name=(name or "").strip()[:200] or None,
                email=email,
                session=session,
                principal=SYSTEM,
            )
            created = True
        user = found
        session.add(LtiUserLink(platform_uid=platform.uid, sub=sub, user_uid=user.uid, email=email))
        session.flush()
    if not user.active:
        raise DomainError(ErrorCode.FORBIDDEN, "this person's Lightbox account is deactivated")
    return user, created
