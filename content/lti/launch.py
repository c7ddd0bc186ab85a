"""A launch from a platform: checked in full, then the person signed in and the named resource opened.

Every launch writes an `lti_launch` row and an audit event, accepted or refused. A refused launch
rolls back everything it began (no person, link or session is left behind) before the refusal
is recorded in a transaction of its own.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeAlias

import sqlalchemy as sa
from pylti1p3.exception import LtiException
from sqlmodel import Session, col

from content import audit
from content.base import utcnow
from content.errors import DomainError, ErrorCode
from content.lti import targets
from content.lti.adapter import Launch, LtiRequest, NonceStore, StateStore
from content.lti.keys import signing_key
from content.lti.models import LtiLaunch, LtiLineItem, LtiNonce, LtiPlatform
from content.lti.people import person_for
from content.lti.platforms import DbToolConf
from content.lti.roles import lightbox_roles
from content.principal import ANONYMOUS
from content.security.roles import Role
from content.security.sessions import open_session
from content.users.models import User
from content.users.service import principal_for

KeySet: TypeAlias = Callable[[str], dict[str, Any]]
LTI = "https://purl.imsglobal.org/spec/lti/claim/"
AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
DL_SETTINGS = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
DEEP_LINKING = "LtiDeepLinkingRequest"
# Claims kept on the launch row (no names or email: the person row holds those).
KEPT = (
    f"{LTI}message_type",
    f"{LTI}deployment_id",
    f"{LTI}target_link_uri",
    f"{LTI}resource_link",
    f"{LTI}context",
    f"{LTI}custom",
    f"{LTI}roles",
    AGS,
    DL_SETTINGS,
)

# pylti1p3's refusals (its messages) → our code and the sentence the error page shows.
REFUSALS: tuple[tuple[str, ErrorCode, str], ...] = (
    ("Missing state", ErrorCode.INVALID_INPUT, "The launch carries no state: start it again from your course."),
    ("State not found", ErrorCode.UNAUTHENTICATED, "This launch's login is unknown or has expired: start it again."),
    ("Missing id_token", ErrorCode.INVALID_INPUT, "The launch carries no id_token."),
    ("Invalid id_token", ErrorCode.INVALID_INPUT, "The id_token is not a JWT."),
    ("Invalid JWT format", ErrorCode.INVALID_INPUT, "The id_token is not a JWT."),
    ('"nonce" is empty', ErrorCode.INVALID_INPUT, "The id_token has no nonce."),
    ("Invalid Nonce", ErrorCode.UNAUTHENTICATED, "This launch was already used (a replayed nonce): start it again."),
    ("Client id not registered", ErrorCode.UNAUTHENTICATED, "The id_token is for another tool (wrong audience)."),
    ("Signature has expired", ErrorCode.UNAUTHENTICATED, "The id_token has expired: start the launch again."),
    ("Can't decode id_token", ErrorCode.UNAUTHENTICATED, "The id_token's signature or claims do not verify."),
    ("JWT KID not found", ErrorCode.UNAUTHENTICATED, "The id_token names no signing key."),
    (
        "Unable to find public key",
        ErrorCode.UNAUTHENTICATED,
        "The id_token is signed with a key the platform does not publish.",
    ),
    ("Error during fetch", ErrorCode.INVALID_INPUT, "The platform's public keys could not be fetched."),
    ("Invalid response from", ErrorCode.INVALID_INPUT, "The platform's public keys could not be read."),
    ("deployment_id is not set", ErrorCode.INVALID_INPUT, "The id_token names no deployment id."),
    ("Unable to find deployment", ErrorCode.FORBIDDEN, "This deployment of the tool is not registered in Lightbox."),
)
MISSES = {
    "issuer": (ErrorCode.FORBIDDEN, "This platform (issuer) is not registered in Lightbox."),
    "audience": (ErrorCode.UNAUTHENTICATED, "The id_token is for another tool (wrong audience)."),
}


@dataclass(frozen=True)
class Accepted:
    """An accepted launch: the person, their new session's token, and where to send them."""

    launch_uid: str
    user: User
    token: str
    page: str
    deep_linking: bool
    ticket: str | None


def _refusal(exc: Exception, miss: str | None) -> DomainError:
    text = str(exc)
    if text.startswith("Registration not found") and miss in MISSES:
        code, message = MISSES[miss]
        return DomainError(code, message)
    for prefix, code, message in REFUSALS:
        if prefix in text:
            return DomainError(code, message)
    return DomainError(ErrorCode.INVALID_INPUT, "The launch message is not a valid LTI 1.3 launch.")


def _unverified(params: Mapping[str, str]) -> dict[str, Any]:
    """The claims of a refused id_token, for the audit only (never trusted)."""
    try:
        part = (params.get("id_token") or "").split(".")[1]
        body = json.loads(Launch.urlsafe_b64decode(part))
        return body if isinstance(body, dict) else {}
    except (IndexError, ValueError, UnicodeDecodeError):
        return {}


def _text(value: object, limit: int) -> str:
    # No database stores U+0000 in text, and a refused token's claims are anyone's.
    return value.replace("\x00", "")[:limit] if isinstance(value, str) else ""


def record_refusal(params: Mapping[str, str], error: DomainError, *, session: Session) -> None:
    """Audit a refused launch in a transaction of its own (the caller rolled back what the launch began)."""
    body = _unverified(params)
    row = LtiLaunch(
        issuer=_text(body.get("iss"), 500),
        sub=_text(body.get("sub"), 255),
        deployment_id=_text(body.get(f"{LTI}deployment_id"), 255),
        message_type=_text(body.get(f"{LTI}message_type"), 60),
        accepted=False,
        reason=f"{error.code.value}: {error.message}"[:500],
    )
    session.add(row)
    session.flush()
    audit.record(session, ANONYMOUS, "lti.launch.refused", "lti_launch", row.uid, issuer=row.issuer, reason=row.reason)
    session.commit()


def _consume(session: Session, state: str) -> None:
    """Mark the login's nonce used; a second launch of it (even at the same moment) finds nothing to mark."""
    done = session.execute(
        sa.update(LtiNonce)
        .where(col(LtiNonce.state) == state, col(LtiNonce.used_at).is_(None))
        .values(used_at=utcnow())
    ).rowcount  # type: ignore[attr-defined]
    if not done:
        raise DomainError(ErrorCode.UNAUTHENTICATED, "This launch was already used (a replayed nonce): start it again.")


def _validate(
    params: Mapping[str, str], *, secure: bool, session: Session, secret: bytes, key_set: KeySet
) -> tuple[dict[str, Any], LtiPlatform]:
    conf = DbToolConf(session=session, key=signing_key(session=session, secret=secret), key_set=key_set)
    request = LtiRequest(params, secure=secure)
    launch = Launch(request, conf, NonceStore(session, request), StateStore(session))
    # exp and iat must be present (PyJWT checks exp is in the future); the audience is checked against
    # the registration (pylti1p3 matches aud to the client id) rather than by PyJWT.
    launch.set_jwt_verify_options({"verify_aud": False, "require": ["exp", "iat"]})  # type: ignore[dict-item]
    try:
        launch.validate()
    except LtiException as exc:
        raise _refusal(exc, conf.miss) from exc
    except (ValueError, TypeError, KeyError, AttributeError) as exc:  # a claim of the wrong shape
        raise DomainError(ErrorCode.INVALID_INPUT, "The launch message is not a valid LTI 1.3 launch.") from exc
    if conf.platform is None:  # validate() found the registration, so this is a bug guard
        raise DomainError(ErrorCode.FORBIDDEN, "This platform (issuer) is not registered in Lightbox.")
    return dict(launch.get_launch_data()), conf.platform


def _line_item(session: Session, platform: LtiPlatform, body: dict[str, Any], target: targets.Target) -> None:
    """Remember the launch's gradebook column for a worklist, so marking can send scores to it."""
    endpoint = body.get(AGS)
    if target.kind != "worklist" or not isinstance(endpoint, dict):
        return
    url, scopes = endpoint.get("lineitem"), endpoint.get("scope")
    if (
        not isinstance(url, str)
        or not url
        or len(url) > 1000
        or not isinstance(scopes, list)
        or SCORE_SCOPE not in scopes
    ):
        return
    exists = session.exec(
        sa.select(LtiLineItem.uid).where(  # type: ignore[call-overload]
            col(LtiLineItem.platform_uid) == platform.uid, col(LtiLineItem.lineitem_url) == url
        )
    ).first()
    if exists is None:
        session.add(
            LtiLineItem(
                platform_uid=platform.uid,
                deployment_id=_text(body.get(f"{LTI}deployment_id"), 255),
                worklist_uid=target.ref,
                lineitem_url=url,
                scopes=[s for s in scopes if isinstance(s, str)][:10],
            )
        )


def accept_launch(
    params: Mapping[str, str],
    *,
    secure: bool,
    session: Session,
    secret: bytes,
    ttl_seconds: int,
    ids: targets.Ids,
    key_set: KeySet,
) -> Accepted:
    """Check a launch (state, nonce, issuer, audience, signature, expiry, deployment), sign the person in.

    A refusal is a DomainError (INVALID_INPUT, UNAUTHENTICATED or FORBIDDEN), already audited."""
    try:
        body, platform = _validate(params, secure=secure, session=session, secret=secret, key_set=key_set)
        _consume(session, params.get("state") or "")
        roles = lightbox_roles(body.get(f"{LTI}roles") or [])
        if not roles:
            raise DomainError(
                ErrorCode.FORBIDDEN, "Your role in the course (for example Mentor) has no place in Lightbox."
            )
        deep_linking = body.get(f"{LTI}message_type") == DEEP_LINKING
        if deep_linking and Role.TRAINER not in roles:
            raise DomainError(ErrorCode.FORBIDDEN, "Only instructors may choose Lightbox resources for a course.")
        target = (
            targets.Target("page", "/ui")
            if deep_linking
            else targets.parse(body.get(f"{LTI}custom"), body.get(f"{LTI}target_link_uri"))
        )
        if not body.get("sub"):
            raise DomainError(ErrorCode.INVALID_INPUT, "The id_token names no person (sub).")
        targets.check(target, session=session)  # before anyone is created: nothing half-written
        email = _text(body.get("email"), 300) or None
        user, created = person_for(
            platform,
            _text(body.get("sub"), 255),
            email=email,
            name=_text(body.get("name"), 200),
            roles=roles,
            session=session,
        )
        page = targets.page_of(
            target,
            user_uid=user.uid,
            is_trainer=Role.TRAINER.value in user.roles or Role.ADMINISTRATOR.value in user.roles,
            session=session,
            ids=ids,
        )
        _line_item(session, platform, body, target)
        ticket = secrets.token_urlsafe(32) if deep_linking else None
        row = LtiLaunch(
            platform_uid=platform.uid,
            issuer=platform.issuer,
            sub=_text(body.get("sub"), 255),
            deployment_id=_text(body.get(f"{LTI}deployment_id"), 255),
            message_type=_text(body.get(f"{LTI}message_type"), 60),
            user_uid=user.uid,
            accepted=True,
            target=page[:1000],
            ticket_hash=hashlib.sha256(ticket.encode()).hexdigest() if ticket else None,
            claims={k: body[k] for k in KEPT if k in body},
        )
        session.add(row)
        token = open_session(user, session=session, secret=secret, ttl_seconds=ttl_seconds)
        session.flush()
        audit.record(
            session,
            principal_for(user, session=session),
            "lti.launch",
            "lti_launch",
            row.uid,
            issuer=platform.issuer,
            message_type=row.message_type,
            target=page,
            created_person=created,
        )
        session.commit()
        return Accepted(row.uid, user, token, page, deep_linking, ticket)
    except DomainError as exc:
        session.rollback()
        record_refusal(params, exc, session=session)
        raise
