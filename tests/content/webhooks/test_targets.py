"""Where a webhook may point: internal addresses, in every IPv6 disguise, refused when a partner subscribes
and again at send; the connection goes to the address that was checked; an https-only setting."""

from __future__ import annotations

import socket
from typing import Any

import pytest
from sqlmodel import select

from content.errors import DomainError, ErrorCode
from content.webhooks import targets
from content.webhooks.models import DeliveryState, WebhookSubscription
from content.webhooks.service import create_subscription
from content.webhooks.targets import TargetPolicy, TargetRefused, resolve
from tests.content.webhooks.conftest import School
from tests.content.webhooks.receiver import Receiver

INTERNAL = [
    "http://127.0.0.1/hook",
    "http://localhost/hook",
    "http://0.0.0.0/hook",
    "http://2130706433/hook",
    "http://10.1.2.3/hook",
    "http://172.16.0.1/hook",
    "http://192.168.1.1/hook",
    "http://100.64.0.1/hook",
    "http://169.254.169.254/latest/meta-data",
    "http://[::1]/hook",
    "http://[::]/hook",
    "http://[fe80::1]/hook",
    "http://[fc00::1]/hook",
    "http://[::127.0.0.1]/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://[::ffff:7f00:1]/hook",
    "http://[64:ff9b::7f00:1]/hook",
    "http://[64:ff9b::a9fe:a9fe]/hook",
    "http://[64:ff9b:1::a00:1]/hook",
    "http://[2002:7f00:1::]/hook",
    "http://[2002:a9fe:a9fe::1]/hook",
    "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/hook",
    "http://224.0.0.1/hook",
    "http://[ff02::1]/hook",
    "http://240.0.0.1/hook",
]
PUBLIC = ["https://93.184.216.34/hook", "https://[2606:2800:220:1:248:1893:25c8:1946]/hook"]


@pytest.mark.parametrize("url", INTERNAL)
def test_internal_addresses_are_refused_in_every_form(url: str) -> None:
    with pytest.raises(TargetRefused, match=r"internal address|embeds an IPv4|scoped"):
        resolve(url, TargetPolicy())
    # allowed on purpose, the same internal address goes through (not some other address of the host)
    assert targets.internal_reason(resolve(url, TargetPolicy(allow_internal=True)).address) is not None


@pytest.mark.parametrize("url", PUBLIC)
def test_public_addresses_pass_and_https_only_refuses_http(url: str) -> None:
    assert not resolve(url, TargetPolicy(https_only=True)).address.is_private
    with pytest.raises(TargetRefused, match="only https"):
        resolve(url.replace("https:", "http:"), TargetPolicy(https_only=True))


def _subscribe(school: School, url: str, policy: TargetPolicy) -> ErrorCode | None:
    try:
        create_subscription(
            url=url,
            events=["CASE_VALIDATED"],
            server_key=school.runtime.settings.secret(),
            targets=policy,
            session=school.session,
            principal=school.acme,
        )
    except DomainError as exc:
        assert exc.field == "url", exc
        return exc.code
    return None


def test_subscriptions_to_internal_or_plain_http_targets_are_refused(school: School) -> None:
    for url in (
        "http://[::127.0.0.1]/hook",
        "http://[64:ff9b::7f00:1]/hook",
        "http://[2002:7f00:1::]/hook",
        "http://169.254.169.254/",
        "http://localhost:8000/hook",
    ):
        assert _subscribe(school, url, TargetPolicy()) is ErrorCode.INVALID_INPUT, url
    assert _subscribe(school, "http://93.184.216.34/hook", TargetPolicy(https_only=True)) is ErrorCode.INVALID_INPUT
    assert school.session.exec(select(WebhookSubscription)).all() == []
    # Allowed: a public address, and a name that does not resolve yet (every send checks it again).
    assert _subscribe(school, "https://93.184.216.34/hook", TargetPolicy(https_only=True)) is None
    assert _subscribe(school, "https://hooks.acme.example/lightbox", TargetPolicy()) is None
    assert len(school.session.exec(select(WebhookSubscription)).all()) == 2


@pytest.mark.parametrize("form", ["[::ffff:127.0.0.1]", "[::127.0.0.1]"])
def test_sends_to_disguised_internal_addresses_are_refused(school: School, receiver: Receiver, form: str) -> None:
    # Subscribed while internal targets were allowed; a careful dispatcher refuses at send.
    url = receiver.url.replace("127.0.0.1", form)
    _, sub = school.subscribe(school.acme, url, ["CASE_VALIDATED"])
    careful = school.another_dispatcher(allow_internal_targets=False)
    try:
        school.case()
        assert school.drain(careful) == 3
    finally:
        careful.close()
    assert receiver.hits == []
    (delivery,) = school.deliveries(sub)
    assert delivery.state == DeliveryState.FAILED.value and "embeds an IPv4 address" in delivery.last_error


def test_https_only_is_checked_at_send_too(school: School, receiver: Receiver) -> None:
    _, sub = school.subscribe(school.acme, receiver.url, ["CASE_VALIDATED"])
    strict = school.another_dispatcher(https_only=True)
    try:
        school.case()
        assert school.drain(strict) == 3
    finally:
        strict.close()
    assert receiver.hits == [] and "only https" in school.deliveries(sub)[0].last_error


def test_the_connection_goes_to_the_address_that_was_checked(
    school: School, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A name answering 127.0.0.1 at the check and 127.0.0.2 afterwards (DNS rebinding): the one lookup's
    answer is where the POST goes, with the name kept in the Host header."""
    port = int(receiver.url.split(":")[2].split("/")[0])
    real = socket.getaddrinfo
    lookups: list[str] = []

    def rebinding(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host != "hooks.rebind.test":
            return real(host, *args, **kwargs)
        lookups.append(host)
        return real("127.0.0.1" if len(lookups) == 1 else "127.0.0.2", *args, **kwargs)

    monkeypatch.setattr(targets.socket, "getaddrinfo", rebinding)
    _, sub = school.subscribe(school.acme, f"http://hooks.rebind.test:{port}/hooks/lightbox", ["CASE_VALIDATED"])
    lookups.clear()
    school.case()
    assert school.drain() == 1
    assert lookups == ["hooks.rebind.test"]
    (hit,) = receiver.hits
    assert hit.headers["host"] == f"hooks.rebind.test:{port}"
    assert school.deliveries(sub)[0].state == DeliveryState.DELIVERED.value
