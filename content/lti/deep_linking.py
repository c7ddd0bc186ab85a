"""Deep linking: an instructor picks a worklist or a self-study topic; the tool signs the content item.

The picker is reached only from a deep-linking launch: its form carries the launch's uid and a
one-time ticket (only its hash is stored), good for TICKET_TTL. The response is an
LtiDeepLinkingResponse JWT signed with the tool's key, posted back to the platform's return URL.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from pylti1p3.deep_link import DeepLink
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.lineitem import LineItem
from sqlmodel import Session

from content import audit
from content.base import utcnow
from content.curriculum.service import subtree
from content.errors import DomainError, ErrorCode
from content.lti.keys import signing_key
from content.lti.launch import DL_SETTINGS
from content.lti.models import LtiLaunch, LtiPlatform
from content.lti.platforms import DbToolConf
from content.lti.targets import CLAIM, Target
from content.users.models import User
from content.users.service import principal_for
from content.worklists.models import Worklist
from content.worklists.service import get_worklist, list_worklists

TICKET_TTL = timedelta(minutes=30)
SCORE_MAXIMUM = 100


@dataclass(frozen=True)
class Choice:
    """One resource the picker offers: its target claim and title."""

    target: str
    title: str


@dataclass(frozen=True)
class Response:
    """The signed response and where the browser must post it."""

    return_url: str
    jwt: str


def _launch(session: Session, launch_uid: str, ticket: str) -> tuple[LtiLaunch, User]:
    row = session.get(LtiLaunch, launch_uid[:32])
    fresh = row is not None and row.accepted and row.ticket_hash and row.at > utcnow() - TICKET_TTL
    if (
        not fresh
        or row is None
        or not hmac.compare_digest(row.ticket_hash or "", hashlib.sha256(ticket.encode()).hexdigest())
    ):
        raise DomainError(
            ErrorCode.UNAUTHENTICATED, "This choice has expired or was already made: start again from your course."
        )
    user = session.get(User, row.user_uid) if row.user_uid else None
    if user is None or not user.active:
        raise DomainError(ErrorCode.FORBIDDEN, "This person may not choose resources.")
    return row, user


def choices(launch_uid: str, ticket: str, *, session: Session) -> list[Choice]:
    """What the instructor may link: every worklist (trainers see all), self-study topics, gaps and progress."""
    _, user = _launch(session, launch_uid, ticket)
    principal = principal_for(user, session=session)
    out = [
        Choice(f"worklist:{w.uid}", f"Worklist: {w.title}")
        for w in list_worklists(session=session, principal=principal)
    ]
    out += [
        Choice(f"study:{n.code}", f"Self-study: {n.title} ({n.code})") for n in subtree(None, session=session)[:500]
    ]
    out += [Choice("study:gaps", "Self-study: my gaps"), Choice("progress", "Self-study progress")]
    return out


def respond(launch_uid: str, ticket: str, choice: str, *, launch_url: str, session: Session, secret: bytes) -> Response:
    """Sign the LtiDeepLinkingResponse for the chosen resource (the ticket is then used up)."""
    row, user = _launch(session, launch_uid, ticket)
    offered = {c.target: c.title for c in choices(launch_uid, ticket, session=session)}
    if choice not in offered:
        raise DomainError(ErrorCode.INVALID_INPUT, "Choose one of the resources offered.", field="choice")
    settings: dict[str, Any] = row.claims.get(DL_SETTINGS) or {}
    return_url = settings.get("deep_link_return_url")
    platform = session.get(LtiPlatform, row.platform_uid or "")
    if platform is None or not isinstance(return_url, str) or not return_url.startswith(("https://", "http://")):
        raise DomainError(ErrorCode.INVALID_INPUT, "The platform gave no deep-linking return URL.")
    conf = DbToolConf(session=session, key=signing_key(session=session, secret=secret))
    resource = DeepLinkResource().set_url(launch_url).set_title(offered[choice][:200])
    resource.set_custom_params({CLAIM: choice})
    target = Target(*choice.partition(":")[::2])
    if target.kind == "worklist":
        worklist: Worklist = get_worklist(target.ref, session=session, principal=principal_for(user, session=session))
        resource.set_lineitem(
            LineItem().set_score_maximum(SCORE_MAXIMUM).set_label(worklist.title[:200]).set_resource_id(worklist.uid)
        )
    link = DeepLink(conf.registration_for(platform), row.deployment_id, settings)  # type: ignore[arg-type]
    token = link.get_response_jwt([resource])
    row.ticket_hash = None  # one response per launch
    session.add(row)
    audit.record(
        session,
        principal_for(user, session=session),
        "lti.deep_link",
        "lti_launch",
        row.uid,
        target=choice,
        deployment_id=row.deployment_id,
    )
    session.commit()
    return Response(return_url, token)
