"""A platform's public keys (its JWKS), fetched when a launch from it is checked."""

from __future__ import annotations

from typing import Any

import httpx
from pylti1p3.exception import LtiException

TIMEOUT_SECONDS = 10.0
MAX_BYTES = 256 * 1024


def fetch_key_set(url: str) -> dict[str, Any]:
    """The JWK Set at `url`; LtiException (refused as "keys could not be fetched") on any failure."""
    try:
        response = httpx.get(
            url, timeout=TIMEOUT_SECONDS, follow_redirects=False, headers={"User-Agent": "Lightbox-LTI"}
        )
        response.raise_for_status()
        if len(response.content) > MAX_BYTES:
            raise ValueError("too large")
        body = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise LtiException(f"Error during fetch URL {url}: {exc}") from exc
    if not isinstance(body, dict) or not isinstance(body.get("keys"), list):
        raise LtiException(f"Invalid response from {url}: not a JWK Set")
    return body
