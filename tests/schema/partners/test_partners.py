"""Partners over GraphQL: only administrators manage them; tokens issued once; provenance on cases."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from content.cases.service import create_case
from content.cases.transitions import transition
from content.principal import SYSTEM
from content.users.service import add_user, principal_for
from schema.core.ids import to_global_id
from tests.content.partners.conftest import as_token
from tests.content.partners.world import HULL, NORTHERN, World
from tests.schema.partners.conftest import RunGql

PARTNER_FIELDS = "id name contact maySeeRetired createdAt collections { path title }"
CREATE = f"""mutation($input: CreatePartnerInput!) {{
  createPartner(input: $input) {{ partner {{ {PARTNER_FIELDS} }} errors {{ field message code }} }} }}"""
UPDATE = f"""mutation($input: UpdatePartnerInput!) {{
  updatePartner(input: $input) {{ partner {{ {PARTNER_FIELDS} }} errors {{ field message code }} }} }}"""
TOKEN = """mutation($input: CreatePartnerTokenInput!) {
  createPartnerToken(input: $input) { token partner { name } errors { field message code } } }"""
PARTNERS = f"{{ partners {{ {PARTNER_FIELDS} }} }}"
PARTNER = f"query($id: ID) {{ partner(id: $id) {{ {PARTNER_FIELDS} }} }}"
PROVENANCE = """query($id: ID!) { node(id: $id) { ... on Case { title
  provenance { licence collection { path title } validatedBy validatedAt } } } }"""


def _gid(kind: str, uid: str) -> str:
    return to_global_id(kind, uid)


def _codes(out: dict[str, Any], name: str) -> list[str]:
    return [e["code"] for e in out["data"][name]["errors"]]


def test_administrators_create_update_and_issue_tokens(session: Session, world: World, run_gql: RunGql) -> None:
    admin = world.people["admin"]
    leeds, hull = _gid("Collection", world.collections["leeds"]), _gid("Collection", world.collections["hull"])
    made = run_gql(
        CREATE,
        admin,
        input={"name": "Leeds Teaching Hospitals", "collections": [leeds], "contact": "pacs@leeds.example"},
    )["data"]["createPartner"]
    assert made["errors"] == []
    partner = made["partner"]
    assert partner["name"] == "Leeds Teaching Hospitals" and partner["maySeeRetired"] is False
    assert partner["collections"] == [{"path": "/north/leeds", "title": "Leeds"}]
    # Partial update: only what is given changes.
    updated = run_gql(UPDATE, admin, input={"id": partner["id"], "maySeeRetired": True})["data"]["updatePartner"]
    assert updated["errors"] == [] and updated["partner"]["maySeeRetired"] is True
    assert updated["partner"]["contact"] == "pacs@leeds.example"
    assert updated["partner"]["collections"] == [{"path": "/north/leeds", "title": "Leeds"}]
    moved = run_gql(UPDATE, admin, input={"id": partner["id"], "collections": [hull, leeds]})["data"]["updatePartner"]
    assert [c["path"] for c in moved["partner"]["collections"]] == ["/hull", "/north/leeds"]
    issued = run_gql(TOKEN, admin, input={"partner": partner["id"], "name": "PACS"})["data"]["createPartnerToken"]
    assert issued["errors"] == [] and issued["token"].startswith("lbx_")
    principal = as_token(session, issued["token"])
    assert principal.partner is not None and principal.partner.paths == ("/hull", "/north/leeds")
    assert principal.partner.sees_retired
    listed = run_gql(PARTNERS, admin)["data"]["partners"]
    assert [p["name"] for p in listed] == [HULL, "Leeds Teaching Hospitals", NORTHERN]
    assert listed[2]["collections"] == [{"path": "/north", "title": "North"}, {"path": "/york", "title": "York"}]


def test_only_administrators_manage_partners(session: Session, world: World, run_gql: RunGql) -> None:
    trainer = world.people["author"]
    northern = as_token(session, world.tokens[NORTHERN])
    north = _gid("Collection", world.collections["north"])
    northern_id = _gid("Partner", world.partners[NORTHERN])
    for who in (trainer, northern):
        assert _codes(run_gql(CREATE, who, input={"name": "Rogue", "collections": [north]}), "createPartner") == [
            "FORBIDDEN"
        ]
        assert _codes(run_gql(UPDATE, who, input={"id": northern_id, "maySeeRetired": True}), "updatePartner") == [
            "FORBIDDEN"
        ]
        refused = run_gql(TOKEN, who, input={"partner": northern_id, "name": "x"})["data"]["createPartnerToken"]
        assert refused["token"] is None and [e["code"] for e in refused["errors"]] == ["FORBIDDEN"]
        assert run_gql(PARTNERS, who)["errors"][0]["code"].value == "FORBIDDEN"
    # Nothing was written by the refusals.
    admin = world.people["admin"]
    assert [p["name"] for p in run_gql(PARTNERS, admin)["data"]["partners"]] == [HULL, NORTHERN]
    assert run_gql(PARTNER, admin, id=northern_id)["data"]["partner"]["maySeeRetired"] is False
    # A partner reads its own record (by id or without one), never another's.
    own = run_gql(PARTNER, northern)["data"]["partner"]
    assert own["name"] == NORTHERN and [c["path"] for c in own["collections"]] == ["/north", "/york"]
    assert run_gql(PARTNER, northern, id=northern_id)["data"]["partner"]["name"] == NORTHERN
    assert run_gql(PARTNER, northern, id=_gid("Partner", world.partners[HULL]))["data"]["partner"] is None
    assert run_gql(PARTNER, trainer, id=northern_id)["data"]["partner"] is None


def test_bad_input_is_a_coded_payload_error(world: World, run_gql: RunGql) -> None:
    admin = world.people["admin"]
    north = _gid("Collection", world.collections["north"])
    cases = [
        ({"name": NORTHERN.upper(), "collections": [north]}, "DUPLICATE", "name"),
        ({"name": "  ", "collections": [north]}, "INVALID_INPUT", "name"),
        ({"name": "New", "collections": [_gid("Collection", "0" * 32)]}, "NOT_FOUND", "collections"),
        ({"name": "New", "collections": [_gid("Case", world.cases["york-ptx"])]}, "NOT_FOUND", "collections"),
        ({"name": "New", "collections": [north] * 101}, "INVALID_INPUT", "collections"),
        ({"name": "New", "collections": [north], "contact": "x" * 301}, "INVALID_INPUT", "contact"),
    ]
    for given, code, field in cases:
        errors = run_gql(CREATE, admin, input=given)["data"]["createPartner"]["errors"]
        assert [(e["code"], e["field"]) for e in errors] == [(code, field)], given
    unknown = run_gql(UPDATE, admin, input={"id": _gid("Partner", "0" * 32), "contact": "x"})
    assert _codes(unknown, "updatePartner") == ["NOT_FOUND"]
    clash = run_gql(UPDATE, admin, input={"id": _gid("Partner", world.partners[HULL]), "name": NORTHERN})
    assert _codes(clash, "updatePartner") == ["DUPLICATE"]


def test_provenance_names_licence_collection_and_validator(session: Session, world: World, run_gql: RunGql) -> None:
    northern = as_token(session, world.tokens[NORTHERN])
    case = run_gql(PROVENANCE, northern, id=_gid("Case", world.cases["leeds-stroke"]))["data"]["node"]
    provenance = case["provenance"]
    assert provenance["licence"] == "CC-BY-NC-4.0"
    assert provenance["collection"] == {"path": "/north/leeds", "title": "Leeds"}
    assert provenance["validatedBy"] == "Dr Val Checker" and provenance["validatedAt"] is not None
    # A case under revision: the partner gets the published version, with its validation.
    revised = run_gql(PROVENANCE, northern, id=_gid("Case", world.cases["north-revised"]))["data"]["node"]
    assert revised["title"] == "Basilar artery thrombosis"
    assert revised["provenance"]["validatedBy"] == "Dr Val Checker"
    # An editor looking at a draft: provenance without a validation.
    draft = run_gql(PROVENANCE, world.people["author"], id=_gid("Case", world.cases["north-draft"]))["data"]["node"]
    assert draft["provenance"]["validatedBy"] is None and draft["provenance"]["validatedAt"] is None
    # Another partner's case is not there at all.
    assert run_gql(PROVENANCE, northern, id=_gid("Case", world.cases["hull-bleed"]))["data"]["node"] is None


def _statements(session: Session, run: Any) -> int:
    engine = session.get_bind()
    count = 0

    def counter(*_: Any) -> None:
        nonlocal count
        count += 1

    sa.event.listen(engine, "before_cursor_execute", counter)
    try:
        run()
    finally:
        sa.event.remove(engine, "before_cursor_execute", counter)
    return count


def test_a_page_of_provenance_costs_the_same_statements_as_one(session: Session, world: World, run_gql: RunGql) -> None:
    # More validators, so a per-case lookup of the validator would show as more statements.
    author = world.people["author"]
    for n in range(3):
        user = add_user(
            f"checker{n}",
            roles=["validator"],
            password=None,
            display_name=f"Checker {n}",
            session=session,
            principal=SYSTEM,
        )
        case = create_case(
            collection_uid=world.collections["york"], fields={"title": f"Extra {n}"}, session=session, principal=author
        )
        transition(case.uid, "SUBMIT", session=session, principal=author)
        transition(case.uid, "VALIDATE", session=session, principal=principal_for(user, session=session))
    northern = as_token(session, world.tokens[NORTHERN])
    query = """query($first: Int!) { cases(first: $first) { totalCount edges { node { title
      provenance { licence collection { path } validatedBy validatedAt } } } } }"""
    pages: dict[int, dict[str, Any]] = {}

    def page(first: int) -> Any:
        return lambda: pages.__setitem__(first, run_gql(query, northern, first=first))

    one, six = _statements(session, page(1)), _statements(session, page(6))
    assert pages[6]["data"]["cases"]["totalCount"] == 6
    validators = {e["node"]["provenance"]["validatedBy"] for e in pages[6]["data"]["cases"]["edges"]}
    assert validators == {"Dr Val Checker", "Checker 0", "Checker 1", "Checker 2"}
    assert one == six
