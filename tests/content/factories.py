"""Build real objects through the public services."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from content.collections.service import create_collection
from content.curriculum.service import load_tree
from content.principal import SYSTEM, Principal
from content.security.sessions import open_session
from content.users.models import User
from content.users.service import add_user, principal_for

TREE: list[dict[str, Any]] = [
    {"code": "NEURO", "title": "Neuroradiology"},
    {"code": "NEURO.STROKE", "title": "Stroke", "cross_sectional": True},
    {"code": "NEURO.STROKE.ISCHAEMIC", "title": "Acute ischaemic stroke", "acute": True},
    {"code": "NEURO.STROKE.HAEMORRHAGIC", "title": "Intracerebral haemorrhage"},
    {"code": "CHEST", "title": "Chest"},
    {"code": "CHEST.PLEURA", "title": "Pleura", "plain_film": True},
    {"code": "CHEST.PLEURA.PNEUMOTHORAX", "title": "Pneumothorax", "plain_film": True},
]


def curriculum(session: Session) -> None:
    load_tree(TREE, session=session, principal=SYSTEM)


def person(session: Session, username: str, role: str) -> tuple[User, Principal]:
    user = add_user(username, roles=[role], password="correct horse battery", session=session, principal=SYSTEM)
    return user, principal_for(user, session=session)


def bearer(session: Session, user: User, *, secret: bytes, ttl_seconds: int = 3600) -> str:
    """A signed-in session's token, as `login` would issue (without hashing a password)."""
    token = open_session(user, session=session, secret=secret, ttl_seconds=ttl_seconds)
    session.commit()
    return token


def collection(session: Session, title: str = "Leeds", parent: str | None = None) -> str:
    return create_collection(title=title, parent_uid=parent, slug=None, session=session, principal=SYSTEM).uid
