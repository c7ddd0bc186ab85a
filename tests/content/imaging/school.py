"""A small school over the real app for image-set tests: people, a partner, imports of real files."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from content.partners.models import PartnerCreate
from content.partners.service import create_partner, create_partner_token
from content.principal import SYSTEM, Principal
from content.users.service import add_user, principal_for
from importers.pipeline import ImportTarget, import_paths
from media.store import ContentStore
from schema.core.ids import to_global_id
from tests.content import factories as f
from tests.helpers import graphql_data
from tests.importers.conftest import _find

SECRET = b"versioned-images-secret-0123456789"
PASSWORD = "correct horse battery"

CASE_STUDIES = """query($id: ID!) { node(id: $id) { ... on Case { version state publishedVersion
  studies { id series { id instances(first: 10) { edges { node { id renderedUrl } } } } }
  keyImages { id } } } }"""


class School:
    def __init__(self, session: Session, client: TestClient, store: ContentStore) -> None:
        self.session, self.client, self.store = session, client, store
        f.curriculum(session)
        self.people: dict[str, Principal] = {}
        for name, role in (("author", "trainer"), ("checker", "validator"), ("ann", "trainee")):
            user = add_user(name, roles=[role], password=PASSWORD, session=session, principal=SYSTEM)
            self.people[name] = principal_for(user, session=session)
        self.collection = f.collection(session, "Leeds")
        partner = create_partner(
            PartnerCreate(name="Northern Deanery", contact="pacs@northern.example", collection_uids=[self.collection]),
            session=session,
            principal=SYSTEM,
        )
        self.partner_token, _ = create_partner_token(partner.uid, "PACS", session=session, principal=SYSTEM)
        self.tokens = {name: self.login(name) for name in self.people}

    def login(self, name: str) -> str:
        login = "mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) { token } }"
        token: str = graphql_data(self.client, login, {"u": name, "p": PASSWORD})["login"]["token"]
        return token

    def gql(self, token: str, query: str, **variables: Any) -> dict[str, Any]:
        return graphql_data(self.client, query, variables, token)

    def import_file(self, tmp: Path, name: str, *, case: str | None = None) -> None:
        folder = tmp / name.replace(".", "_")
        folder.mkdir()
        shutil.copy(_find(name), folder / name)
        summary = import_paths(
            [folder],
            target=ImportTarget(self.collection, case),
            session=self.session,
            principal=self.people["author"],
            store=self.store,
            secret=SECRET,
            workers=1,
        )
        assert summary.imported == 1, summary

    def study_uids(self, token: str, case_uid: str) -> set[str]:
        node = self.gql(token, CASE_STUDIES, id=to_global_id("Case", case_uid))["node"]
        return {s["id"] for s in node["studies"]}

    def qido(self, token: str) -> set[str]:
        r = self.client.get("/dicomweb/studies", headers={"Authorization": f"Bearer {token}"})
        assert r.status_code in (200, 204), r.text
        return {s["0020000D"]["Value"][0] for s in r.json()} if r.status_code == 200 else set()
