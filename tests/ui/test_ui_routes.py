"""api.ui over HTTP: the page and its modules with a strict CSP, the SPA fallback, and the media cookie."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from api.deps import SESSION_COOKIE
from api.settings import Settings
from tests.content import factories as f
from tests.ui.conftest import PASSWORD, ui_app

LOGIN = 'mutation($p: String!) { login(input: {username: "trainee", password: $p}) { token } }'


def test_pages_assets_headers_and_session_cookie(ui_settings: Settings, session: Session) -> None:
    f.person(session, "trainee", "trainee")
    with TestClient(ui_app(ui_settings)) as client:
        for path in ("/ui", "/ui/", "/ui/search", "/ui/cases/Q2FzZTox/edit"):
            page = client.get(path)
            assert page.status_code == 200 and page.headers["content-type"].startswith("text/html"), path
            csp = page.headers["content-security-policy"]
            # The one relaxation: compiling WebAssembly (the viewer's image codecs), never eval or inline code.
            assert "script-src 'self' 'wasm-unsafe-eval';" in csp and "frame-ancestors 'none'" in csp
            assert "unsafe" not in csp.replace("'wasm-unsafe-eval'", ""), csp
            assert '<script type="module" src="/ui/static/app.js">' in page.text
        script = client.get("/ui/static/app.js")
        assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
        again = client.get("/ui/static/app.js", headers={"If-None-Match": script.headers["etag"]})
        assert again.status_code == 304 and again.content == b""
        assert client.get("/ui/static/app.css").headers["content-type"].startswith("text/css")
        for missing in (
            "/ui/static/nope.js",
            "/ui/static/__init__.py",
            "/ui/static/..%2F..%2Fapi%2Fui.py",
            "/ui/missing.js",
        ):
            assert client.get(missing).status_code == 404, missing

        assert client.post("/ui/session").status_code == 401
        assert client.post("/ui/session", headers={"Authorization": "Bearer lbs1.junk.sig"}).status_code == 401
        token = client.post("/graphql", json={"query": LOGIN, "variables": {"p": PASSWORD}}).json()
        bearer = token["data"]["login"]["token"]
        opened = client.post("/ui/session", headers={"Authorization": f"Bearer {bearer}"})
        assert opened.status_code == 204
        cookie = opened.headers["set-cookie"].lower()
        assert f"{SESSION_COOKIE}=" in cookie and "httponly" in cookie and "samesite=strict" in cookie
        assert "path=/" in cookie
        # The cookie is for <img> GETs only: GraphQL (a POST) ignores it, so it cannot carry a forged write.
        me = client.post("/graphql", json={"query": "{ me { username } }"}).json()
        assert me["data"]["me"] is None
        closed = client.delete("/ui/session")
        assert closed.status_code == 204 and "max-age=0" in closed.headers["set-cookie"].lower()
        assert SESSION_COOKIE not in client.cookies
