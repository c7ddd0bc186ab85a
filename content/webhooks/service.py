"""Subscriptions: create (the secret is returned once), list, read and delete, with the checks here."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from content import audit
from content.errors import DomainError, ErrorCode
from content.principal import Principal
from content.webhooks.access import owned_by, partner_of, require_manager
from content.webhooks.event_types import WebhookEventType
from content.webhooks.keys import derive_secret, key_id, new_salt
from content.webhooks.models import DeliveryState, WebhookDelivery, WebhookSubscription
from content.webhooks.targets import TargetPolicy, TargetRefused, Unresolvable, resolve

MAX_SUBSCRIPTIONS = 25  # active subscriptions per account
MAX_URL = 2000


def check_url(url: str) -> str:
    """An absolute http(s) URL without credentials; where it may point is `check_target`'s question."""
    url = url.strip()
    parts = urlsplit(url)
    if len(url) > MAX_URL or parts.scheme not in {"http", "https"} or not parts.hostname:
        raise DomainError(ErrorCode.INVALID_INPUT, "an absolute http(s) URL of at most 2000 characters", field="url")
    if parts.username or parts.password:
        raise DomainError(
            ErrorCode.INVALID_INPUT, "no credentials in the URL: verify the signature instead", field="url"
        )
    if parts.fragment:
        raise DomainError(ErrorCode.INVALID_INPUT, "no fragment in the URL", field="url")
    return url


def check_events(names: Sequence[str]) -> list[str]:
    """The event names asked for, known ones only; INVALID_INPUT (field `events`) otherwise."""
    known = {t.value for t in WebhookEventType} | {t.name for t in WebhookEventType}
    if not names or any(n not in known for n in names):
        raise DomainError(
            ErrorCode.INVALID_INPUT, "one or more of " + ", ".join(t.name for t in WebhookEventType), field="events"
        )
    values = {WebhookEventType[n].value if n in WebhookEventType.__members__ else n for n in names}
    return [t.value for t in WebhookEventType if t.value in values]


def check_target(url: str, policy: TargetPolicy) -> None:
    """Refuse at subscription what the dispatcher would refuse at send, so a partner learns now.

    A name that does not resolve yet is accepted (the partner may still be setting it up); every
    send checks again, on the address it connects to.
    """
    try:
        resolve(url, policy)
    except Unresolvable:
        return
    except TargetRefused as exc:
        raise DomainError(ErrorCode.INVALID_INPUT, f"this URL may not receive webhooks: {exc}", field="url") from exc


def create_subscription(
    *,
    url: str,
    events: Sequence[str],
    description: str = "",
    server_key: bytes,
    targets: TargetPolicy,
    session: Session,
    principal: Principal,
) -> tuple[str, WebhookSubscription]:
    """Subscribe the caller's account; returns the signing secret, which is never shown again."""
    owner = require_manager(principal)
    clean_url, types = check_url(url), check_events(events)
    check_target(clean_url, targets)
    if len(description) > 300:
        raise DomainError(ErrorCode.INVALID_INPUT, "a description of at most 300 characters", field="description")
    held = session.exec(
        select(func.count())
        .select_from(WebhookSubscription)
        .where(col(WebhookSubscription.owner_uid) == owner, col(WebhookSubscription.active).is_(True))
    ).one()
    if held >= MAX_SUBSCRIPTIONS:
        raise DomainError(
            ErrorCode.INVALID_INPUT, f"at most {MAX_SUBSCRIPTIONS} subscriptions per account", field="url"
        )
    sub = WebhookSubscription(
        owner_uid=owner,
        url=clean_url,
        events=types,
        description=description.strip(),
        secret_salt=new_salt(),
        key_id=key_id(server_key),
        scope_path=principal.token_collection_path,
        token_scope=principal.token_scope,
        partner_uid=partner_of(principal),
    )
    secret = derive_secret(server_key, sub.uid, sub.secret_salt)
    sub.secret_hint = secret[-4:]
    session.add(sub)
    session.flush()
    audit.record(session, principal, "webhook.subscribe", "webhook_subscription", sub.uid, url=clean_url, events=types)
    return secret, sub  # committed by the caller's unit of work (content.unit_of_work)


def get_subscription(uid: str, *, session: Session, principal: Principal) -> WebhookSubscription:
    """An active subscription the caller may see; NOT_FOUND otherwise (no existence leak)."""
    sub = session.exec(
        select(WebhookSubscription).where(
            col(WebhookSubscription.uid) == uid, col(WebhookSubscription.active).is_(True), owned_by(principal)
        )
    ).first()
    if sub is None:
        raise DomainError(ErrorCode.NOT_FOUND, "no such webhook subscription", field="id")
    return sub


def list_subscriptions(*, session: Session, principal: Principal) -> list[WebhookSubscription]:
    """The caller's active subscriptions (every one for an administrator), oldest first."""
    stmt = (
        select(WebhookSubscription)
        .where(col(WebhookSubscription.active).is_(True), owned_by(principal))
        .order_by(col(WebhookSubscription.created), col(WebhookSubscription.uid))
    )
    return list(session.exec(stmt))


def delete_subscription(uid: str, *, session: Session, principal: Principal) -> WebhookSubscription:
    """Stop a subscription: nothing more is recorded for it, what was pending fails, its rows stay as a record."""
    sub = get_subscription(uid, session=session, principal=principal)
    sub.active = False
    session.add(sub)
    session.execute(
        sa.update(WebhookDelivery)
        .where(
            col(WebhookDelivery.subscription_uid) == sub.uid, col(WebhookDelivery.state) == DeliveryState.PENDING.value
        )
        .values(state=DeliveryState.FAILED.value, last_error="subscription deleted")
    )
    audit.record(session, principal, "webhook.unsubscribe", "webhook_subscription", sub.uid, url=sub.url)
    return sub  # committed by the caller's unit of work (content.unit_of_work)
