"""OIDC third-party-initiated login: the platform names itself, we answer with its authorisation URL.

The state and nonce pylti1p3 makes are stored in one `lti_nonce` row, valid for LOGIN_TTL; the
launch that follows must bring both back (content.lti.adapter, content.lti.launch).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

import sqlalchemy as sa
from pylti1p3.exception import OIDCException
from sqlmodel import Session, col

from content.base import utcnow
from content.errors import DomainError, ErrorCode
from content.lti.adapter import Login, LtiRequest, NonceStore, StateStore
from content.lti.models import LtiNonce
from content.lti.platforms import DbToolConf

LOGIN_TTL = timedelta(minutes=10)
# Used and expired rows are kept a day (for an investigation of a replay), then pruned at the next login.
KEEP = timedelta(days=1)


def begin_login(params: Mapping[str, str], *, launch_url: str, secure: bool, session: Session) -> str:
    """The platform's authorisation URL to redirect to; FORBIDDEN for an unregistered platform."""
    conf = DbToolConf(session=session, key=None)
    request = LtiRequest(params, secure=secure)
    nonces, states = NonceStore(session, request), StateStore(session)
    login = Login(request, conf, nonces, states)
    try:
        url = login.redirect(launch_url)
    except OIDCException as exc:
        if "registration" in str(exc).lower():
            raise DomainError(ErrorCode.FORBIDDEN, "This platform (issuer) is not registered in Lightbox.") from exc
        raise DomainError(ErrorCode.INVALID_INPUT, f"The login request is incomplete: {exc}.") from exc
    if conf.platform is None or states.issued is None or nonces.issued is None:
        raise DomainError(ErrorCode.INVALID_INPUT, "The login request could not be completed.")
    now = utcnow()
    session.execute(sa.delete(LtiNonce).where(col(LtiNonce.expires) < now - KEEP))
    session.add(
        LtiNonce(state=states.issued, nonce=nonces.issued, platform_uid=conf.platform.uid, expires=now + LOGIN_TTL)
    )
    session.commit()
    return str(url)
