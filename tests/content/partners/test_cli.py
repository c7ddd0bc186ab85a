"""`lightbox partner add` and `lightbox token create --partner` against a real data dir and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session

from api.settings import Settings
from tests.api.test_cli import run
from tests.content import factories as f
from tests.content.partners.conftest import as_token


@pytest.fixture
def cli_settings(app_settings: Settings, tmp_path: Path) -> Settings:
    """The test's migrated database, so the rows the CLI writes are the ones the test reads."""
    return app_settings.model_copy(update={"data_dir": tmp_path})


def test_partner_add_and_token_create(cli_settings: Settings, session: Session) -> None:
    north = f.collection(session, "North")
    f.collection(session, "Leeds", parent=north)
    f.collection(session, "York")
    added = run(
        cli_settings,
        "partner",
        "add",
        "Northern School",
        "--collection",
        "/north/leeds",
        "--collection",
        "/york",
        "--retired",
        "--contact",
        "pacs@north.example",
    )
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == "added partner Northern School reading /north/leeds, /york (retired cases too)"
    token = run(cli_settings, "token", "create", "pacs", "--partner", "northern school")
    assert token.returncode == 0, token.stderr
    principal = as_token(session, token.stdout.strip())
    assert principal.partner is not None and principal.read_only
    assert principal.partner.paths == ("/north/leeds", "/york") and principal.partner.sees_retired
    # Bad input: one line on stderr, exit 1, no traceback.
    for args, message in (
        (("partner", "add", "Northern School", "--collection", "/york"), "exists"),
        (("partner", "add", "Other", "--collection", "/nowhere"), "no collection at /nowhere"),
        (("token", "create", "x", "--partner", "Nobody"), "no partner named"),
        (("token", "create", "x", "--partner", "Northern School", "--scope", "write"), "read-only"),
        (("token", "create", "x"), "--scope"),
    ):
        out = run(cli_settings, *args)
        assert out.returncode == 1 and message in out.stderr and "Traceback" not in out.stderr, (args, out.stderr)
    # The single-collection form is unchanged.
    legacy = run(cli_settings, "token", "create", "york", "--scope", "read", "--collection", "/york")
    assert legacy.returncode == 0 and as_token(session, legacy.stdout.strip()).token_collection_path == "/york"
