"""`lightbox lti add-platform` and `lightbox lti rotate-key` against both databases."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, create_engine, select

from api.settings import Settings
from content.lti.models import LtiDeployment, LtiPlatform, LtiToolKey
from tests.api.test_cli import run

PLATFORM = [
    "--issuer",
    "https://moodle.school.example",
    "--client-id",
    "lightbox-1",
    "--auth-url",
    "https://moodle.school.example/mod/lti/auth.php",
    "--token-url",
    "https://moodle.school.example/mod/lti/token.php",
    "--jwks-url",
    "https://moodle.school.example/mod/lti/certs.php",
]


@pytest.fixture
def cli_settings(app_settings: Settings, tmp_path: Path) -> Settings:
    if app_settings.database_url:
        return app_settings.model_copy(update={"data_dir": tmp_path})
    return Settings(data_dir=tmp_path, secret_key="s" * 40)


def test_add_platform_deployments_and_key_rotation(cli_settings: Settings) -> None:
    assert run(cli_settings, "migrate").returncode == 0
    added = run(cli_settings, "lti", "add-platform", *PLATFORM, "--deployment-id", "3", "--name", "Moodle")
    assert added.returncode == 0 and "deployments 3" in added.stdout, added.stderr
    more = run(cli_settings, "lti", "add-platform", *PLATFORM, "--deployment-id", "7")
    assert more.returncode == 0 and "deployments 3, 7" in more.stdout
    bad = run(cli_settings, "lti", "add-platform", *PLATFORM[:1], "ftp://x", *PLATFORM[2:], "--deployment-id", "1")
    assert bad.returncode == 1 and bad.stderr.startswith("error: issuer") and "Traceback" not in bad.stderr
    first = run(cli_settings, "lti", "rotate-key")
    second = run(cli_settings, "lti", "rotate-key")
    assert first.returncode == second.returncode == 0 and first.stdout != second.stdout
    engine = create_engine(cli_settings.db_url)
    with Session(engine) as session:
        assert len(session.exec(select(LtiPlatform)).all()) == 1
        assert sorted(session.exec(select(LtiDeployment.deployment_id)).all()) == ["3", "7"]
        keys = session.exec(select(LtiToolKey)).all()
        assert len(keys) == 2 and sum(k.retired_at is None for k in keys) == 1
        assert all("PRIVATE" not in k.private_sealed for k in keys)  # sealed, never stored in the clear
    engine.dispose()
