"""Catalog benchmark: indexing rate and query latency through GraphQL, on Whoosh and PostgreSQL.

    nice .venv/bin/python bench/search_speed.py [--cases 100000] [--repeat 60] [--backends whoosh,postgres]

For each backend: a fresh data dir (SQLite for Whoosh, a fresh PostgreSQL database for the PG
catalog) migrated to the current schema, the sample curriculum, a trainer, eight collections and
N synthetic cases bulk-inserted into the `case` table (realistic text lengths, Zipf-like
vocabulary, 1-2 curriculum codes each). Their catalog entries are projected exactly as
`lightbox reindex` does (search.projection.case_documents) and indexed with `backend.rebuild`:
that is the indexing rate. Then the app is served with uvicorn on a local port and three kinds
of query ask for a page of 20 through POST /graphql, rotating through a few inputs:

* text: free text (common and rarer words, an AND of two words, a phrase), relevance order;
* subtree: a curriculum code (system or topic level), newest first;
* faceted: free text plus a modality filter, with the facet counts selected.

Each is timed interleaved with its baseline, a plain SQL LIKE scan over the same `case` rows
(the count and the newest 20 matching rows), so machine noise hits both alike; the table gives
p50/p95 in milliseconds and the ratio of each to the baseline's.
"""

from __future__ import annotations

import argparse
import gc
import os
import socket
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psycopg
import uvicorn
from sqlalchemy import insert, text
from sqlalchemy.engine import Engine

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from api import migrate
from api.app import create_app
from api.db import SessionFactory, make_engine
from api.settings import Settings
from content import events
from content.cases.models import Case
from content.collections.service import create_collection
from content.curriculum.service import SAMPLE_CURRICULUM, load_tree, read_tree_file
from content.principal import SYSTEM
from content.users.service import add_user
from search import open_backend
from search.model import CatalogDocument
from search.projection import Grants, case_documents, load_titles
from search.synthetic import COLLECTIONS, synthetic_documents

PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
PG_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
USER, PASSWORD = "bench", "bench password 1234"
INSERT_BATCH = 2000
PLAIN: dict[str, float] = {}  # backend -> reference rate of Whoosh's plain writer

# Query inputs, rotated per repetition. Words come from the synthetic vocabulary: "mass",
# "haemorrhage" and "CT" are in about half the cases; "pneumothorax" is a diagnosis word.
TEXTS = ("haemorrhage", "pneumothorax", "fracture stenosis", "CT aneurysm", '"pulmonary embolism"', "mass")
SUBTREES = ("NEURO", "CHEST", "MSK", "NEURO.STROKE", "GI", "CHEST.PLEURA")
FACET_MODALITIES = ("CT", "MR", "CR")

PAGE = """edges { cursor node { id title state modalities bodyRegions difficulty }
                 highlights { field snippet } }
          pageInfo { hasNextPage endCursor } totalCount"""
Q_TEXT = "query($s: CaseSearch!) { cases(search: $s, first: 20) { " + PAGE + " } }"
Q_FACETED = (
    "query($s: CaseSearch!) { cases(search: $s, first: 20) { "
    + PAGE
    + " facets { field buckets { value label count } } } }"
)

TEXT_COLUMNS = (
    "title",
    "clinical_history",
    "findings",
    "diagnosis",
    "differential_diagnoses",
    "discussion",
    "teaching_points",
    "tags",
)


@dataclass
class Timing:
    p50: float
    p95: float

    @staticmethod
    def of(samples: Sequence[float]) -> Timing:
        ordered = sorted(samples)
        return Timing(statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))])


@dataclass
class Row:
    backend: str
    kind: str
    graphql: Timing
    baseline: Timing
    total: int


# -- seeding -------------------------------------------------------------------------------------


def seed(settings: Settings, n: int) -> tuple[list[CatalogDocument], float]:
    """Migrate, load the curriculum, add the user and collections, bulk-insert n cases; their entries."""
    engine = make_engine(settings)
    migrate.upgrade(engine)
    with SessionFactory(engine, events.EventBus()).scope() as s:
        load_tree(read_tree_file(SAMPLE_CURRICULUM), session=s, principal=SYSTEM)
        user = add_user(USER, roles=["trainer"], password=PASSWORD, session=s, principal=SYSTEM)
        collections: dict[str, Any] = {}
        for path in sorted({p for c in COLLECTIONS for p in _ancestors(c)}):
            parent = collections.get(path.rsplit("/", 1)[0] or "/")
            name = path.rsplit("/", 1)[1]
            collections[path] = create_collection(
                title=name.title(), slug=name, session=s, principal=SYSTEM, parent_uid=parent.uid if parent else None
            )
        titles = load_titles(s)
        user_uid = user.uid
        s.commit()
    leaves = sorted(c for c in titles if c.count(".") == 2)
    docs: list[CatalogDocument] = []
    rows: list[dict[str, Any]] = []
    started = time.perf_counter()
    with engine.begin() as conn:
        for i, d in enumerate(synthetic_documents(n, curriculum=titles, codes=leaves, seed=11)):
            coll = collections[d.collection_path]
            validated = d.state in ("VALIDATED", "RETIRED")
            row = {
                "uid": d.case_id.replace("-", ""),
                "collection_uid": coll.uid,
                "slug": f"case-{i}",
                "path": f"{coll.path}/case-{i}",
                "title": d.title,
                "clinical_history": d.clinical_history,
                "findings": d.findings,
                "diagnosis": d.diagnosis,
                "differential_diagnoses": list(d.differential_diagnoses),
                "discussion": d.discussion,
                "teaching_points": d.teaching_points,
                "difficulty": d.difficulty,
                "patient_age_band": None,
                "patient_sex": None,
                "modalities": list(d.modalities),
                "body_regions": list(d.body_regions),
                "curriculum_codes": list(d.curriculum_codes),
                "tags": list(d.tags),
                "key_images": [],
                "licence": coll.licence,
                "state": d.state,
                "version": d.version,
                "published_version": d.version if validated else None,
                "creator_id": user_uid,
                "created": d.created,
                "modified": d.modified,
            }
            rows.append(row)
            # The entries `lightbox reindex` would make of this row (no local grants here).
            docs.extend(case_documents(Case(**row), published=None, grants=Grants(()), titles=titles))
            if len(rows) == INSERT_BATCH:
                conn.execute(insert(Case), rows)
                rows.clear()
        if rows:
            conn.execute(insert(Case), rows)
    seconds = time.perf_counter() - started
    if settings.is_postgres:
        with engine.connect() as conn:
            conn.execute(text('ANALYZE "case"'))
            conn.commit()
    engine.dispose()
    return docs, seconds


def _ancestors(path: str) -> Iterator[str]:
    parts = path.strip("/").split("/")
    for i in range(len(parts)):
        yield "/" + "/".join(parts[: i + 1])


def index(settings: Settings, docs: list[CatalogDocument]) -> float:
    """Seconds for `backend.rebuild` of the entries (what `lightbox reindex` runs after projecting)."""
    engine = make_engine(settings)
    catalog = open_backend(settings.db_url, settings.index_dir, engine=engine)
    gc.collect()
    started = time.perf_counter()
    count = catalog.rebuild(iter(docs))
    seconds = time.perf_counter() - started
    assert count == len(docs), (count, len(docs))
    catalog.close()
    engine.dispose()
    return seconds


def plain_whoosh_rate(docs: list[CatalogDocument], root: Path) -> float:
    """Cases/s of Whoosh's own single-process SegmentWriter on (up to) the first 10,000 entries,
    measured in the same run as a reference for the indexing rate."""
    from whoosh import index as windex

    from search.whoosh_schema import build_schema, to_whoosh

    sample = docs[:10_000]
    root.mkdir(parents=True)
    ix = windex.create_in(str(root), build_schema(), indexname="catalog")
    gc.collect()
    started = time.perf_counter()
    writer = ix.writer(limitmb=512)
    for doc in sample:
        writer.add_document(**to_whoosh(doc))
    writer.commit()
    seconds = time.perf_counter() - started
    ix.close()
    return len(sample) / seconds


# -- querying ------------------------------------------------------------------------------------


def serve(settings: Settings) -> tuple[uvicorn.Server, str]:
    app = create_app(settings)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server, f"http://127.0.0.1:{port}"


def baseline_sql(engine: Engine) -> Callable[[str, dict[str, Any]], int]:
    """A LIKE scan of the case rows: total count and the newest 20, for one query's input."""
    pg = engine.dialect.name == "postgresql"
    like = "ILIKE" if pg else "LIKE"  # SQLite's LIKE ignores ASCII case already

    def where(kind: str, s: dict[str, Any], params: dict[str, Any]) -> str:
        conds = []
        if "text" in s:
            for i, word in enumerate(s["text"].strip('"').split()):
                params[f"w{i}"] = f"%{word}%"
                conds.append("(" + " OR ".join(f"{c} {like} :w{i}" for c in TEXT_COLUMNS) + ")")
        if "curriculum" in s:
            params["cc"] = f'%"{s["curriculum"][0]}%'
            conds.append(f"curriculum_codes {like} :cc")
        if "modalities" in s:
            params["mo"] = f'%"{s["modalities"][0]}"%'
            conds.append(f"modalities {like} :mo")
        return " AND ".join(conds) or "TRUE"

    def run(kind: str, s: dict[str, Any]) -> int:
        params: dict[str, Any] = {}
        cond = where(kind, s, params)
        casted = (
            cond
            if not pg
            else cond.replace("curriculum_codes ", "CAST(curriculum_codes AS text) ")
            .replace("modalities ", "CAST(modalities AS text) ")
            .replace("differential_diagnoses ", "CAST(differential_diagnoses AS text) ")
            .replace("tags ", "CAST(tags AS text) ")
        )
        with engine.connect() as conn:
            total = conn.execute(text(f'SELECT count(*) FROM "case" WHERE {casted}'), params).scalar_one()
            rows = conn.execute(
                text(f'SELECT uid, title FROM "case" WHERE {casted} ORDER BY created DESC LIMIT 20'), params
            ).all()
        assert len(rows) == min(20, total)
        return int(total)

    return run


def inputs(kind: str, i: int) -> dict[str, Any]:
    if kind == "text":
        return {"text": TEXTS[i % len(TEXTS)]}
    if kind == "subtree":
        return {"curriculum": [SUBTREES[i % len(SUBTREES)]]}
    return {"text": TEXTS[i % len(TEXTS)], "modalities": [FACET_MODALITIES[i % len(FACET_MODALITIES)]]}


def measure(label: str, settings: Settings, repeat: int) -> list[Row]:
    server, base = serve(settings)
    engine = make_engine(settings)
    baseline = baseline_sql(engine)
    out = []
    try:
        with httpx.Client(base_url=base, timeout=120) as http:
            login = http.post(
                "/graphql",
                json={
                    "query": "mutation($u: String!, $p: String!) { login(input: "
                    "{username: $u, password: $p}) { token } }",
                    "variables": {"u": USER, "p": PASSWORD},
                },
            )
            headers = {"Authorization": f"Bearer {login.json()['data']['login']['token']}"}

            def gql(kind: str, s: dict[str, Any]) -> int:
                query = Q_FACETED if kind == "faceted" else Q_TEXT
                r = http.post("/graphql", json={"query": query, "variables": {"s": s}}, headers=headers)
                body = r.json()
                assert "errors" not in body, body
                cases = body["data"]["cases"]
                assert len(cases["edges"]) == min(20, cases["totalCount"]), cases["totalCount"]
                return int(cases["totalCount"])

            for kind in ("text", "subtree", "faceted"):
                for i in range(2 * len(TEXTS)):  # warm caches the way a running server has them
                    gql(kind, inputs(kind, i))
                    baseline(kind, inputs(kind, i))
                g_times, b_times, totals = [], [], []
                for i in range(repeat):
                    s = inputs(kind, i)
                    t0 = time.perf_counter()
                    totals.append(gql(kind, s))
                    t1 = time.perf_counter()
                    baseline(kind, s)
                    t2 = time.perf_counter()
                    g_times.append((t1 - t0) * 1000)
                    b_times.append((t2 - t1) * 1000)
                out.append(Row(label, kind, Timing.of(g_times), Timing.of(b_times), int(statistics.median(totals))))
    finally:
        server.should_exit = True
        engine.dispose()
        time.sleep(0.3)
    return out


# -- runs ----------------------------------------------------------------------------------------


def run_backend(name: str, n: int, repeat: int, root: Path) -> tuple[list[Row], float, float]:
    data = root / name
    db_name = None
    if name == "postgres":
        db_name = f"lightbox_bench_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{db_name}"')
        settings = Settings(data_dir=data, database_url=f"{PG_SERVER}/{db_name}", secret_key="x" * 40)
    else:
        settings = Settings(data_dir=data, secret_key="x" * 40)
    try:
        print(f"[{name}] seeding {n} cases ...", file=sys.stderr, flush=True)
        docs, seed_s = seed(settings, n)
        print(f"[{name}] seeded in {seed_s:.1f}s; indexing {len(docs)} entries ...", file=sys.stderr, flush=True)
        index_s = index(settings, docs)
        rate = len(docs) / index_s
        print(f"[{name}] indexed at {rate:.0f} cases/s; querying ...", file=sys.stderr, flush=True)
        if name == "whoosh":
            PLAIN[name] = plain_whoosh_rate(docs, root / "plain-whoosh")
        del docs
        gc.collect()
        rows = measure(name, settings, repeat)
        return rows, rate, index_s
    finally:
        if db_name:
            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=60, help="timed queries per kind")
    parser.add_argument("--backends", default="whoosh,postgres")
    args = parser.parse_args()
    results: list[Row] = []
    rates: dict[str, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory(prefix="lightbox-search-bench-") as tmp:
        for name in args.backends.split(","):
            rows, rate, seconds = run_backend(name.strip(), args.cases, args.repeat, Path(tmp))
            results.extend(rows)
            rates[name.strip()] = (rate, seconds)
    print(
        f"\ncatalog benchmark: {args.cases} cases, {args.repeat} timed queries per kind, page of 20 through "
        f"POST /graphql; baseline = SQL LIKE scan of the same rows (count + newest 20), same run"
        f"{' (nice ' + str(os.nice(0)) + ')' if os.nice(0) else ''}"
    )
    print(
        f"{'backend':<9} {'query':<8} {'total':>7} {'p50 ms':>8} {'p95 ms':>8} {'base p50':>9} {'base p95':>9} "
        f"{'x p50':>6} {'x p95':>6}"
    )
    for r in results:
        print(
            f"{r.backend:<9} {r.kind:<8} {r.total:>7} {r.graphql.p50:>8.1f} {r.graphql.p95:>8.1f} "
            f"{r.baseline.p50:>9.1f} {r.baseline.p95:>9.1f} {r.graphql.p50 / r.baseline.p50:>6.3f} "
            f"{r.graphql.p95 / r.baseline.p95:>6.3f}"
        )
    for name, (rate, seconds) in rates.items():
        print(f"indexing {name:<9} {rate:>8.0f} cases/s ({args.cases} cases in {seconds:.1f}s, backend.rebuild)")
        if name in PLAIN:
            print(
                f"  reference: Whoosh's plain single-process writer {PLAIN[name]:.0f} cases/s on "
                f"{min(args.cases, 10_000)} of the same cases, same run (ratio {rate / PLAIN[name]:.2f})"
            )


if __name__ == "__main__":
    main()
