"""X-Forwarded-For is believed only from LIGHTBOX_TRUSTED_PROXIES: otherwise any caller could spread its
sign-in attempts over invented addresses and never meet the per-address throttle."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from pydantic import ValidationError

from api import cli
from api.app import create_app
from api.db import SessionFactory
from api.settings import Settings
from tests import helpers

LOGIN = 'mutation($u: String!) { login(input: {username: $u, password: "wrong"}) { token errors { code } } }'


@contextmanager
def serving(settings: Settings) -> Iterator[str]:
    """The app over real HTTP, with uvicorn's own proxy handling off as `lightbox serve` runs it."""
    with helpers.serving(create_app(settings), proxy_headers=False) as url:
        yield url


def _attempts(url: str, forwarded_for: list[str]) -> list[str]:
    """One failed sign-in per entry (each a new username, so the per-username throttle stays out of it);
    the code each got."""
    codes = []
    for n, address in enumerate(forwarded_for):
        r = httpx.post(
            f"{url}/graphql",
            json={"query": LOGIN, "variables": {"u": f"nobody{n}"}},
            headers={"x-forwarded-for": address},
            timeout=30,
        )
        codes.append(r.json()["data"]["login"]["errors"][0]["code"])
    return codes


def _settings(settings: Settings, **extra: Any) -> Settings:
    return settings.model_copy(update={"login_attempts_per_minute": 2, **extra})


def test_forwarded_for_from_an_untrusted_peer_is_ignored(app_settings: Settings) -> None:
    with serving(_settings(app_settings)) as url:
        codes = _attempts(url, ["203.0.113.1", "203.0.113.2", "203.0.113.3"])
    assert codes == ["INVALID_CREDENTIALS", "INVALID_CREDENTIALS", "TOO_MANY_ATTEMPTS"]


def test_a_trusted_proxy_names_the_client_that_is_counted(app_settings: Settings) -> None:
    with serving(_settings(app_settings, trusted_proxies=["127.0.0.1"])) as url:
        spread = _attempts(url, ["203.0.113.1", "203.0.113.2", "203.0.113.3"])
        same = _attempts(url, ["198.51.100.7", "198.51.100.7", "198.51.100.7"])
        # The proxy appends the peer it saw; what the client itself wrote before that is not believed.
        chained = _attempts(url, ["1.1.1.1, 198.51.100.9", "2.2.2.2, 198.51.100.9", "3.3.3.3, 198.51.100.9"])
    assert spread == ["INVALID_CREDENTIALS"] * 3
    assert same == ["INVALID_CREDENTIALS", "INVALID_CREDENTIALS", "TOO_MANY_ATTEMPTS"]
    assert chained == ["INVALID_CREDENTIALS", "INVALID_CREDENTIALS", "TOO_MANY_ATTEMPTS"]


def test_trusted_proxies_are_addresses_or_networks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIGHTBOX_TRUSTED_PROXIES", "10.0.0.5, 192.168.0.0/16")
    assert Settings().trusted_proxies == ["10.0.0.5/32", "192.168.0.0/16"]
    for bad in ("*", "proxy.internal", "10.0.0.0/99"):
        monkeypatch.setenv("LIGHTBOX_TRUSTED_PROXIES", bad)
        with pytest.raises(ValidationError, match="not an IP address or network"):
            Settings()


def test_serve_turns_off_uvicorns_own_proxy_handling(
    sessions: SessionFactory, settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """uvicorn believes X-Forwarded-For from 127.0.0.1 by default; `lightbox serve` must not let it."""
    monkeypatch.setenv("LIGHTBOX_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("LIGHTBOX_DATABASE_URL", settings.db_url)
    monkeypatch.setenv("LIGHTBOX_SECRET_KEY", "s" * 40)
    monkeypatch.setenv("LIGHTBOX_LOG_JSON", "false")
    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: seen.update(kwargs))
    cli.serve(host="127.0.0.1", port=8000, workers=1)
    assert seen["proxy_headers"] is False and seen["factory"] is True
