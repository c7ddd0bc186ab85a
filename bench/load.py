"""Load test: a mixed workload from N concurrent clients against `lightbox serve --workers 2` on PostgreSQL.

    .venv/bin/python bench/load.py [--clients 50] [--seconds 30] [--cases 3000] [--baseline-seconds 10] [--apq]
                                   [--nodes 2 --workers 1]

Setup (all in a fresh PostgreSQL database `lightbox_load_<pid>` on 127.0.0.1:5432 and a temp
data dir, both removed at the end, also on Ctrl-C or failure):

* `lightbox migrate`, then `lightbox demo --seed-only`: the sample curriculum, the demo people,
  collections and cases with real DICOM images imported (so series thumbnails exist);
* N synthetic cases (search.synthetic: realistic text lengths, Zipf-like words, 1-2 curriculum
  codes) created through the services (create_case, then SUBMIT / VALIDATE / RETIRE as the
  document's state says), so every case has its versions, terms and audit rows;
* `lightbox reindex`, so the catalog holds every case;
* one user per client (trainer, validator and trainee in turn) with a signed token each: the
  per-token rate limit (LIGHTBOX_RATE_LIMIT_PER_MINUTE, left at its default) applies per person.

Then `lightbox serve --workers 2` runs as a subprocess; once /readyz answers, the clients
(httpx.AsyncClient, one keep-alive connection each, no think time) run for a bounded time:

* baseline: GET /healthz from the same N clients for --baseline-seconds (same concurrency,
  same client process, same server), so machine noise and client overhead are in both;
* mixed: each client draws, per request, a search (50 %), a case detail (25 %) or a
  thumbnail (25 %). Searches are `cases(search: {...}, first: 20)` with varied free text,
  curriculum codes, modality/region/difficulty filters, order and (one in three) facets.
  Details are `node(id:)` on a case with curriculum, collection, studies and series, picked
  from the ids that answers to clients of the same role returned (seeded by browsing the /north/*
  collections, which hold the demo cases). Thumbnails GET the /media URLs (series thumbnails
  and montages) that those answers carried: only the demo cases have images.

With --nodes N (docs/deployment.md's two-node layout): N `lightbox serve` processes on their own
ports, each with --workers, sharing the database, the media dir and the job queue
(LIGHTBOX_JOB_QUEUE=1), plus one `lightbox worker`; client i talks to node i mod N, so one client
pool spreads over every node. Server CPU and the profile then cover every node.

Errors are non-2xx/304 answers, transport failures and GraphQL answers with `errors`.
Per kind: count, throughput, p50/p95/p99 in ms, errors, and p50/p95 as a ratio to the
baseline's. The load generator shares the machine with the server (and with whatever else runs).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

import httpx
import psycopg
from sqlmodel import select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from api.db import SessionFactory, make_engine  # noqa: E402
from api.settings import Settings  # noqa: E402
from content import events  # noqa: E402
from content.cases.service import create_case  # noqa: E402
from content.cases.transitions import transition  # noqa: E402
from content.collections.service import by_path, create_collection  # noqa: E402
from content.errors import DomainError  # noqa: E402
from content.principal import SYSTEM  # noqa: E402
from content.security.sessions import open_session  # noqa: E402
from content.users.models import User  # noqa: E402
from content.users.service import add_user, principal_for  # noqa: E402
from search.projection import load_titles  # noqa: E402
from search.synthetic import COLLECTIONS, synthetic_documents  # noqa: E402

PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
PG_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
SECRET = "load-bench-" + "k" * 40
ROLES = ("trainer", "validator", "trainee")
MIX = (("search", 0.50), ("detail", 0.25), ("thumbnail", 0.25))

TEXTS = (
    "haemorrhage",
    "pneumothorax",
    "fracture stenosis",
    "CT aneurysm",
    '"pulmonary embolism"',
    "mass",
    "infarct",
    "subdural",
    "appendicitis",
    "effusion consolidation",
    "stroke",
    "scaphoid",
    "MCA",
    "lesion enhancement",
    "thrombus",
    "meningioma",
)
CURRICULUM = ("NEURO", "CHEST", "MSK", "GI", "NEURO.STROKE", "CHEST.PLEURA", "TRAUMA.HEAD", "GI.ACUTE")
MODALITIES = ("CT", "MR", "CR", "US")
REGIONS = ("HEAD", "CHEST", "ABDOMEN", "SPINE")
DIFFICULTIES = ("FOUNDATION", "INTERMEDIATE", "ADVANCED")
ORDERS = ("RELEVANCE", "NEWEST", "TITLE")

HIT = "id title state modalities bodyRegions difficulty thumbnailUrl curriculum { code title }"
Q_SEARCH = (
    "query($s: CaseSearch!) { cases(search: $s, first: 20) { totalCount "
    "pageInfo { hasNextPage endCursor } edges { cursor node { " + HIT + " } highlights { field snippet } } } }"
)
Q_FACETED = (
    "query($s: CaseSearch!) { cases(search: $s, first: 20) { totalCount "
    "pageInfo { hasNextPage endCursor } edges { cursor node { " + HIT + " } highlights { field snippet } } "
    "facets { field buckets { value label count } } } }"
)
Q_DETAIL = """query($id: ID!) { node(id: $id) { ... on Case {
  id title state version clinicalHistory findings diagnosis differentialDiagnoses discussion teachingPoints
  difficulty modalities bodyRegions tags licence thumbnailUrl availableTransitions
  curriculum { code title } collection { title path } creator { displayName }
  studies { id description modality studyDate series { id description modality instanceCount
    thumbnailUrl previewUrl } } } } }"""
Q_DEMO = """{ cases(first: 100, search: {orderBy: NEWEST, collection: "%s"}) { edges { node {
  id thumbnailUrl studies { series { thumbnailUrl } } } } } }"""


# -- cleanup on signals ---------------------------------------------------------------------------


STOPPING = threading.Event()


def _interrupt(signum: int, _frame: FrameType | None) -> None:
    """SIGTERM: clients stop at their next request (an exception raised inside a coroutine may be
    swallowed by library cleanup), and the main thread unwinds through the cleanup."""
    STOPPING.set()
    raise KeyboardInterrupt(f"signal {signum}")


# -- setup ----------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cli(env: dict[str, str], *args: str) -> str:
    """Run `lightbox ARGS` (the real command line) and return its output; raise on failure."""
    done = subprocess.run(
        [sys.executable, "-m", "api.cli", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"lightbox {' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout


def _ancestors(path: str) -> Iterator[str]:
    parts = path.strip("/").split("/")
    for i in range(len(parts)):
        yield "/" + "/".join(parts[: i + 1])


def seed_synthetic(settings: Settings, n: int) -> None:
    """n synthetic cases through the services, in the states the synthetic documents carry."""
    engine = make_engine(settings)
    # A bus with no indexer: `lightbox reindex` builds the catalog afterwards in one pass.
    sessions = SessionFactory(engine, events.EventBus())
    with sessions.scope() as s:
        users = {u.username: u for u in s.exec(select(User)).all()}
        trainer = principal_for(users["trainer"], session=s)
        validator = principal_for(users["validator"], session=s)
        admin = principal_for(users["admin"], session=s)
        uids: dict[str, str] = {}
        for path in sorted({p for c in COLLECTIONS for p in _ancestors(c)}):
            try:
                uids[path] = by_path(path, session=s).uid
            except DomainError:
                parent, _, slug = path.rpartition("/")
                uids[path] = create_collection(
                    title=slug.title(), slug=slug, parent_uid=uids.get(parent), session=s, principal=admin
                ).uid
        titles = load_titles(s)
        leaves = sorted(c for c in titles if c.count(".") == 2)
        steps = {
            "DRAFT": (),
            "SUBMITTED": (("SUBMIT", trainer),),
            "VALIDATED": (("SUBMIT", trainer), ("VALIDATE", validator)),
            "RETIRED": (("SUBMIT", trainer), ("VALIDATE", validator), ("RETIRE", admin)),
        }
        started = time.perf_counter()
        for i, d in enumerate(synthetic_documents(n, curriculum=titles, codes=leaves, seed=11)):
            fields = {
                "title": d.title,
                "clinical_history": d.clinical_history,
                "findings": d.findings,
                "diagnosis": d.diagnosis,
                "differential_diagnoses": list(d.differential_diagnoses),
                "discussion": d.discussion,
                "teaching_points": d.teaching_points,
                "difficulty": d.difficulty,
                "modalities": list(d.modalities),
                "body_regions": list(d.body_regions),
                "curriculum_codes": list(d.curriculum_codes),
                "tags": list(d.tags),
            }
            case = create_case(
                collection_uid=uids[d.collection_path], fields=fields, comment="synthetic", session=s, principal=trainer
            )
            for name, actor in steps[d.state]:
                transition(case.uid, name, comment="load bench", session=s, principal=actor)
            if (i + 1) % 500 == 0:
                rate = (i + 1) / (time.perf_counter() - started)
                print(f"  {i + 1}/{n} synthetic cases ({rate:.0f}/s)", file=sys.stderr, flush=True)
    engine.dispose()


def add_clients(settings: Settings, n: int, start: int = 0) -> list[str]:
    """One person per client, roles in turn; a signed token for each (as `login` would issue)."""
    engine = make_engine(settings)
    out = []
    with SessionFactory(engine, events.EventBus()).scope() as s:
        for i in range(start, start + n):
            user = add_user(
                f"load{i:03d}",
                roles=[ROLES[i % len(ROLES)]],
                password=None,
                display_name=f"Load client {i}",
                session=s,
                principal=SYSTEM,
            )
            out.append(open_session(user, session=s, secret=settings.secret(), ttl_seconds=3 * 3600))
        s.commit()
    engine.dispose()
    return out


def wait_ready(url: str, process: subprocess.Popen[bytes], seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode} before /readyz answered")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer 200 within {seconds:.0f} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the server's own process group (uvicorn's master and its workers), then SIGKILL."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        except ProcessLookupError:
            pass


# -- workload -------------------------------------------------------------------------------------


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, Counter[str]] = field(default_factory=dict)
    samples: dict[str, str] = field(default_factory=dict)  # error -> the first answer that showed it

    def add(self, kind: str, ms: float, error: str | None, answer: str = "") -> None:
        self.latencies.setdefault(kind, []).append(ms)
        counter = self.errors.setdefault(kind, Counter())
        if error is not None:
            counter[error] += 1
            self.samples.setdefault(error, answer[:300])


@dataclass
class Shared:
    """What clients learned from answers: case ids and /media URLs (a browser follows these)."""

    case_ids: list[str] = field(default_factory=list)
    media: list[str] = field(default_factory=list)
    seen_media: set[str] = field(default_factory=set)

    def learn_media(self, url: str | None) -> None:
        if url and url not in self.seen_media:
            self.seen_media.add(url)
            self.media.append(url)


def search_input(rng: random.Random) -> tuple[str, dict[str, Any]]:
    s: dict[str, Any] = {}
    if rng.random() < 0.7:
        s["text"] = rng.choice(TEXTS)
    if rng.random() < 0.4 or not s:
        s["curriculum"] = [rng.choice(CURRICULUM)]
    if rng.random() < 0.3:
        s["modalities"] = [rng.choice(MODALITIES)]
    if rng.random() < 0.15:
        s["bodyRegions"] = [rng.choice(REGIONS)]
    if rng.random() < 0.15:
        s["difficulties"] = [rng.choice(DIFFICULTIES)]
    if rng.random() < 0.5:
        s["orderBy"] = rng.choice(ORDERS)
    return (Q_FACETED if rng.random() < 1 / 3 else Q_SEARCH), s


def _graphql_error(response: httpx.Response) -> tuple[str | None, dict[str, Any] | None]:
    if response.status_code != 200:
        return f"HTTP {response.status_code}", None
    body = response.json()
    if body.get("errors"):
        codes = sorted({str(e.get("extensions", {}).get("code", "?")) for e in body["errors"]})
        return "GraphQL " + ",".join(codes), None
    return None, body.get("data")


def _persisted(query: str) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": hashlib.sha256(query.encode()).hexdigest()}}


async def post_graphql(
    http: httpx.AsyncClient, query: str, variables: dict[str, Any], sent: set[str] | None
) -> httpx.Response:
    """POST a query; with `sent` (APQ on), the hash alone once this client has sent the text with it,
    and the text again when the server answers PERSISTED_QUERY_NOT_FOUND (as Apollo's link does)."""
    if sent is None:
        return await http.post("/graphql", json={"query": query, "variables": variables})
    extensions = _persisted(query)
    if query in sent:
        response = await http.post("/graphql", json={"variables": variables, "extensions": extensions})
        # A byte search, not a second JSON decode of every answer: the client shares the CPUs.
        if b"PERSISTED_QUERY_NOT_FOUND" not in response.content[:200]:
            return response
    sent.add(query)
    return await http.post("/graphql", json={"query": query, "variables": variables, "extensions": extensions})


async def one_request(
    kind: str, http: httpx.AsyncClient, rng: random.Random, shared: Shared, stats: Stats, sent: set[str] | None = None
) -> None:
    if kind == "detail" and not shared.case_ids:
        kind = "search"
    if kind == "thumbnail" and not shared.media:
        kind = "search"
    error: str | None = None
    data: dict[str, Any] | None = None
    answer = ""
    started = time.perf_counter()
    try:
        if kind == "health":
            response = await http.get("/healthz")
            error = None if response.status_code == 200 else f"HTTP {response.status_code}"
        elif kind == "search":
            query, s = search_input(rng)
            response = await post_graphql(http, query, {"s": s}, sent)
            error, data = _graphql_error(response)
        elif kind == "detail":
            response = await post_graphql(http, Q_DETAIL, {"id": rng.choice(shared.case_ids)}, sent)
            error, data = _graphql_error(response)
            if error is None and (data is None or data.get("node") is None):
                error = "detail: node is null"
        else:
            response = await http.get(rng.choice(shared.media))
            await response.aread()
            if response.status_code not in (200, 304):
                error = f"HTTP {response.status_code}"
            elif "x-lightbox-placeholder" in response.headers:
                error = "placeholder " + response.headers["x-lightbox-placeholder"][:40]
        if error is not None:
            answer = f"{response.request.method} {response.request.url.path} -> {response.text}"
    except httpx.HTTPError as exc:
        error, answer = type(exc).__name__, str(exc)
    stats.add(kind, (time.perf_counter() - started) * 1000, error, answer)
    if data is not None:
        learn(data, shared)


def learn(data: dict[str, Any], shared: Shared) -> None:
    cases = data.get("cases")
    nodes = [e["node"] for e in cases["edges"]] if cases else []
    if data.get("node"):
        nodes.append(data["node"])
    for node in nodes:
        if len(shared.case_ids) < 5000:
            shared.case_ids.append(node["id"])
        shared.learn_media(node.get("thumbnailUrl"))
        for study in node.get("studies") or []:
            for series in study.get("series") or []:
                shared.learn_media(series.get("thumbnailUrl"))
                shared.learn_media(series.get("previewUrl"))


async def client(
    base: str | list[str],
    token: str,
    seed: int,
    until: float,
    kinds: tuple[str, ...],
    weights: tuple[float, ...],
    shared: Shared,
    stats: Stats,
    apq: bool = False,
) -> None:
    rng = random.Random(seed)
    if isinstance(base, list):  # one pool of clients over several nodes
        base = base[seed % len(base)]
    sent: set[str] | None = set() if apq else None  # the query texts this client has sent with their hash
    async with httpx.AsyncClient(
        base_url=base, timeout=60, headers={"Authorization": f"Bearer {token}"}, limits=httpx.Limits(max_connections=1)
    ) as http:
        while time.monotonic() < until and not STOPPING.is_set():
            await one_request(rng.choices(kinds, weights)[0], http, rng, shared, stats, sent)


async def run_phase(
    base: str | list[str],
    tokens_: list[str],
    seconds: float,
    kinds: tuple[str, ...],
    weights: tuple[float, ...],
    shared: dict[str, Shared],
    apq: bool = False,
) -> tuple[Stats, float]:
    """Client i has role ROLES[i % 3] and draws ids and URLs from what that role's answers carried."""
    stats = Stats()
    started = time.monotonic()
    until = started + seconds
    await asyncio.gather(
        *(
            client(base, t, 1000 + i, until, kinds, weights, shared[ROLES[i % len(ROLES)]], stats, apq)
            for i, t in enumerate(tokens_)
        )
    )
    if STOPPING.is_set():
        raise KeyboardInterrupt("stopped")
    return stats, time.monotonic() - started


async def harvest(base: str, token: str, shared: Shared) -> None:
    """Case ids and thumbnails of the /north/* collections (the demo's, with its images, and three
    synthetic ones), as the token's owner browsing them sees them."""
    async with httpx.AsyncClient(base_url=base, timeout=60, headers={"Authorization": f"Bearer {token}"}) as http:
        response = await http.post("/graphql", json={"query": "{ collections { id path } }"})
        error, data = _graphql_error(response)
        if error or data is None:
            raise RuntimeError(f"collections query failed: {error}")
        for coll in data["collections"]:
            if not coll["path"].startswith("/north/") or coll["path"].count("/") != 2:
                continue
            error, page = _graphql_error(await http.post("/graphql", json={"query": Q_DEMO % coll["id"]}))
            if error or page is None:
                raise RuntimeError(f"demo cases query failed: {error}")
            learn(page, shared)


# -- server CPU and profile -----------------------------------------------------------------------


def _tree(pid: int) -> list[int]:
    """pid and its descendants (uvicorn's master and its worker processes)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return out


def server_cpu_seconds(*pids: int) -> float:
    """User + system CPU of the servers' processes so far (PostgreSQL's own backends are not counted)."""
    total = 0
    for p in (q for pid in pids for q in _tree(pid)):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / os.sysconf("SC_CLK_TCK")


def start_profiler(pid: int, output: str) -> subprocess.Popen[bytes]:  # one node: the first
    """py-spy on the server and its workers; SVG flame graph, or collapsed stacks for any other suffix."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    fmt = "flamegraph" if output.endswith(".svg") else "raw"
    return subprocess.Popen(
        [
            spy,
            "record",
            "--subprocesses",
            "--nonblocking",
            "--rate",
            "50",
            "--format",
            fmt,
            "-o",
            output,
            "--pid",
            str(pid),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def stop_profiler(profiler: subprocess.Popen[bytes]) -> None:
    profiler.send_signal(signal.SIGINT)  # py-spy writes its output on Ctrl-C
    try:
        profiler.wait(timeout=60)
    except subprocess.TimeoutExpired:
        profiler.kill()


# -- report ---------------------------------------------------------------------------------------


def pct(ordered: list[float], q: float) -> float:
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def report(
    baseline: Stats, base_s: float, mixed: Stats, mixed_s: float, clients: int, layout: str = "1 node(s) x 2 worker(s)"
) -> None:
    b = sorted(baseline.latencies.get("health", [0.0]))
    b50, b95 = statistics.median(b), pct(b, 0.95)
    print(
        f"\nload benchmark: {clients} clients, `lightbox serve` ({layout}) on PostgreSQL, "
        f"{os.cpu_count()} CPUs shared with the load generator; ratios against /healthz under the same "
        f"concurrency, same run"
    )
    print(
        f"{'kind':<10} {'count':>7} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7} "
        f"{'x p50':>7} {'x p95':>7}"
    )
    rows = [("healthz", baseline.latencies.get("health", []), baseline.errors.get("health", Counter()), base_s)]
    rows += [(k, mixed.latencies.get(k, []), mixed.errors.get(k, Counter()), mixed_s) for k, _ in MIX]
    all_mixed = [ms for k, _ in MIX for ms in mixed.latencies.get(k, [])]
    all_errors: Counter[str] = sum((mixed.errors.get(k, Counter()) for k, _ in MIX), Counter())
    rows.append(("all mixed", all_mixed, all_errors, mixed_s))
    for name, samples, errors, seconds in rows:
        if not samples:
            print(f"{name:<10} {0:>7}")
            continue
        ordered = sorted(samples)
        p50, p95, p99 = statistics.median(ordered), pct(ordered, 0.95), pct(ordered, 0.99)
        print(
            f"{name:<10} {len(ordered):>7} {len(ordered) / seconds:>8.1f} {p50:>8.1f} {p95:>8.1f} {p99:>8.1f} "
            f"{sum(errors.values()):>7} {p50 / b50:>7.2f} {p95 / b95:>7.2f}"
        )
    for name, _, errors, _ in rows[:-1]:
        for reason, count in errors.most_common():
            first = mixed.samples.get(reason) or baseline.samples.get(reason)
            print(f"  {name} error: {reason} x{count}; first: {first}")
    search = sorted(mixed.latencies.get("search", [0.0]))
    detail = sorted(mixed.latencies.get("detail", [0.0]))
    share = len(all_mixed) / mixed_s / (len(b) / base_s)
    print(
        "goals (issue 17): "
        + "; ".join(
            f"{label} -> {value} ({'met' if ok else 'not met'})"
            for label, value, ok in (
                ("0 errors", f"{sum(all_errors.values())} errors", not all_errors),
                ("mixed >= 0.07 of /healthz", f"{share:.3f}", share >= 0.07),
                ("search p95 <= 400 ms", f"{pct(search, 0.95):.0f} ms", pct(search, 0.95) <= 400),
                ("case page p95 <= 250 ms", f"{pct(detail, 0.95):.0f} ms", pct(detail, 0.95) <= 250),
            )
        )
    )


def merged(phases: list[tuple[Stats, float]]) -> tuple[Stats, float]:
    out = Stats()
    for stats, _ in phases:
        for kind, samples in stats.latencies.items():
            out.latencies.setdefault(kind, []).extend(samples)
        for kind, errors in stats.errors.items():
            out.errors.setdefault(kind, Counter()).update(errors)
        for reason, sample in stats.samples.items():
            out.samples.setdefault(reason, sample)
    return out, sum(seconds for _, seconds in phases)


def report_apq(plain: Stats, plain_s: float, apq: Stats, apq_s: float) -> None:
    print(
        "\nmixed with APQ (hash alone after a client's first request of a query) vs without, phases alternating "
        "(without, with, without, with; each --seconds / 2):"
    )
    print(
        f"{'kind':<10} {'req/s':>8} {'x req/s':>8} {'p50 ms':>8} {'x p50':>7} {'p95 ms':>8} {'x p95':>7} {'errors':>7}"
    )
    for kind in ("search", "detail", "all mixed"):
        kinds = [k for k, _ in MIX] if kind == "all mixed" else [kind]
        a = sorted(ms for k in kinds for ms in apq.latencies.get(k, []))
        p = sorted(ms for k in kinds for ms in plain.latencies.get(k, []))
        if not a or not p:
            continue
        errors = sum(sum(apq.errors.get(k, Counter()).values()) for k in kinds)
        rate, base_rate = len(a) / apq_s, len(p) / plain_s
        print(
            f"{kind:<10} {rate:>8.1f} {rate / base_rate:>8.2f} {statistics.median(a):>8.1f} "
            f"{statistics.median(a) / statistics.median(p):>7.2f} {pct(a, 0.95):>8.1f} "
            f"{pct(a, 0.95) / pct(p, 0.95):>7.2f} {errors:>7}"
        )
    for kind in ("search", "detail"):
        for reason, count in apq.errors.get(kind, Counter()).most_common():
            print(f"  {kind} error with APQ: {reason} x{count}; first: {apq.samples.get(reason)}")


# -- main -----------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0, help="length of the mixed run")
    parser.add_argument("--baseline-seconds", type=float, default=10.0, help="length of the /healthz run")
    parser.add_argument("--cases", type=int, default=3000, help="synthetic cases besides the demo's")
    parser.add_argument("--workers", type=int, default=2, help="worker processes per node")
    parser.add_argument(
        "--nodes",
        type=int,
        default=1,
        help="`lightbox serve` processes on their own ports sharing one database, media dir and job queue, "
        "plus one `lightbox worker` when more than one (the two-node deployment of docs/deployment.md)",
    )
    parser.add_argument(
        "--keep",
        metavar="NAME",
        help="keep the database lightbox_load_NAME and its data dir (/tmp/lightbox-load-NAME) after the run, "
        "and reuse them (skipping the setup) when they exist: for iterating on the server",
    )
    parser.add_argument("--reindex", action="store_true", help="with --keep: rebuild the catalog of the kept database")
    parser.add_argument(
        "--server-root",
        type=Path,
        default=ROOT,
        help="the checkout whose code the server runs (another worktree: before/after on one database)",
    )
    parser.add_argument(
        "--apq",
        action="store_true",
        help="also run the mixed phase with automatic persisted queries (each client sends a query's hash alone "
        "once it has sent the text) and print its throughput and p95 as ratios to the plain mixed phase",
    )
    parser.add_argument("--profile", metavar="SVG", help="record the server under py-spy (flame graph to SVG)")
    parser.add_argument(
        "--cpu-seconds",
        type=float,
        default=5.0,
        help="length of each single-kind phase (search only, detail only) that measures server CPU per request",
    )
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, _interrupt)

    db_name = f"lightbox_load_{args.keep or os.getpid()}"
    folder = Path(f"/tmp/lightbox-load-{args.keep}") if args.keep else Path(tempfile.mkdtemp(prefix="lightbox-load-"))
    tokens_file = folder / "tokens.txt"
    reuse = bool(args.keep) and tokens_file.exists()
    profiler: subprocess.Popen[bytes] | None = None
    servers: list[subprocess.Popen[bytes]] = []
    log_paths: list[Path] = []
    try:
        if not reuse:
            folder.mkdir(parents=True, exist_ok=True)
            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{db_name}"')
        url = f"{PG_SERVER}/{db_name}"
        settings = Settings(data_dir=folder / "data", database_url=url, secret_key=SECRET)
        env = {
            **os.environ,
            "LIGHTBOX_DATA_DIR": str(settings.data_dir),
            "LIGHTBOX_DATABASE_URL": url,
            "LIGHTBOX_SECRET_KEY": SECRET,
        }
        if reuse:
            client_tokens = tokens_file.read_text().split()
            if len(client_tokens) < args.clients:  # more clients than the kept database has people for
                client_tokens += add_clients(settings, args.clients - len(client_tokens), start=len(client_tokens))
                tokens_file.write_text("\n".join(client_tokens))
            client_tokens = client_tokens[: args.clients]
            print(f"[setup] reusing database {db_name} and {folder}", file=sys.stderr, flush=True)
            cli(env, "migrate")
            if args.reindex:
                print("[setup] " + cli(env, "reindex").strip(), file=sys.stderr, flush=True)
        else:
            step = time.perf_counter()
            print(f"[setup] database {db_name}, data dir {folder}", file=sys.stderr, flush=True)
            cli(env, "migrate")
            seeded = cli(env, "demo", "--seed-only")
            print(
                "[setup] demo: " + "; ".join(line for line in seeded.splitlines() if not line.startswith("user ")),
                file=sys.stderr,
                flush=True,
            )
            seed_synthetic(settings, args.cases)
            print("[setup] " + cli(env, "reindex").strip(), file=sys.stderr, flush=True)
            client_tokens = add_clients(settings, args.clients)
            tokens_file.write_text("\n".join(client_tokens))
            with psycopg.connect(f"host=127.0.0.1 port=5432 user=postgres dbname={db_name}", autocommit=True) as conn:
                conn.execute("ANALYZE")
            print(
                f"[setup] done in {time.perf_counter() - step:.0f} s; starting the server", file=sys.stderr, flush=True
            )

        node_env = {**env, "PYTHONPATH": str(args.server_root)}
        commands: list[list[str]] = []
        ports = [free_port() for _ in range(args.nodes)]
        for port in ports:
            commands.append(
                [sys.executable, "-m", "api.cli", "serve", "--port", str(port), "--workers", str(args.workers)]
            )
        if args.nodes > 1:
            node_env["LIGHTBOX_JOB_QUEUE"] = "1"
            commands.append([sys.executable, "-m", "api.cli", "worker"])
        for i, command in enumerate(commands):
            log_paths.append(folder / f"server-{i}.log")
            servers.append(
                subprocess.Popen(
                    command,
                    cwd=args.server_root,
                    env=node_env,
                    stdout=log_paths[-1].open("wb"),
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        nodes = [f"http://127.0.0.1:{port}" for port in ports]
        for node, process in zip(nodes, servers, strict=False):
            wait_ready(f"{node}/readyz", process)
        server = servers[0]
        base = nodes[0]
        pids = [p.pid for p in servers]
        shared = {role: Shared() for role in ROLES}
        for i, role in enumerate(ROLES[: len(client_tokens)]):
            asyncio.run(harvest(base, client_tokens[i], shared[role]))
        print(
            "[run] harvested from the /north/* collections (demo and synthetic): "
            + ", ".join(f"{r} {len(v.case_ids)} cases/{len(v.media)} media URLs" for r, v in shared.items())
            + "; "
            f"warm-up, then /healthz baseline {args.baseline_seconds:.0f} s, then mixed {args.seconds:.0f} s",
            file=sys.stderr,
            flush=True,
        )
        kinds = tuple(k for k, _ in MIX)
        weights = tuple(w for _, w in MIX)
        print(f"[run] {args.nodes} node(s) x {args.workers} worker(s)", file=sys.stderr, flush=True)
        asyncio.run(run_phase(nodes, client_tokens, 3.0, kinds, weights, shared))  # warm every worker
        baseline, base_s = asyncio.run(
            run_phase(nodes, client_tokens, args.baseline_seconds, ("health",), (1.0,), shared)
        )
        if args.profile:
            profiler = start_profiler(server.pid, args.profile)
        mixed, mixed_s = asyncio.run(run_phase(nodes, client_tokens, args.seconds, kinds, weights, shared))
        if profiler is not None:
            stop_profiler(profiler)
        apq_pair: tuple[tuple[Stats, float], tuple[Stats, float]] | None = None
        if args.apq:
            # Plain and hashed mixed phases alternate (twice each, half as long), same server and
            # clients, so drift in the shared machine's load falls on both alike.
            halves: dict[bool, list[tuple[Stats, float]]] = {False: [], True: []}
            for apq in (False, True, False, True):
                halves[apq].append(
                    asyncio.run(run_phase(nodes, client_tokens, args.seconds / 2, kinds, weights, shared, apq=apq))
                )
            apq_pair = (merged(halves[False]), merged(halves[True]))
        cpu: dict[str, tuple[int, float]] = {}
        if args.cpu_seconds > 0:
            # With --apq the plain and hashed phases of each kind alternate, twice, so drift in the
            # machine's load falls on both alike.
            plans = [(k, False) for k in ("search", "detail")]
            if args.apq:
                plans = [(k, apq) for k in ("search", "detail") for _ in range(2) for apq in (False, True)]
            spent: dict[str, list[float]] = {}
            for kind, apq in plans:
                before = server_cpu_seconds(*pids)
                alone, _ = asyncio.run(
                    run_phase(nodes, client_tokens, args.cpu_seconds, (kind,), (1.0,), shared, apq=apq)
                )
                total = spent.setdefault(kind + (" with APQ" if apq else ""), [0.0, 0.0])
                total[0] += len(alone.latencies.get(kind, []))
                total[1] += server_cpu_seconds(*pids) - before
            cpu = {name: (int(n), seconds * 1000 / max(n, 1)) for name, (n, seconds) in spent.items()}
        layout = f"{args.nodes} node(s) x {args.workers} worker(s)"
        report(baseline, base_s, mixed, mixed_s, args.clients, layout)
        goals = {"search": 8.0, "detail": 5.0}
        for kind, (count, ms) in cpu.items():
            goal = goals.get(kind)
            verdict = f"; goal <= {goal:.0f} ms ({'met' if ms <= goal else 'not met'})" if goal else ""
            print(f"server CPU per {kind}: {ms:.1f} ms ({count} requests alone, app processes){verdict}")
        if apq_pair is not None:
            report_apq(*apq_pair[0], *apq_pair[1])
        for process in servers:
            if process.poll() is not None:
                print(f"{process.args!r} exited with {process.returncode} during the run", file=sys.stderr)
    finally:
        for process, log_path in zip(servers, log_paths, strict=True):
            stop(process)
            lines = log_path.read_text(errors="replace").splitlines()
            tracebacks = [i for i, line in enumerate(lines) if line.startswith("Traceback")]
            if tracebacks:
                print(f"server log: {len(tracebacks)} traceback(s); the first:", file=sys.stderr)
                end = next((j for j in range(tracebacks[0] + 1, len(lines)) if lines[j][:1] not in (" ", "")), -1)
                for line in lines[max(0, tracebacks[0] - 2) : end + 1][-40:]:
                    print("  " + line[:300], file=sys.stderr)
        if profiler is not None and profiler.poll() is None:
            stop_profiler(profiler)
        if not args.keep:
            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
