"""Relay global ids: opaque base64 of "Type:uid"."""

from __future__ import annotations

import base64
import binascii

from content.errors import DomainError, ErrorCode


def to_global_id(type_name: str, uid: str) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{uid}".encode()).decode().rstrip("=")


def from_global_id(gid: str, expected: str | None = None, *, field: str = "id") -> tuple[str, str]:
    try:
        raw = base64.urlsafe_b64decode(gid + "=" * (-len(gid) % 4)).decode()
        type_name, uid = raw.split(":", 1)
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise DomainError(ErrorCode.NOT_FOUND, "malformed id", field=field) from exc
    if expected and type_name != expected:
        raise DomainError(ErrorCode.NOT_FOUND, f"not a {expected} id", field=field)
    return type_name, uid
