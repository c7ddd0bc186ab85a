"""GraphQL overhead: a page of 20 and 100 cases through /graphql vs a plain FastAPI JSON route.

Both routes serve the same rows (with curriculum titles and thumbnails) from the same services
over real HTTP in the same run; prints milliseconds (median of N) and the ratio.
Run: .venv/bin/python bench/api_overhead.py [--database-url URL] [--repeat 50]
"""

from __future__ import annotations

import argparse
import socket
import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from api import migrate
from api.app import create_app
from api.db import SessionFactory, make_engine
from api.settings import Settings
from content import events
from content.cases.listing import CaseFilter, list_cases
from content.cases.service import create_case
from content.collections.service import create_collection
from content.curriculum.service import SAMPLE_CURRICULUM, load_tree, nodes_by_code, read_tree_file, subtree
from content.principal import SYSTEM
from content.users.service import add_user, principal_for

QUERY = """query($first: Int) { cases(first: $first) { totalCount edges { node {
  id title state version modalities bodyRegions difficulty curriculum { code title } thumbnailUrl } } } }"""


def seed(settings: Settings, n: int) -> None:
    engine = make_engine(settings)
    migrate.upgrade(engine)
    with SessionFactory(engine, events.EventBus()).scope() as s:
        load_tree(read_tree_file(SAMPLE_CURRICULUM), session=s, principal=SYSTEM)
        add_user("bench", roles=["trainer"], password="bench password", session=s, principal=SYSTEM)
        coll = create_collection(title="Bench", parent_uid=None, slug=None, session=s, principal=SYSTEM)
        codes = [c.code for c in subtree(None, session=s) if c.depth == 3]
        for i in range(n):
            create_case(
                collection_uid=coll.uid,
                session=s,
                principal=SYSTEM,
                fields={
                    "title": f"Case {i}",
                    "modalities": ["CT"],
                    "body_regions": ["HEAD"],
                    "difficulty": "FOUNDATION",
                    "curriculum_codes": [codes[i % len(codes)]],
                },
            )


def plain_route(app: Any, sessions: SessionFactory) -> None:
    @app.get("/plain/cases")
    def plain(first: int = 20) -> dict[str, Any]:
        with sessions.scope() as s:
            from sqlmodel import select

            from content.users.models import User

            principal = principal_for(s.exec(select(User)).first(), session=s)  # type: ignore[arg-type]
            page = list_cases(CaseFilter(), first=first, after=None, session=s, principal=principal)
            nodes = nodes_by_code({c for r in page.cases for c in r.curriculum_codes}, session=s)
            return {
                "totalCount": page.total,
                "edges": [
                    {
                        "node": {
                            "id": r.uid,
                            "title": r.title,
                            "state": r.state,
                            "version": r.version,
                            "modalities": r.modalities,
                            "bodyRegions": r.body_regions,
                            "difficulty": r.difficulty,
                            "thumbnailUrl": None,
                            "curriculum": [
                                {"code": c, "title": nodes[c].title} for c in r.curriculum_codes if c in nodes
                            ],
                        }
                    }
                    for r in page.cases
                ],
            }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--database-url")
    ap.add_argument("--repeat", type=int, default=50)
    args = ap.parse_args()
    data = Path(tempfile.mkdtemp(prefix="lightbox-bench-"))
    settings = Settings(data_dir=data, database_url=args.database_url, secret_key="b" * 40)
    seed(settings, 120)
    app = create_app(settings)
    plain_route(app, app.state.sessions)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    with httpx.Client(base_url=base, timeout=30) as http:
        login = http.post(
            "/graphql",
            json={"query": 'mutation { login(input: {username: "bench", password: "bench password"}) { token } }'},
        )
        headers = {"Authorization": f"Bearer {login.json()['data']['login']['token']}"}
        print(f"{'page':>5} {'graphql ms':>11} {'plain ms':>9} {'ratio':>6}")
        for first in (20, 100):

            def gql(first: int = first) -> None:
                r = http.post("/graphql", json={"query": QUERY, "variables": {"first": first}}, headers=headers)
                assert len(r.json()["data"]["cases"]["edges"]) == first

            def plain(first: int = first) -> None:
                assert len(http.get("/plain/cases", params={"first": first}).json()["edges"]) == first

            times: dict[str, list[float]] = {"g": [], "p": []}
            for _ in range(5):
                gql()
                plain()
            for _ in range(args.repeat):  # interleaved so machine noise hits both alike
                for key, fn in (("g", gql), ("p", plain)):
                    t0 = time.perf_counter()
                    fn()
                    times[key].append((time.perf_counter() - t0) * 1000)
            g, p = statistics.median(times["g"]), statistics.median(times["p"])
            print(f"{first:>5} {g:>11.2f} {p:>9.2f} {g / p:>6.2f}")
    server.should_exit = True


if __name__ == "__main__":
    main()
