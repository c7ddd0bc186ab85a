"""A partner's token over the real app: GraphQL case/node/cases/search, /media and /dicomweb.

Another partner's cases are absent or NOT_FOUND on every path, never shown.
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from schema.core.ids import to_global_id
from tests.content.partners.world import HULL, NORTHERN, World
from tests.helpers import graphql_data

CASE = """query($id: ID!) { node(id: $id) { ... on Case { title
  provenance { licence collection { path title } validatedBy }
  studies { series { thumbnailUrl } } } } }"""
SEARCH = """query($search: CaseSearch, $first: Int) { cases(search: $search, first: $first) {
  totalCount edges { node { id title thumbnailUrl } } } }"""


def _gql(client: TestClient, token: str, query: str, **variables: Any) -> dict[str, Any]:
    return graphql_data(client, query, variables, token)


def _titles(data: dict[str, Any]) -> set[str]:
    return {e["node"]["title"] for e in data["cases"]["edges"]}


def test_graphql_reads_only_the_partners_cases(client: TestClient, world: World) -> None:
    token = world.tokens[NORTHERN]
    own = _gql(client, token, CASE, id=to_global_id("Case", world.cases["leeds-stroke"]))["node"]
    assert own["title"] == "Left MCA infarct"
    assert own["provenance"] == {
        "licence": "CC-BY-NC-4.0",
        "collection": {"path": "/north/leeds", "title": "Leeds"},
        "validatedBy": "Dr Val Checker",
    }
    for other in ("hull-bleed", "north-draft", "north-retired"):
        assert _gql(client, token, CASE, id=to_global_id("Case", world.cases[other]))["node"] is None
    listed = _gql(client, token, SEARCH, first=50)  # no search: the SQL listing
    searched = _gql(client, token, SEARCH, search={"text": "haemorrhage OR infarct OR thrombosis OR pneumothorax"})
    expected = {"Left MCA infarct", "Tension pneumothorax", "Basilar artery thrombosis"}
    assert _titles(listed) == expected == _titles(searched)
    assert listed["cases"]["totalCount"] == searched["cases"]["totalCount"] == 3
    neuro = _gql(client, token, SEARCH, search={"curriculum": ["NEURO.STROKE"]})
    assert _titles(neuro) == {"Left MCA infarct", "Basilar artery thrombosis"}
    # Hull reads its own, and (allowed retired cases) nothing of /north until granted it.
    hull = _gql(client, world.tokens[HULL], SEARCH, search={"curriculum": ["NEURO"]})
    assert _titles(hull) == {"Lobar haemorrhage"}


def test_media_and_dicomweb_refuse_another_partners_images(client: TestClient, world: World) -> None:
    auth = {"Authorization": f"Bearer {world.tokens[NORTHERN]}"}
    own = _gql(client, world.tokens[NORTHERN], CASE, id=to_global_id("Case", world.cases["leeds-stroke"]))
    url = own["node"]["studies"][0]["series"][0]["thumbnailUrl"]
    shown = client.get(url, headers=auth)
    assert shown.status_code == 200 and shown.headers["content-type"] == "image/webp"
    hull_url = url.replace(world.series["leeds-stroke"], world.series["hull-bleed"])
    assert client.get(hull_url, headers=auth).status_code == 404
    assert client.get(hull_url, headers={"Authorization": f"Bearer {world.tokens[HULL]}"}).status_code == 200
    assert client.get(url).status_code == 401
    studies = client.get("/dicomweb/studies", headers={**auth, "Accept": "application/dicom+json"})
    assert studies.status_code == 200
    found = {item["0020000D"]["Value"][0] for item in studies.json()}
    assert found == {world.studies[k] for k in ("leeds-stroke", "york-ptx", "north-revised")}
    hull_study = world.studies["hull-bleed"]
    assert client.get(f"/dicomweb/studies/{hull_study}/metadata", headers=auth).status_code == 404
    assert (
        client.get(
            f"/dicomweb/studies/{hull_study}/metadata", headers={"Authorization": f"Bearer {world.tokens[HULL]}"}
        ).status_code
        == 200
    )
