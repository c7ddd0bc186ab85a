"""SQL round trips per request: the load benchmark's search, faceted search and case page, counted.

    .venv/bin/python bench/sql_round_trips.py --keep NAME [-v]

Runs against the database and data dir that `bench/load.py --keep NAME` left (PostgreSQL), in
process (the app under Starlette's TestClient), with the tokens that run issued. Each request is
sent twice and the second is counted (a process's first request fills its caches). Statements
of the background readers (the revocation clock, read at most once a second, and the webhook
outbox poll) are listed apart: they do not belong to one request.

Connection checkouts are counted too: on the application's engine each costs the transaction's
BEGIN and ROLLBACK/COMMIT, two round trips the statement count does not see, plus a ping
(`SELECT 1`) when the pool makes one (every checkout under `pool_pre_ping`; since api/db.py's
check_on_checkout only for a suspect connection): pings are counted apart, as the pool makes them.
The catalog's reading pool (autocommit, pinged only when idle) costs none.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from load import PG_SERVER, Q_DEMO, Q_DETAIL, Q_FACETED, Q_SEARCH, SECRET  # noqa: E402

from api.app import create_app  # noqa: E402
from api.settings import Settings  # noqa: E402

REQUESTS: dict[str, tuple[str, dict[str, Any]]] = {
    "search (text)": (Q_SEARCH, {"s": {"text": "haemorrhage"}}),
    "search (curriculum, modality)": (Q_SEARCH, {"s": {"curriculum": ["NEURO"], "modalities": ["CT"]}}),
    "search (text, faceted)": (Q_FACETED, {"s": {"text": "fracture stenosis", "orderBy": "NEWEST"}}),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--keep", required=True, metavar="NAME")
    parser.add_argument("-v", "--verbose", action="store_true", help="print each statement")
    args = parser.parse_args()
    folder = Path(f"/tmp/lightbox-load-{args.keep}")
    tokens = (folder / "tokens.txt").read_text().split()
    settings = Settings(
        data_dir=folder / "data", database_url=f"{PG_SERVER}/lightbox_load_{args.keep}", secret_key=SECRET
    )
    app = create_app(settings)
    counted: list[str] = []
    background: list[str] = []
    checkouts: list[str] = []

    def on_checkout(name: str) -> Any:
        return lambda *_args: checkouts.append(name)

    listeners = [(app.state.runtime.engine.pool, on_checkout("app"))]
    pings: list[Any] = []
    dialect = app.state.runtime.engine.dialect
    do_ping = dialect.do_ping

    def counted_ping(dbapi_conn: Any) -> bool:
        pings.append(dbapi_conn)
        return do_ping(dbapi_conn)

    dialect.do_ping = counted_ping  # pre-ping and check_on_checkout both ping through the dialect
    reader = getattr(app.state.catalog, "reader", None)
    if reader is not None:
        listeners.append((reader().pool, on_checkout("catalog reader")))

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        bucket = background if "revocation_clock" in statement or "webhook_" in statement else counted
        bucket.append(" ".join(statement.split()))

    with TestClient(app) as client:
        for role, token in zip(("trainer", "validator", "trainee"), tokens, strict=False):
            headers = {"Authorization": f"Bearer {token}"}

            def post(query: str, variables: dict[str, Any], headers: dict[str, str] = headers) -> Any:
                return client.post("/graphql", json={"query": query, "variables": variables}, headers=headers).json()

            colls = post("{ collections { id path } }", {})["data"]["collections"]
            north = next(c["id"] for c in colls if c["path"].startswith("/north/") and c["path"].count("/") == 2)
            demo = post(Q_DEMO % north, {})["data"]["cases"]["edges"]
            requests = dict(REQUESTS)
            if demo:
                requests["case page"] = (Q_DETAIL, {"id": demo[0]["node"]["id"]})
            for name, (query, variables) in requests.items():
                post(query, variables)
                counted.clear()
                background.clear()
                checkouts.clear()
                pings.clear()
                sa.event.listen(sa.engine.Engine, "before_cursor_execute", count)
                for pool, listener in listeners:
                    sa.event.listen(pool, "checkout", listener)
                try:
                    answer = post(query, variables)
                finally:
                    sa.event.remove(sa.engine.Engine, "before_cursor_execute", count)
                    for pool, listener in listeners:
                        sa.event.remove(pool, "checkout", listener)
                if answer.get("errors"):
                    raise SystemExit(f"{name}: {answer['errors']}")
                extra = f" (+{len(background)} background)" if background else ""
                used = ", ".join(f"{n} {k}" for k, n in sorted(Counter(checkouts).items()))
                print(
                    f"{role:<10} {name:<32} {len(counted):>3} SQL statements{extra}; checkouts: {used}; "
                    f"pings: {len(pings)}"
                )
                if args.verbose:
                    for statement in counted:
                        print("    " + statement[:220])


if __name__ == "__main__":
    main()
