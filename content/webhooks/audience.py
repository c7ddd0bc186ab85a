"""Who may hear of an event: the subscriber's principal, asked through the one permission machinery."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session

from content.cases.models import Case
from content.cases.versions import visible_view
from content.errors import DomainError
from content.partners.access import principal_for_partner
from content.principal import Principal
from content.security.policy import may
from content.security.roles import Permission
from content.users.models import User
from content.users.service import principal_for
from content.webhooks.models import WebhookSubscription
from content.workflow import State
from content.worklists.access import is_trainer


def subscriber(session: Session, sub: WebhookSubscription) -> Principal | None:
    """The principal the subscription acts as: its owner, narrowed as the credential that subscribed was.

    None (nothing is sent) when the account is disabled or its partner organisation is gone.
    """
    user = session.get(User, sub.owner_uid)
    if user is None or not user.active:
        return None
    if sub.partner_uid is not None:
        return _partner_principal(session, sub.partner_uid, user)
    return principal_for(user, session=session, token_scope=sub.token_scope, token_collection_path=sub.scope_path)


def _partner_principal(session: Session, partner_uid: str, user: User) -> Principal | None:
    """The partner's principal, with its collections read now; fails closed if partners are unavailable."""
    try:
        return principal_for_partner(partner_uid, user, session=session)
    except DomainError:
        return None


def may_view_case(session: Session, principal: Principal, case: Case, states: Iterable[str]) -> bool:
    """A transition is news to whoever may view the case on either side of it.

    So a retirement reaches the partners who could see the validated case until now, while a
    draft moving about reaches only its editors.
    """
    return any(may(principal, Permission.VIEW, case, state=State(s)) for s in states)


def may_view_assignment(principal: Principal, trainee_uid: str) -> bool:
    """As content.worklists.assignments.get_assignment: the trainee's own, or any for a trainer."""
    return principal.user_id == trainee_uid or is_trainer(principal)


def may_view_report(session: Session, principal: Principal, trainee_uid: str, case_uid: str) -> bool:
    """As content.worklists.reports.get_report for a submitted report, and the case must be visible too."""
    if not (principal.user_id == trainee_uid or is_trainer(principal)):
        return False
    case = session.get(Case, case_uid)
    return case is not None and visible_view(principal, case) is not None
