"""Fixtures of the image-set tests."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from api.settings import Settings
from media.store import ContentStore
from tests.content.imaging.school import School


@pytest.fixture
def school(session: Session, client: TestClient, app_settings: Settings) -> School:
    return School(session, client, ContentStore(app_settings.media_dir))
