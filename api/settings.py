"""The one settings object: read from LIGHTBOX_* environment variables or a .env file."""

from __future__ import annotations

import ipaddress
import json
import os
import secrets
from pathlib import Path
from typing import Annotated

from pydantic import field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

_WEAK_SECRETS = {"changeme", "change-me", "secret", "lightbox", "password", "changethis"}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LIGHTBOX_", env_file=".env", extra="ignore")

    data_dir: Path = Path("./var")
    database_url: str | None = None
    secret_key: str | None = None
    token_ttl_seconds: int = 8 * 3600
    max_query_depth: int = 12
    max_query_tokens: int = 3000
    max_aliases: int = 30
    # A GraphQL request body (or a GET's variables) is refused above this size or nesting before
    # it is decoded; inputs nest a few levels, so 32 leaves room without inviting a RecursionError.
    max_graphql_bytes: int = 1_000_000
    max_json_depth: int = 32
    # Introspection for signed-in callers (anonymous callers never get it); False turns it off for all.
    graphql_introspection: bool = True
    # Automatic persisted queries: how many query texts each worker remembers by hash (LRU);
    # 0 remembers none, so every hash sent alone is answered PERSISTED_QUERY_NOT_FOUND.
    persisted_query_entries: int = 1000
    # Uploads (POST /api/uploads) above this many bytes are refused with 413, on Content-Length
    # and while the body streams in.
    upload_max_bytes: int = 2 * 1024**3
    # `lightbox receive`: the PACS allowed to push (AE_TITLE or AE_TITLE@address, comma-separated)
    # when no --allow-calling-ae is given, the largest object, and the most the spool may hold.
    pacs_peers: Annotated[list[str], NoDecode] = []
    receiver_max_object_bytes: int = 2 * 1024**3
    receiver_max_spool_bytes: int = 20 * 1024**3
    # Addresses (or networks) of reverse proxies whose X-Forwarded-For names the real client.
    # Empty: X-Forwarded-For is ignored and the peer address is the client. A comma-separated list
    # or a JSON array in LIGHTBOX_TRUSTED_PROXIES.
    trusted_proxies: Annotated[list[str], NoDecode] = []
    sqlite_busy_timeout_ms: int = 15_000
    # Requests per minute per API token (or per client address without one), and sign-in
    # attempts per minute per client address. Per worker process.
    rate_limit_per_minute: int = 1200
    # Image reads (DICOMweb frames, metadata, bulk data; rendered media) per minute per token or address:
    # a viewer scrolling a 2x2 layout of 300-slice series fetches 1,200 frames at once.
    image_rate_limit_per_minute: int = 12_000
    login_attempts_per_minute: int = 30
    # Origins of partner web apps allowed to call the API from a browser (CORS); none by default.
    cors_origins: list[str] = []
    log_json: bool = True
    # Webhooks: whether this process sends deliveries as jobs (off for processes that should only
    # write the outbox), the POST timeout, attempts per delivery, exponential backoff between them
    # (base * 2**(n-1), capped), how often the in-process runner looks for deliveries whose job was
    # lost, and whether targets may resolve to loopback/private addresses (never in production: it
    # would let a partner probe the network).
    webhook_dispatch: bool = True
    # The job queue (procrastinate, PostgreSQL only): imports then defer their previews to
    # `lightbox worker` processes on any machine, and failed catalog updates are retried as jobs.
    # Off (the embedded default), each process renders and retries in place.
    job_queue: bool = False
    # Retries of failed jobs wait job_retry_wait ** n seconds (2, 4, 8 ...); webhook deliveries
    # keep the webhook_retry_* schedule below. Tests set 0 (retry at once).
    job_retry_wait: int = 2
    webhook_timeout_seconds: float = 5.0
    webhook_max_attempts: int = 8
    webhook_retry_base_seconds: float = 30.0
    webhook_retry_max_seconds: float = 6 * 3600.0
    webhook_poll_seconds: float = 5.0
    webhook_allow_internal_targets: bool = False
    # New passwords (own change, after a reset, new people): at least this long and not a common one.
    password_min_length: int = 12
    # Subscriptions and sends only to https URLs (payloads and signatures never cross in clear).
    webhook_https_only: bool = False

    @field_validator("pacs_peers", mode="before")
    @classmethod
    def _peer_list(cls, value: object) -> object:
        if isinstance(value, str):
            text = value.strip()
            return json.loads(text) if text.startswith("[") else [p.strip() for p in text.split(",") if p.strip()]
        return value

    @property
    def receiver_spool_dir(self) -> Path:
        return self.data_dir / "receiving"

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _proxy_networks(cls, value: object) -> list[str]:
        if isinstance(value, str):
            text = value.strip()
            value = json.loads(text) if text.startswith("[") else [p for p in text.split(",") if p.strip()]
        if not isinstance(value, list):
            raise ValueError("LIGHTBOX_TRUSTED_PROXIES is a list of addresses or networks")
        out = []
        for item in value:
            try:
                out.append(str(ipaddress.ip_network(str(item).strip(), strict=False)))
            except ValueError as exc:
                # Not "*" or a host name: trusting a header is a decision about exact addresses.
                raise ValueError(f"LIGHTBOX_TRUSTED_PROXIES: {item!r} is not an IP address or network") from exc
        return out

    @field_validator("secret_key")
    @classmethod
    def _refuse_weak(cls, value: str | None) -> str | None:
        if value is not None and (value.lower() in _WEAK_SECRETS or len(value) < 32):
            raise ValueError("LIGHTBOX_SECRET_KEY must be at least 32 random characters")
        return value

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'lightbox.db').resolve()}"

    @property
    def is_postgres(self) -> bool:
        return self.db_url.startswith("postgresql")

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def media_dir(self) -> Path:
        return self.data_dir / "media"

    def secret(self) -> bytes:
        """The signing secret; generated once into the data dir when not configured."""
        if self.secret_key:
            return self.secret_key.encode()
        path = self.data_dir / "secret_key"
        if not path.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_urlsafe(48))
        return path.read_text().strip().encode()
