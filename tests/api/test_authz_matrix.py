"""Authorisation matrix: every GraphQL root field x every caller against tests/api/authz_matrix.yaml.

One repository per database is seeded through the public services (module-scoped), then each
(operation, caller) cell runs its document over HTTP and compares the outcome with the table.
A refused mutation must leave every row as it was; one expected to succeed runs on a fresh object
so the shared repository stays as seeded. A few non-GraphQL routes close the file.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import graphql
import pytest
import sqlalchemy as sa
import yaml
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.app import create_app
from api.db import SessionFactory
from api.settings import Settings
from content.base import new_uid, utcnow
from content.cases.models import Case as CaseRow
from content.cases.service import create_case, update_case
from content.cases.transitions import transition
from content.collections.local_roles import grant_local_role
from content.curriculum.service import load_tree
from content.errors import DomainError
from content.imaging.models import Study
from content.learning.answers import reveal
from content.lti.platforms import PlatformInput, register_platform
from content.partners.models import PartnerCreate
from content.partners.service import create_partner, create_partner_token
from content.principal import SYSTEM, Principal
from content.security.api_tokens import create_api_token, revoke_api_token
from content.security.passwords import verify_password
from content.tables import metadata
from content.users.admin import update_user
from content.users.models import User, UserUpdate
from content.users.passwords import set_password
from content.users.service import add_to_cohort, add_user, get_or_create_cohort, principal_for
from content.webhooks.models import WebhookDelivery
from content.worklists.assignments import assign_worklist
from content.worklists.feedback import give_feedback
from content.worklists.models import Worklist as WorklistRow
from content.worklists.report_fields import ReportFields
from content.worklists.reports import save_draft, submit_report
from content.worklists.service import WorklistSpec, create_worklist
from media.store import ContentStore
from schema.build import build_schema
from schema.core.ids import from_global_id, to_global_id
from tests.conftest import _truncate
from tests.content import factories as f
from tests.helpers import graphql as post_graphql
from tests.media.imaging_rows import add_series
from tests.media.reference import PYDICOM

TABLE = yaml.safe_load((Path(__file__).with_name("authz_matrix.yaml")).read_text())
CALLERS: list[str] = TABLE["callers"]
OPS: dict[str, dict[str, Any]] = TABLE["operations"]
OUTCOMES = {"ok", "hidden", "forbidden", "unauthenticated", "n/a"}
CODE_OUTCOME = {"NOT_FOUND": "hidden", "FORBIDDEN": "forbidden", "UNAUTHENTICATED": "unauthenticated"}
PASSWORD = "correct horse battery"
# Callers signed in with a password: caller name -> (username, role).
PEOPLE = {
    "trainee": ("ann", "trainee"),
    "contributor": ("carl", "contributor"),
    "trainer": ("tess", "trainer"),
    "validator": ("val", "validator"),
    "administrator": ("adam", "administrator"),
}
# Seeding only: the cases' author and a second trainer who marks reports.
HELPERS = {"author": "trainer", "tom": "trainer"}
# Rows a read may touch (sign-in throttles) or a background worker may (webhook deliveries), and
# columns a read writes (a token's last use): left out of the before/after comparison.
UNWATCHED = {"login_throttle", "webhook_delivery", "webhook_attempt"}
UNWATCHED_COLUMNS = {"last_used"}
CT = PYDICOM / "CT_small.dcm"

Ref = tuple[str, str]  # (GraphQL type name, uid)


@dataclass
class World:
    client: TestClient
    sessions: SessionFactory
    engine: sa.Engine
    ids: dict[str, Ref]
    tokens: dict[str, str | None]
    people: dict[str, Principal] = field(default_factory=dict)
    media: dict[str, str] = field(default_factory=dict)  # name -> series uid / study instance uid
    store: ContentStore | None = None

    def session(self) -> AbstractContextManager[Session]:
        return self.sessions.scope()

    def gql(self, caller: str, document: str, variables: dict[str, Any], *, token: str | None = None) -> dict[str, Any]:
        return post_graphql(self.client, document, variables, token or self.tokens[caller])


# ------------------------------------------------------------------------------ seeding


def _case(
    s: Session,
    w: World,
    state: str,
    *,
    by: str = "author",
    coll: str = "north",
    title: str = "Case",
    code: str = "CHEST.PLEURA.PNEUMOTHORAX",
) -> str:
    """A chest case in `state`; validated ones have versions 1 (create), 2 (edit), 3 (submit), 4 (validate)."""
    author = w.people[by]
    case = create_case(
        collection_uid=w.ids[coll][1],
        fields={"title": title, "diagnosis": "Left pneumothorax", "findings": "First look", "curriculum_codes": [code]},
        session=s,
        principal=author,
    )
    if state == "DRAFT":
        return case.uid
    update_case(case.uid, expected_version=1, changes={"findings": "Second look"}, session=s, principal=author)
    transition(case.uid, "SUBMIT", session=s, principal=author)
    if state == "SUBMITTED":
        return case.uid
    transition(case.uid, "VALIDATE", session=s, principal=w.people["val"])
    if state == "RETIRED":
        transition(case.uid, "RETIRE", session=s, principal=author)
    return case.uid


def _worklist(s: Session, w: World, cases: list[str], title: str = "Chest list") -> str:
    spec = WorklistSpec(title=title, mode="LONG_CASE", case_uids=tuple(cases))
    return create_worklist(spec, session=s, principal=w.people["tom"]).uid


def _assign(s: Session, w: World, worklist: str) -> str:
    return assign_worklist(worklist, trainee_uids=[w.ids["ann"][1]], session=s, principal=w.people["tom"])[0].uid


def _report(s: Session, w: World, assignment: str, case: str) -> str:
    values = ReportFields(observations="Air in the pleural space", principal_diagnosis="Pneumothorax")
    return submit_report(assignment, case, values, session=s, principal=w.people["ann"]).uid


def _fresh_assignment(s: Session, w: World) -> dict[str, Ref]:
    case = _case(s, w, "VALIDATED", title="Fresh listed")
    assignment = _assign(s, w, _worklist(s, w, [case], title="Fresh list"))
    return {"assignment": ("Assignment", assignment), "listed3": ("Case", case)}


def _fresh_report(s: Session, w: World) -> str:
    made = _fresh_assignment(s, w)
    return _report(s, w, made["assignment"][1], made["listed3"][1])


def _fresh_imaged(s: Session, w: World) -> dict[str, Ref]:
    """A validated case with one study, for the image-set mutations."""
    assert w.store is not None
    uid = _case(s, w, "VALIDATED", title="Fresh imaged")
    series, _ = add_series(s, w.store, case_uid=uid, files=[CT])
    return {"validated": ("Case", uid), "validated_study": ("Study", series.study_uid)}


def _fresh_marked(s: Session, w: World) -> dict[str, Ref]:
    report = _fresh_report(s, w)
    give_feedback(report, score=5, comment="Good", session=s, principal=w.people["tom"])
    return {"report_marked": ("Report", report)}


def _retired_tag(s: Session, w: World, code: str = "") -> str:
    """A validated north case tagged with a code that is then retired, replaced by CHEST.PLEURA.PNEUMOTHORAX."""
    code = code or f"CHEST.PLEURA.R{new_uid()[:8].upper()}"
    load_tree([{"code": code, "title": "Retiring"}], session=s, principal=SYSTEM)
    case = _case(s, w, "VALIDATED", title=f"Tagged {code}", code=code)
    load_tree(
        [{"code": code, "title": "Retiring", "deprecated": True, "replaced_by": "CHEST.PLEURA.PNEUMOTHORAX"}],
        session=s,
        principal=SYSTEM,
    )
    return case


def _fresh_revealed(s: Session, w: World) -> dict[str, Ref]:
    """A validated case every person caller has answered and revealed in self-study, awaiting a rating."""
    uid = _case(s, w, "VALIDATED", title="Fresh study")
    for username, _ in PEOPLE.values():
        with suppress(DomainError):  # a contributor may not open a model answer
            reveal(uid, "Air in the pleural space", True, session=s, principal=w.people[username], now=utcnow())
    return {"validated": ("Case", uid)}


# What a mutation expected to succeed runs on instead of the shared object (authz_matrix.yaml `fresh`).
FRESH: dict[str, Callable[[Session, World], dict[str, Ref]]] = {
    "draft": lambda s, w: {"draft": ("Case", _case(s, w, "DRAFT", title="Fresh draft"))},
    "own_draft": lambda s, w: {"own_draft": ("Case", _case(s, w, "DRAFT", by="carl", title="Fresh own"))},
    "submitted": lambda s, w: {"submitted": ("Case", _case(s, w, "SUBMITTED", title="Fresh submitted"))},
    "validated": lambda s, w: {"validated": ("Case", _case(s, w, "VALIDATED", title="Fresh validated"))},
    "imaged": _fresh_imaged,
    "study_revealed": _fresh_revealed,
    "worklist": lambda s, w: {
        "worklist": (
            "Worklist",
            _worklist(s, w, [w.ids[k][1] for k in ("listed1", "listed2", "listed3")], title="Fresh list"),
        )
    },
    "assignment": _fresh_assignment,
    "retired_tag": lambda s, w: {"retired_tag": ("Case", _retired_tag(s, w))},
    "report_submitted": lambda s, w: {"report_submitted": ("Report", _fresh_report(s, w))},
    "report_marked": _fresh_marked,
    "sub_partner": lambda s, w: {"sub_partner": _subscribe(w, "partner_in")},
    "person": lambda s, w: {"bea": ("User", _person(s, "trainee"))},
    "validator_person": lambda s, w: {"val": ("User", _person(s, "validator"))},
    "member": lambda s, w: {"mo": ("User", _person(s, "trainee", cohort=w.ids["cohort_trainer"][1]))},
    "member_st1": lambda s, w: {"ann": ("User", _person(s, "trainee", cohort=w.ids["cohort"][1]))},
    "collection": lambda s, w: {"east": ("Collection", f.collection(s, f"East {new_uid()[:8]}"))},
    "grant": lambda s, w: {"grant": _grant(s, w, "ann", "trainee")},
    "vgrant": lambda s, w: {"vgrant": _grant(s, w, "val", "validator")},
    "api_token": lambda s, w: {"api_token": _api_token(s, w)},
    "held": lambda s, w: {"held": _held(s, w)},
    "token_partner_out": lambda s, w: {
        "token_partner_out": (
            "ApiToken",
            create_partner_token(w.ids["partner_out"][1], "fresh", session=s, principal=SYSTEM)[1].uid,
        )
    },
}


def _held(s: Session, w: World) -> Ref:
    """A draft by the author with one image held for burned-in text."""
    case = _case(s, w, "DRAFT", title="Held image")
    store = ContentStore(w.client.app.state.settings.media_dir)  # type: ignore[attr-defined]
    _, rows = add_series(s, store, case_uid=case, files=[CT], quarantined=[0])
    return ("Instance", rows[0].uid)


def _person(s: Session, role: str, *, cohort: str | None = None) -> str:
    """A new person without a password (nobody signs in as them), in `cohort` if given."""
    user = add_user(f"fresh{new_uid()[:10]}", roles=[role], password=None, session=s, principal=SYSTEM)
    if cohort is not None:
        add_to_cohort(cohort, user.uid, session=s, principal=SYSTEM)
    return user.uid


def _grant(s: Session, w: World, person: str, role: str) -> Ref:
    """`person` holds `role` on a new collection of its own, so revoking it changes nothing shared."""
    coll = f.collection(s, f"Shared {new_uid()[:8]}")
    return (
        "LocalRoleGrant",
        grant_local_role(coll, role=role, user_uid=w.ids[person][1], session=s, principal=SYSTEM).uid,
    )


def _api_token(s: Session, w: World) -> Ref:
    with_user = s.get(User, w.ids["adam"][1])
    assert with_user is not None
    return (
        "ApiToken",
        create_api_token(
            "matrix", scope="read", acting_user=with_user, collection_path=None, session=s, principal=SYSTEM
        )[1].uid,
    )


SUBSCRIBE = """mutation($i: CreateWebhookSubscriptionInput!) {
  createWebhookSubscription(input: $i) { subscription { id } errors { code } } }"""


def _subscribe(w: World, caller: str) -> Ref:
    """A webhook subscription of the caller's account; `.invalid` never resolves, so nothing is sent."""
    out = w.gql(caller, SUBSCRIBE, {"i": {"url": f"https://hooks.invalid/{caller}", "events": ["CASE_VALIDATED"]}})
    made = out["data"]["createWebhookSubscription"]
    assert made["errors"] == [], made
    return ("WebhookSubscription", from_global_id(made["subscription"]["id"])[1])


def _seed_administration(s: Session, w: World) -> None:
    """ST2, the trainer tess's cohort (with ann and mo); bea in no cohort; gone, deactivated; grants
    on north of roles their holders have anyway (so nothing else changes); an administrator's API
    token and a revoked one."""
    trainers = get_or_create_cohort("ST2", session=s, principal=SYSTEM)
    w.ids["cohort_trainer"] = ("Cohort", trainers.uid)
    w.ids["bea"] = ("User", _person(s, "trainee"))
    w.ids["mo"] = ("User", _person(s, "trainee", cohort=trainers.uid))
    for name in ("tess", "ann"):
        add_to_cohort(trainers.uid, w.ids[name][1], session=s, principal=SYSTEM)
    gone = _person(s, "trainee")
    update_user(gone, UserUpdate(active=False), session=s, principal=SYSTEM)
    w.ids["gone"] = ("User", gone)
    north = w.ids["north"][1]
    w.ids["grant"] = (
        "LocalRoleGrant",
        grant_local_role(north, role="trainee", user_uid=w.ids["ann"][1], session=s, principal=SYSTEM).uid,
    )
    w.ids["vgrant"] = (
        "LocalRoleGrant",
        grant_local_role(north, role="validator", user_uid=w.ids["val"][1], session=s, principal=SYSTEM).uid,
    )
    w.ids["api_token"] = _api_token(s, w)
    revoked = _api_token(s, w)
    revoke_api_token(revoked[1], session=s, principal=SYSTEM)
    w.ids["revoked_token"] = revoked
    platform, _ = register_platform(
        PlatformInput(
            "https://vle.matrix.example",
            "matrix-client",
            "deployment-1",
            "https://vle.matrix.example/auth",
            "https://vle.matrix.example/token",
            "https://vle.matrix.example/jwks",
        ),
        session=s,
        principal=SYSTEM,
    )
    w.ids["lti_platform"] = ("LtiPlatform", platform.uid)


def _seed(w: World, store: ContentStore) -> None:
    w.store = store
    with w.session() as s:
        f.curriculum(s)
        users = {}
        for name, role in [*PEOPLE.values(), *HELPERS.items()]:
            users[name] = f.person(s, name, role)[0]
        cohort = get_or_create_cohort("ST1", session=s, principal=SYSTEM)
        add_to_cohort(cohort.uid, users["ann"].uid, session=s, principal=SYSTEM)
        w.people.update({name: principal_for(user, session=s) for name, user in users.items()})
        w.ids.update({"ann": ("User", users["ann"].uid), "cohort": ("Cohort", cohort.uid)})
        w.ids.update({name: ("User", users[name].uid) for name in ("tess", "val", "adam")})
        for name in ("north", "south", "east"):
            w.ids[name] = ("Collection", f.collection(s, name.title()))
        for caller, coll in (("partner_in", "north"), ("partner_out", "south")):
            partner = create_partner(
                PartnerCreate(name=caller, collection_uids=[w.ids[coll][1]]), session=s, principal=SYSTEM
            )
            w.tokens[caller], row = create_partner_token(partner.uid, "matrix", session=s, principal=SYSTEM)
            w.ids[caller] = ("Partner", partner.uid)
            w.ids[f"token_{caller}"] = ("ApiToken", row.uid)
        _seed_administration(s, w)
    for caller, (username, _) in PEOPLE.items():
        out = w.gql(
            "anonymous",
            "mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) { token } }",
            {"u": username, "p": PASSWORD},
        )
        w.tokens[caller] = out["data"]["login"]["token"]
    # Subscribed before any case is validated, so validations leave deliveries for them.
    w.ids["sub_partner"], w.ids["sub_admin"] = _subscribe(w, "partner_in"), _subscribe(w, "administrator")
    with w.session() as s:
        for key, state in (
            ("draft", "DRAFT"),
            ("submitted", "SUBMITTED"),
            ("validated", "VALIDATED"),
            ("retired", "RETIRED"),
            ("listed1", "VALIDATED"),
            ("listed2", "VALIDATED"),
            ("listed3", "VALIDATED"),
        ):
            w.ids[key] = ("Case", _case(s, w, state, title=key.title()))
        w.ids["own_draft"] = ("Case", _case(s, w, "DRAFT", by="carl", title="Own draft"))
        working = _case(s, w, "VALIDATED", title="Working")
        update_case(
            working,
            expected_version=4,
            changes={"findings": "Working copy secret"},
            comment="Working copy secret",
            session=s,
            principal=w.people["author"],
        )
        w.ids["working"] = ("Case", working)
        w.ids["retired_tag"] = ("Case", _retired_tag(s, w, "CHEST.PLEURA.OLD"))
        w.ids["south_case"] = (
            "Case",
            _case(s, w, "VALIDATED", coll="south", title="South", code="NEURO.STROKE.ISCHAEMIC"),
        )
        worklist = _worklist(s, w, [w.ids[k][1] for k in ("listed1", "listed2", "listed3")])
        assignment = _assign(s, w, worklist)
        marked = _report(s, w, assignment, w.ids["listed2"][1])
        give_feedback(marked, score=5, comment="Good", session=s, principal=w.people["tom"])
        draft = save_draft(
            assignment,
            w.ids["listed3"][1],
            ReportFields(observations="Not sure yet"),
            session=s,
            principal=w.people["ann"],
        )
        w.ids.update(
            {
                "worklist": ("Worklist", worklist),
                "assignment": ("Assignment", assignment),
                "report_submitted": ("Report", _report(s, w, assignment, w.ids["listed1"][1])),
                "report_marked": ("Report", marked),
                "report_draft": ("Report", draft.uid),
            }
        )
        w.ids["held"] = _held(s, w)
        for name in ("draft", "validated"):
            series, _ = add_series(s, store, case_uid=w.ids[name][1], files=[CT])
            w.media[name] = series.uid
            w.media[f"{name}_study"] = series.study_uid
            w.ids[f"{name}_study"] = ("Study", series.study_uid)
        for sub in ("sub_partner", "sub_admin"):
            delivery = s.exec(select(WebhookDelivery).where(WebhookDelivery.subscription_uid == w.ids[sub][1])).first()
            assert delivery is not None, f"no delivery for {sub}"
            w.ids[sub.replace("sub_", "delivery_")] = ("WebhookDelivery", delivery.uid)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(
    request: pytest.FixtureRequest, migrated: dict[str, Settings], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    base = migrated[request.param]
    settings = base.model_copy(
        update={"data_dir": tmp_path_factory.mktemp(f"authz-{request.param}"), "database_url": base.db_url}
    )
    app = create_app(settings)
    with TestClient(app) as client:
        runtime = app.state.runtime
        _truncate(runtime.engine)
        w = World(client=client, sessions=runtime.sessions, engine=runtime.engine, ids={}, tokens={"anonymous": None})
        _seed(w, ContentStore(settings.media_dir))
        yield w


# ------------------------------------------------------------------------------ running a cell

SIGN_IN = "mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) { token } }"


def _own_token(w: World, caller: str) -> str | None:
    """A credential of the caller's own for a cell that ends it (authz_matrix.yaml `own_session`)."""
    if caller in PEOPLE:
        token: str = w.gql("anonymous", SIGN_IN, {"u": PEOPLE[caller][0], "p": PASSWORD})["data"]["login"]["token"]
        return token
    if caller in ("partner_in", "partner_out"):
        with w.session() as s:
            return create_partner_token(w.ids[caller][1], "own", session=s, principal=SYSTEM)[0]
    return None


def _restore(w: World, caller: str) -> None:
    """Put back a password a cell changed, and sign the caller in again if that ended their session."""
    if caller not in PEOPLE:
        return
    with w.session() as s:
        user = s.exec(select(User).where(User.username == PEOPLE[caller][0])).one()
        if not verify_password(PASSWORD, user.password_hash):
            set_password(user, PASSWORD, reason="reset", session=s)
            s.commit()
    if w.gql(caller, "{ me { id } }", {}).get("errors"):
        w.tokens[caller] = _own_token(w, caller)


def _resolve(value: Any, w: World, ids: dict[str, Ref], caller: str) -> Any:
    if isinstance(value, dict):
        return {k: _resolve(v, w, ids, caller) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(v, w, ids, caller) for v in value]
    if not isinstance(value, str) or "@" not in value:
        return value
    if not value.startswith("@"):
        return value.replace("@caller", caller)
    name, _, attr = value[1:].partition(".")
    type_name, uid = ids[name]
    if attr == "version":
        return _version(w, type_name, uid)
    return to_global_id(type_name, uid)


def _version(w: World, type_name: str, uid: str) -> int:
    """The version a mutation must name now (optimistic concurrency)."""
    with w.session() as s:
        row = s.get(CaseRow, uid) if type_name == "Case" else s.get(WorklistRow, uid)
        assert row is not None, f"no {type_name} {uid}"
        return row.version


def _outcome(op: dict[str, Any], body: dict[str, Any], ids: dict[str, Ref]) -> str:
    if body.get("errors"):
        code = body["errors"][0].get("extensions", {}).get("code")
        return CODE_OUTCOME.get(code, f"error {code}: {body['errors'][0].get('message')}")
    value = body["data"][op["field"]]
    if _is_mutation(op) and value["errors"]:
        code = value["errors"][0]["code"]
        return CODE_OUTCOME.get(code, f"error {code}")
    if _is_mutation(op):
        value = {k: v for k, v in value.items() if k != "errors" and v not in (None, [])} or None
    if "reveal_gap" in op:  # a gap list reveals a holding by leaving its node off
        return "hidden" if op["reveal_gap"] in (row["code"] for row in value) else "ok"
    if value in (None, []):
        return "hidden"
    if "reveal" in op and to_global_id(*ids[op["reveal"]]) not in json.dumps(value):
        return "hidden"
    if "reveal_text" in op and op["reveal_text"] not in json.dumps(value):
        return "hidden"
    if "reveal_count" in op and not any(n > 0 for n in _values_of(value, op["reveal_count"])):
        return "hidden"
    return "ok"


def _values_of(tree: Any, key: str) -> Iterator[Any]:
    """Every value stored under `key`, at any depth of an answer."""
    if isinstance(tree, dict):
        for k, v in tree.items():
            if k == key:
                yield v
            yield from _values_of(v, key)
    elif isinstance(tree, list):
        for item in tree:
            yield from _values_of(item, key)


def _is_mutation(op: dict[str, Any]) -> bool:
    return str(op["document"]).lstrip().startswith("mutation")


def _fingerprint(engine: sa.Engine) -> dict[str, list[str]]:
    """Every watched row, as text: a refused mutation must leave this exactly as it found it."""
    out = {}
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            if table.name in UNWATCHED:
                continue
            columns = [c for c in table.columns if c.name not in UNWATCHED_COLUMNS]
            out[table.name] = sorted(repr(tuple(row)) for row in conn.execute(sa.select(*columns)))
    return out


CELLS = [
    pytest.param(name, caller, id=f"{name}--{caller}")
    for name, op in OPS.items()
    for caller in CALLERS
    if op["expect"].get(caller) != "n/a"
]


@pytest.mark.parametrize(("name", "caller"), CELLS)
def test_cell(world: World, name: str, caller: str) -> None:
    op = OPS[name]
    expected = op["expect"][caller]
    ids = dict(world.ids)
    if expected == "ok" and "fresh" in op:
        with world.session() as s:
            ids.update(FRESH[op["fresh"]](s, world))
    variables = _resolve(op.get("variables", {}), world, ids, caller)
    token = _own_token(world, caller) if op.get("own_session") else None
    try:
        _run_cell(world, op, name, caller, expected, variables, ids, token)
    finally:
        if op.get("own_session"):
            _restore(world, caller)


def _run_cell(
    world: World,
    op: dict[str, Any],
    name: str,
    caller: str,
    expected: str,
    variables: Any,
    ids: dict[str, Ref],
    token: str | None,
) -> None:
    watch = _is_mutation(op) and op.get("writes", True)
    before = _fingerprint(world.engine) if watch else {}
    body = world.gql(caller, op["document"], variables, token=token)
    got = _outcome(op, body, ids)
    assert got == expected, f"{name} as {caller}: expected {expected}, got {got}: {json.dumps(body)[:600]}"
    if watch:
        after = _fingerprint(world.engine)
        changed = sorted(t for t in after if after[t] != before[t])
        if expected == "ok":
            assert changed, f"{name} as {caller} answered ok but wrote nothing"
        else:
            assert changed == [], f"refused {name} as {caller} still changed {changed}"


# ------------------------------------------------------------------------------ the table itself


def _root_fields() -> set[tuple[str, str]]:
    schema = build_schema()._schema
    return {
        (kind, name)
        for kind, t in (("query", schema.query_type), ("mutation", schema.mutation_type))
        if t is not None
        for name in t.fields
    }


def test_table_covers_every_root_field_and_caller() -> None:
    covered = {("mutation" if _is_mutation(op) else "query", op["field"]) for op in OPS.values()}
    assert _root_fields() - covered == set(), "root fields with no row in authz_matrix.yaml"
    assert covered - _root_fields() == set(), "rows naming fields the schema no longer has"
    for name, op in OPS.items():
        assert list(op["expect"]) == CALLERS, f"{name}: expectations must list every caller, in order"
        assert set(op["expect"].values()) <= OUTCOMES, f"{name}: unknown outcome"
        if "fresh" in op:
            assert op["fresh"] in FRESH, f"{name}: no fresh builder {op['fresh']}"


@pytest.mark.parametrize("name", list(OPS))
def test_document_is_valid_and_selects_its_field(name: str) -> None:
    op = OPS[name]
    document = graphql.parse(op["document"])
    assert graphql.validate(build_schema()._schema, document) == []
    definition = document.definitions[0]
    assert isinstance(definition, graphql.OperationDefinitionNode)
    roots = [sel.name.value for sel in definition.selection_set.selections if isinstance(sel, graphql.FieldNode)]
    assert roots == [op["field"]]


# ------------------------------------------------------------------------------ routes beside GraphQL


def _get(w: World, caller: str, url: str, **headers: str) -> Any:
    token = w.tokens[caller]
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return w.client.get(url, headers=headers)


@pytest.mark.parametrize(
    ("caller", "case", "status"),
    [
        ("trainee", "draft", 404),
        ("trainee", "validated", 200),
        ("anonymous", "validated", 401),
        ("partner_out", "validated", 404),
        ("partner_in", "validated", 200),
        ("trainer", "draft", 200),
    ],
)
def test_media_thumbnail(world: World, caller: str, case: str, status: int) -> None:
    response = _get(world, caller, f"/media/series/{world.media[case]}/thumbnail")
    assert response.status_code == status, response.text[:300]
    if status == 200:
        assert response.headers["content-type"].startswith("image/")
    else:
        assert not response.headers["content-type"].startswith("image/")


@pytest.mark.parametrize(
    ("caller", "outcome"),
    [("partner_in", "ok"), ("partner_out", "hidden"), ("trainee", "ok"), ("anonymous", "unauthenticated")],
)
def test_dicomweb_study_of_a_validated_case(world: World, caller: str, outcome: str) -> None:
    with world.session() as s:
        study = s.get(Study, world.media["validated_study"])
        assert study is not None
        study_uid = study.study_instance_uid
    found = _get(world, caller, "/dicomweb/studies", Accept="application/dicom+json")
    meta = _get(world, caller, f"/dicomweb/studies/{study_uid}/metadata", Accept="application/dicom+json")
    if outcome == "unauthenticated":
        assert (found.status_code, meta.status_code) == (401, 401)
        return
    assert found.status_code in (200, 204), found.text[:300]
    listed = found.json() if found.status_code == 200 else []
    assert (study_uid in json.dumps(listed)) is (outcome == "ok")
    assert meta.status_code == (200 if outcome == "ok" else 404), meta.text[:300]


@pytest.mark.parametrize(
    ("caller", "status", "code"),
    [
        ("anonymous", 401, "UNAUTHENTICATED"),
        ("trainee", 403, "FORBIDDEN"),
        ("partner_in", 403, "FORBIDDEN"),
    ],
)
def test_upload_refused(world: World, caller: str, status: int, code: str) -> None:
    before = _fingerprint(world.engine)
    token = world.tokens[caller]
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = world.client.post(
        "/api/uploads",
        data={"collection": "/north"},
        headers=headers,
        files=[("files", ("ct.dcm", CT.read_bytes(), "application/dicom"))],
    )
    assert response.status_code == status, response.text[:300]
    assert response.json()["error"]["code"] == code
    assert _fingerprint(world.engine) == before
