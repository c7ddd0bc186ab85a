"""GraphiQL at GET /graphql: the project's own files (npm packages pinned by a lock file), a strict CSP,
no CDN and no inline script."""

from __future__ import annotations

import json
import re
from pathlib import Path

from fastapi.testclient import TestClient

from api.graphiql import CSP, FILES
from tests.helpers import npm_installed_by_setup

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)
LINKED = re.compile(r'(?:src|href)="([^"]+)"')


def test_the_page_comes_from_our_files_under_a_strict_policy(client: TestClient) -> None:
    page = client.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert policy == CSP
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy and "http" not in policy
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    scripts = SCRIPT.findall(page.text)
    assert len(scripts) == 4 and all(
        'src="/graphiql/static/' in attrs and not body.strip() for attrs, body in scripts
    ), scripts
    assert "style=" not in page.text and "<style" not in page.text and "unpkg" not in page.text
    for url in LINKED.findall(page.text):
        assert url.startswith("/"), url  # same origin only
        asset = client.get(url)
        assert asset.status_code == 200, url
        assert asset.headers["content-security-policy"] == CSP or url.startswith("/ui/")
    script = client.get("/graphiql/static/graphiql.min.js")
    assert script.headers["content-type"].startswith("text/javascript") and len(script.content) > 100_000
    etag = script.headers["etag"]
    assert client.get("/graphiql/static/graphiql.min.js", headers={"if-none-match": etag}).status_code == 304


def test_only_the_named_files_are_served(client: TestClient) -> None:
    for name in (
        "package.json",
        "package-lock.json",
        "index.html",
        "..%2Fpackage.json",
        "react.js",
        "node_modules%2Fgraphiql%2Fpackage.json",
    ):
        assert client.get(f"/graphiql/static/{name}").status_code == 404, name
    assert set(FILES) == {
        "start.js",
        "page.css",
        "graphiql.min.js",
        "graphiql.min.css",
        "react.production.min.js",
        "react-dom.production.min.js",
    }


def test_the_packages_are_pinned_by_a_lock_file_and_installed_by_setup() -> None:
    folder = ROOT / "admin_ui" / "graphiql"
    manifest = json.loads((folder / "package.json").read_text())
    lock = json.loads((folder / "package-lock.json").read_text())
    assert set(manifest["dependencies"]) == {"graphiql", "react", "react-dom"}
    for name, version in manifest["dependencies"].items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), (name, version)  # exact, not a range
        assert lock["packages"][f"node_modules/{name}"]["version"] == version
        assert lock["packages"][f"node_modules/{name}"]["integrity"].startswith("sha512-")
    setup = (ROOT / "scripts" / "setup.sh").read_text()
    assert "admin_ui/graphiql" in npm_installed_by_setup(setup)
    assert (folder / "node_modules" / "graphiql" / "graphiql.min.js").is_file()
