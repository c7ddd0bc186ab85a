"""docs/partners.md runs as written: every ```python block against a real server, printing what follows it.

The server is the real app under uvicorn on a free loopback port (conftest's `live_server`),
seeded through the services with the partner archive of tests/content/partners/world.py, on
SQLite and on PostgreSQL. Each example runs in its own interpreter with LIGHTBOX_URL and
LIGHTBOX_TOKEN (Northern School's token) in its environment, as a partner would run it; its
output must equal the ```text block that follows it in the guide.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlmodel import Session

from api.settings import Settings
from media.store import ContentStore
from tests.content.partners.world import NORTHERN, World, seed

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "partners.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```\n", re.DOTALL | re.MULTILINE)


@dataclass(frozen=True)
class Example:
    line: int
    code: str
    prints: str


def examples() -> list[Example]:
    """Each python block with the text block right after it (nothing but blank lines between)."""
    text = GUIDE.read_text()
    blocks = list(FENCE.finditer(text))
    out = []
    for i, block in enumerate(blocks):
        if block.group(1) != "python":
            continue
        line = text.count("\n", 0, block.start()) + 1
        after = blocks[i + 1] if i + 1 < len(blocks) else None
        assert after is not None and after.group(1) == "text" and not text[block.end() : after.start()].strip(), (
            f"docs/partners.md:{line}: a ```python example must be followed by the ```text it prints"
        )
        out.append(Example(line, block.group(2), after.group(2)))
    return out


def test_the_guide_has_examples_of_each_topic() -> None:
    code = "\n".join(e.code for e in examples())
    for needle in (
        "curriculum:",
        "provenance",
        "thumbnailUrl",
        "/dicomweb",
        "endCursor",
        "TOO_MANY_ATTEMPTS",
        "Authorization",
    ):
        assert needle in code, needle


@pytest.fixture
def guide_world(session: Session, settings: Settings) -> World:
    return seed(session, ContentStore(settings.media_dir))


def test_every_example_runs_and_prints_what_the_guide_says(guide_world: World, live_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    env = {**os.environ, "LIGHTBOX_URL": live_server.url, "LIGHTBOX_TOKEN": guide_world.tokens[NORTHERN]}
    for example in examples():
        script = tmp_path / f"example_{example.line}.py"
        script.write_text(example.code)
        done = subprocess.run(
            [sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=120, cwd=tmp_path
        )
        where = f"docs/partners.md:{example.line}"
        assert done.returncode == 0, f"{where} failed:\n{done.stderr}"
        assert done.stdout == example.prints, f"{where} printed:\n{done.stdout}\nthe guide says:\n{example.prints}"
