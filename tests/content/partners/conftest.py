"""The partner archive (tests/content/partners/world.py), seeded once per test on each database."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from api.settings import Settings
from content.principal import Principal
from content.security.authentication import authenticate
from media.store import ContentStore
from tests.content.partners.world import World, seed

SECRET = b"k" * 32


@pytest.fixture
def world(session: Session, settings: Settings) -> World:
    return seed(session, ContentStore(settings.media_dir))


def as_token(session: Session, token: str) -> Principal:
    """The principal a request with this bearer token gets, built as every route builds it."""
    return authenticate(token, session=session, secret=SECRET)
