"""Blind reporting, generated: every root field and every HTTP route, as a trainee with an open assignment.

ann has the case "Quokka sign" in an open assignment and has not reported it. Each probe below is
generated, not hand-written: its GraphQL selection is every field the schema offers (recursively,
every type once per path, every implementation of an interface), and its routes come from walking
`app.routes`. A root field or route with no probe and no entry in an allow-list (with its reason)
fails `test_every_root_field_and_route_is_probed`, so a new one cannot ship unchecked.

A response leaks when any answer-bearing value of the case appears in it: its title, diagnosis,
findings, differential, discussion, teaching points, tags, its DICOM descriptions and procedure
names, anywhere in the body, in headers, or inside any base64 text (cursors); or when its own
curriculum code is counted (a count > 0 next to it, a gap list without it, the code outside a
curriculum listing). The same probes as bob, a trainee without the assignment, must show every one
of those values: the probes reach the data, so a silent answer proves nothing leaked.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any

import graphql
import pydicom
import pytest
from fastapi.testclient import TestClient
from pydicom.dataset import Dataset
from sqlmodel import col, select

from api.app import create_app
from api.settings import Settings
from content.annotations.kinds import AnnotationSpec
from content.annotations.service import save_annotations
from content.cases.service import create_case
from content.cases.transitions import transition
from content.imaging.models import Instance, Series, Study
from content.principal import SYSTEM
from content.users.service import principal_for
from content.workflow import Transition
from content.worklists.assignments import assign_worklist
from content.worklists.report_fields import ReportFields
from content.worklists.reports import save_draft
from content.worklists.service import WorklistSpec, create_worklist
from importers.pipeline import ImportTarget, import_paths
from integrations.annotations.probe import StoreProbe
from media.store import ContentStore
from schema.core.ids import to_global_id
from tests.conftest import _truncate
from tests.content import factories as f
from tests.helpers import graphql_response
from tests.media.reference import PYDICOM

PASSWORD = "correct horse battery"
BLIND_CODE = "NEURO.STROKE.HAEMORRHAGIC"  # the blind case's own code: no other case carries it
# Every answer-bearing value of the blind case, by where it lives.
ANSWER = {
    "title": "Quokka sign of the thalamus",
    "findings": "Hyperdense marsupial focus",
    "diagnosis": "Quokkoma haemorrhage",
    "differential": "Wombatosis",
    "discussion": "Numbat discussion",
    "teaching_points": "Bilby teaching point",
    "tag": "bandicootlesion",
}
DICOM_ANSWER = {
    "StudyDescription": "CT HEAD QUOKKASTUDY",
    "SeriesDescription": "AXIAL QUOKKASERIES",
    "ProtocolName": "QUOKKAPROTOCOL",
    "RequestedProcedureDescription": "QUOKKAREQUESTED",
    "PerformedProcedureStepDescription": "QUOKKAPERFORMED",
    "CodeMeaning": "QUOKKAPROCEDURE",  # inside ProcedureCodeSequence: unlisted in the profile, so kept
}
# The author's arrow on the key image says what it points at: annotations are answer content.
ANNOTATION_TEXT = "Platypus haemorrhage arrow"
# What identifies the answer in text: the title's slug too (paths end in it).
NEEDLES = {**ANSWER, **DICOM_ANSWER, "title_slug": "quokka-sign", "annotation": ANNOTATION_TEXT}
HISTORY = "Sudden headache at the zoo"  # what a trainee is meant to read: shown, never a needle

# ------------------------------------------------------------------ GraphQL: what each root field is asked

# Root fields whose answer legitimately lists every curriculum code (the tree), counts beside them.
# studyQueue echoes the topic it was asked for; its counts beside the code must still be 0.
CODE_LISTINGS = {
    "curriculum",
    "archiveCoverage",
    "curriculumGaps",
    "progress",
    "cohortProgress",
    "evidence",
    "studyQueue",
    "studyProgress",
    "cohortStudyProgress",
}
# Root fields whose absence of the code would name it (a gap list omits covered nodes).
MUST_LIST_CODE = {"curriculumGaps"}

# Arguments per root query field: one probe per entry ("@name" is the global id of a seeded object).
# A field with no required argument is probed once without arguments when it has no entry.
QUERY_ARGS: dict[str, list[dict[str, Any]]] = {
    "node": [{"id": f"@{name}"} for name in ("blind", "collection", "assignment", "report", "worklist", "ann")],
    "cases": [
        {"first": 100},
        {"first": 1, "search": {"orderBy": "TITLE"}},  # paged one by one: every cursor is seen
        {"first": 1, "search": {"orderBy": "NEWEST"}},
        {"first": 1, "search": {"orderBy": "RELEVANCE", "text": "headache"}},
        {"first": 100, "search": {}},
        {"first": 100, "search": {"text": "quokka"}},
        {"first": 100, "search": {"text": "quokkoma OR wombatosis OR numbat OR bilby OR bandicootlesion"}},
        {"first": 100, "search": {"text": "quokkoa"}},  # a suggestion must not offer the hidden word
        {"first": 100, "search": {"text": "zoo"}},
        {"first": 100, "search": {"curriculum": ["NEURO"]}},
        {"first": 100, "search": {"curriculum": [BLIND_CODE]}},
        {"first": 100, "search": {"modalities": ["CT"]}},
    ],
    "curriculum": [{}, {"root": "NEURO"}],
    "caseDiff": [{"id": "@blind", "fromVersion": 1, "toVersion": 2}],
    "reviewQueue": [{"first": 100}],
    "progress": [{}, {"traineeId": "@ann"}],
    "cohortProgress": [{"cohort": "@cohort"}],
    "worklist": [{"id": "@worklist"}],
    "report": [{"id": "@report"}],
    "archiveCoverage": [{}, {"root": "NEURO"}],
    "curriculumGaps": [{"coreOnly": False}, {"root": "NEURO", "coreOnly": False}],
    "caseFacility": [{}, {"worklist": "@worklist"}],
    "evidence": [{}, {"traineeId": "@ann"}],
    "webhookDeliveries": [{"first": 100}],
    "partner": [{}],
    "localRoles": [{"collection": "@collection"}],
    "studyQueue": [
        {},
        {"curriculum": "gaps", "first": 100},
        {"curriculum": "NEURO", "first": 100},
        {"curriculum": BLIND_CODE, "first": 100},
    ],
    "studyProgress": [{}],
    "cohortStudyProgress": [{"cohort": "@cohort"}],
}
# Mutations a trainee may call, and those that take the blind case or its report (refused to a
# trainee, but their refusal must not name the case either).
MUTATION_INPUTS: dict[str, list[dict[str, Any]]] = {
    "login": [{"username": "ann", "password": PASSWORD}],
    "saveReportDraft": [
        {"assignment": "@assignment", "case": "@blind", "observations": "A bright focus"},
        {
            "assignment": "@assignment",
            "case": "@blind",
            "annotations": [{"instance": "@instance_id", "kind": "LENGTH", "points": [[10, 10], [60, 60]]}],
        },
    ],
    "submitReport": [{"assignment": "@assignment", "case": "@other"}],  # outside the assignment: refused
    "updateCase": [{"id": "@blind", "expectedVersion": 1, "title": "Mine now"}],
    "transitionCase": [{"id": "@blind", "transition": "RETIRE"}],
    "revertCase": [{"id": "@blind", "toVersion": 1, "expectedVersion": 3}],
    "createWorklist": [{"title": "Mine", "mode": "LONG_CASE", "cases": ["@blind"], "searchLimit": 10}],
    "giveFeedback": [{"report": "@report", "score": 5, "feedback": "Good"}],
    "moderateReport": [{"report": "@report", "agreed": True}],
    "detachStudy": [{"case": "@blind", "study": "@study", "expectedVersion": 3}],
    "setKeyImages": [{"case": "@blind", "instances": ["@instance_id"], "expectedVersion": 3}],
    "saveAnnotations": [
        {
            "case": "@blind",
            "expectedVersion": 5,
            "annotations": [{"instance": "@instance_id", "kind": "TEXT", "points": [[5, 5]], "text": "mine"}],
        }
    ],
    "retagRetiredCurriculum": [{"case": "@blind", "expectedVersion": 3}],
    "startAssignment": [{"assignment": "@assignment"}],
    "reviewQuarantinedImage": [{"instance": "@instance_id", "action": "RELEASE"}],
    # Self-study: the blind case may not be revealed (nor rated) by the trainee it is assigned to.
    "revealStudyCase": [{"case": "@blind", "answer": "A bright focus"}],
    "rateStudyCard": [{"case": "@blind", "rating": "GOOD"}],
    "setStudySharing": [{"share": True}],
}
# Mutations not probed, with the reason. Each is refused to a trainee before any case is read
# (tests/api/authz_matrix.yaml runs every mutation as a trainee and checks the refusal).
MUTATIONS_ALLOWED = {
    "submitReport": "a valid submit opens the answer by design (the report ends blindness); probed refused",
    "logout": "ends the caller's own session and answers ok or an error: reads no case",
    "changePassword": "the caller's own password; answers a token or an error: reads no case",
    "resetPassword": "administration, refused to a trainee before any case is read (authz matrix)",
    **{
        name: "administration or authoring, refused to a trainee before any case is read (authz matrix)"
        for name in (
            "createCollection",
            "createCase",
            "updateWorklist",
            "reorderWorklist",
            "assignWorklist",
            "createWebhookSubscription",
            "deleteWebhookSubscription",
            "redeliverWebhook",
            "createPartner",
            "updatePartner",
            "createPartnerToken",
            "createUser",
            "updateUser",
            "createCohort",
            "addToCohort",
            "removeFromCohort",
            "grantLocalRole",
            "revokeLocalRole",
            "createApiToken",
            "revokeApiToken",
            "registerLtiPlatform",
        )
    },
}

# ------------------------------------------------------------------ HTTP: what each route is asked

# Route (method, path as declared) -> concrete requests: (url, extra headers). {study} etc. are the
# blind case's DICOM UIDs, {instance}/{series_id} its rows' ids.
ROUTE_PROBES: dict[tuple[str, str], list[tuple[str, dict[str, str]]]] = {
    ("GET", "/media/instances/{uid}/rendered"): [("/media/instances/{instance}/rendered", {})],
    ("GET", "/media/instances/{uid}/rendered/{tag}"): [("/media/instances/{instance}/rendered/x?format=png", {})],
    ("GET", "/media/series/{uid}/{kind}"): [
        (f"/media/series/{{series_id}}/{k}", {}) for k in ("thumbnail", "preview", "cine")
    ],
    ("GET", "/media/series/{uid}/{kind}/{tag}"): [("/media/series/{series_id}/thumbnail/x", {})],
    ("GET", "/media/instances/{uid}/original"): [("/media/instances/{instance}/original", {})],
    ("GET", "/dicomweb/studies"): [
        ("/dicomweb/studies?includefield=all", {}),
        ("/dicomweb/studies?includefield=StudyDescription,00081030", {}),
    ],
    ("GET", "/dicomweb/series"): [("/dicomweb/series?includefield=all", {})],
    ("GET", "/dicomweb/studies/{study}/series"): [("/dicomweb/studies/{study}/series?includefield=all", {})],
    ("GET", "/dicomweb/instances"): [("/dicomweb/instances?includefield=all", {})],
    ("GET", "/dicomweb/studies/{study}/instances"): [("/dicomweb/studies/{study}/instances?includefield=all", {})],
    ("GET", "/dicomweb/studies/{study}/series/{series}/instances"): [
        ("/dicomweb/studies/{study}/series/{series}/instances?includefield=all", {})
    ],
    ("GET", "/dicomweb/studies/{study}"): [
        ("/dicomweb/studies/{study}", {"Accept": 'multipart/related; type="application/dicom"'})
    ],
    ("GET", "/dicomweb/studies/{study}/series/{series}"): [("/dicomweb/studies/{study}/series/{series}", {})],
    ("GET", "/dicomweb/studies/{study}/series/{series}/instances/{sop}"): [
        ("/dicomweb/studies/{study}/series/{series}/instances/{sop}", {})
    ],
    ("GET", "/dicomweb/studies/{study}/metadata"): [("/dicomweb/studies/{study}/metadata", {})],
    ("GET", "/dicomweb/studies/{study}/series/{series}/metadata"): [
        ("/dicomweb/studies/{study}/series/{series}/metadata", {})
    ],
    ("GET", "/dicomweb/studies/{study}/series/{series}/instances/{sop}/metadata"): [
        ("/dicomweb/studies/{study}/series/{series}/instances/{sop}/metadata", {})
    ],
    ("GET", "/dicomweb/studies/{study}/series/{series}/instances/{sop}/rendered"): [
        ("/dicomweb/studies/{study}/series/{series}/instances/{sop}/rendered", {"Accept": "image/png"})
    ],
    ("GET", "/dicomweb/studies/{study}/series/{series}/instances/{sop}/frames/{frames}/rendered"): [
        ("/dicomweb/studies/{study}/series/{series}/instances/{sop}/frames/1/rendered", {})
    ],
    ("GET", "/dicomweb/studies/{study}/series/{series}/instances/{sop}/frames/{frames}"): [
        (
            "/dicomweb/studies/{study}/series/{series}/instances/{sop}/frames/1",
            {"Accept": 'multipart/related; type="application/octet-stream"; transfer-syntax=*'},
        )
    ],
    ("GET", "/dicomweb/studies/{study}/series/{series}/instances/{sop}/bulkdata/{path}"): [
        ("/dicomweb/studies/{study}/series/{series}/instances/{sop}/bulkdata/7FE00010", {}),
        (
            "/dicomweb/studies/{study}/series/{series}/instances/{sop}/bulkdata/00431029",
            {},
        ),  # a long private OB value: named by a BulkDataURI
        (
            "/dicomweb/studies/{study}/series/{series}/instances/{sop}/bulkdata/00081032.0.00080104",
            {},
        ),  # a withheld sequence's text is no bulk data
    ],
    ("GET", "/dicomweb/studies/{study}/rendered"): [("/dicomweb/studies/{study}/rendered", {})],
    ("GET", "/dicomweb/studies/{study}/series/{series}/rendered"): [
        ("/dicomweb/studies/{study}/series/{series}/rendered", {"Accept": 'multipart/related; type="image/png"'})
    ],
    ("GET", "/dicomweb/studies/{study}/thumbnail"): [("/dicomweb/studies/{study}/thumbnail", {})],
    ("GET", "/dicomweb/studies/{study}/series/{series}/thumbnail"): [
        ("/dicomweb/studies/{study}/series/{series}/thumbnail", {})
    ],
    ("GET", "/dicomweb/studies/{study}/series/{series}/instances/{sop}/thumbnail"): [
        ("/dicomweb/studies/{study}/series/{series}/instances/{sop}/thumbnail", {})
    ],
    ("GET", "/dicomweb/studies/{study}/series/{series}/instances/{sop}/frames/{frames}/thumbnail"): [
        ("/dicomweb/studies/{study}/series/{series}/instances/{sop}/frames/1/thumbnail", {})
    ],
    ("GET", "/healthz"): [("/healthz", {})],
    ("GET", "/readyz"): [("/readyz", {})],
    ("GET", "/metrics"): [("/metrics", {})],
    ("GET", "/openapi.json"): [("/openapi.json", {})],
    ("GET", "/ui"): [("/ui", {})],
    ("GET", "/ui/"): [("/ui/", {})],
    ("GET", "/ui/{route:path}"): [("/ui/cases/{blind_id}", {}), ("/ui/assignments", {})],
    ("GET", "/ui/static/{name}"): [("/ui/static/app.js", {}), ("/ui/static/case_images.js", {})],
    ("GET", "/ui/viewer/{name}"): [("/ui/viewer/viewer.js", {}), ("/ui/viewer/decodeImageFrameWorker.js", {})],
    ("DELETE", "/ui/session"): [("/ui/session", {})],
    ("GET", "/graphiql/static/{name}"): [("/graphiql/static/start.js", {}), ("/graphiql/static/graphiql.min.js", {})],
    # LTI: answered from the launch's own proof (an id_token, a deep-linking ticket), never from a bearer
    # token; probed with the trainee's token and no proof, they refuse (tests/api/test_lti.py does the rest).
    ("GET", "/lti/login"): [("/lti/login?iss=https://vle.example&login_hint=ann", {})],
    ("POST", "/lti/login"): [("/lti/login", {})],
    ("POST", "/lti/launch"): [("/lti/launch", {})],
    ("POST", "/lti/deep-link"): [("/lti/deep-link", {})],
    ("GET", "/lti/jwks"): [("/lti/jwks", {})],
    ("GET", "/lti/lti.js"): [("/lti/lti.js", {})],
}
# Routes probed elsewhere in this file, or not probed, with the reason.
ROUTES_ALLOWED = {
    ("POST", "/graphql"): "every root field and trainee mutation above is sent here",
    ("GET", "/graphql"): "GraphiQL or a query by GET: probed below with the blind case's node query",
    ("POST", "/ui/session"): "signs in (the trainee's own credentials); answers with the person, probed below",
    ("POST", "/api/uploads"): "refused to trainees before reading anything (authz matrix test_upload_refused)",
}


# ------------------------------------------------------------------ generating the selections


def _named(t: Any) -> Any:
    while isinstance(t, (graphql.GraphQLNonNull, graphql.GraphQLList)):
        t = t.of_type
    return t


def _required_args(f: graphql.GraphQLField) -> bool:
    return any(
        isinstance(a.type, graphql.GraphQLNonNull) and a.default_value is graphql.Undefined for a in f.args.values()
    )


def selection(schema: graphql.GraphQLSchema, t: Any, seen: frozenset[str] = frozenset(), alias: str = "") -> str:
    """Every field of `t`, recursively; each type once per path, every implementation of an interface
    (its fields aliased by type, as two implementations may type one field name differently)."""
    t = _named(t)
    if graphql.is_leaf_type(t):
        return ""
    if isinstance(t, (graphql.GraphQLInterfaceType, graphql.GraphQLUnionType)):
        parts = [
            f"... on {impl.name} {sub}"
            for impl in schema.get_possible_types(t)
            if (sub := selection(schema, impl, seen, alias=impl.name))
        ]
        return "{ __typename " + " ".join(parts) + " }"
    if t.name in seen:
        return ""
    out = []
    for name, fld in t.fields.items():
        if _required_args(fld):
            continue
        inner = _named(fld.type)
        label = f"{alias}_{name}: {name}" if alias else name
        if graphql.is_leaf_type(inner):
            out.append(label)
        elif sub := selection(schema, inner, seen | {t.name}):
            out.append(f"{label} {sub}")
    return "{ " + " ".join(out) + " }" if out else ""


@dataclass
class Probe:
    field: str
    kind: str  # query | mutation
    args: dict[str, Any]

    @property
    def id(self) -> str:
        return f"{self.kind}.{self.field}({json.dumps(self.args, sort_keys=True)[:60]})"


def graphql_probes() -> list[Probe]:
    from schema.build import build_schema

    schema = build_schema()._schema
    out = []
    for name, fld in schema.query_type.fields.items():
        for args in QUERY_ARGS.get(name, [{}] if not _required_args(fld) else []):
            out.append(Probe(name, "query", args))
    assert schema.mutation_type is not None
    for name in schema.mutation_type.fields:
        for args in MUTATION_INPUTS.get(name, []):
            out.append(Probe(name, "mutation", {"input": args}))
    return out


def document(probe: Probe, values: dict[str, Any], after: str | None = None) -> tuple[str, dict[str, Any]]:
    """The probe as a document over variables (typed from the schema) and the variables' values."""
    from schema.build import build_schema

    schema = build_schema()._schema
    root = schema.query_type if probe.kind == "query" else schema.mutation_type
    assert root is not None
    f = root.fields[probe.field]
    args = {k: _resolve(v, values) for k, v in probe.args.items()}
    if after is not None:
        args["after"] = after
    declared = ", ".join(f"${k}: {f.args[k].type}" for k in args)
    passed = ", ".join(f"{k}: ${k}" for k in args)
    head = f"{probe.kind}({declared})" if args else probe.kind
    call = f"{probe.field}({passed})" if args else probe.field
    return f"{head} {{ {call} {selection(schema, f.type)} }}", args


def _resolve(value: Any, values: dict[str, Any]) -> Any:
    if isinstance(value, dict):
        return {k: _resolve(v, values) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(v, values) for v in value]
    if isinstance(value, str) and value.startswith("@"):
        return values[value[1:]]
    return value


# ------------------------------------------------------------------ the repository


@dataclass
class World:
    client: TestClient
    tokens: dict[str, str] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)  # global ids
    dicom: dict[str, str] = field(default_factory=dict)  # route placeholders

    app: Any = None

    def gql(self, caller: str, doc: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = graphql_response(self.client, doc, variables, self.tokens[caller])
        assert response.status_code in (200, 400), response.text[:500]
        return response.json()  # type: ignore[no-any-return]


def _answer_file(folder: Path) -> Path:
    """A real CT (pydicom's CT_small) whose header names the answer, as a referrer's request would."""
    ds = pydicom.dcmread(PYDICOM / "CT_small.dcm")
    for keyword in (
        "StudyDescription",
        "SeriesDescription",
        "ProtocolName",
        "RequestedProcedureDescription",
        "PerformedProcedureStepDescription",
    ):
        setattr(ds, keyword, DICOM_ANSWER[keyword])
    code = Dataset()
    code.CodeValue, code.CodingSchemeDesignator, code.CodeMeaning = "QK1", "99LBX", DICOM_ANSWER["CodeMeaning"]
    ds.ProcedureCodeSequence = [code]
    # Removed by de-identification (X): never stored, so no needle; withheld anyway should one be.
    ds.ImageComments, ds.ReasonForTheRequestedProcedure = "quokkoma visible", "query quokkoma"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "answer.dcm"
    ds.save_as(path)
    return path


def _seed(w: World, sessions: Any, store: ContentStore, tmp: Path) -> None:
    with sessions.scope() as s:
        f.curriculum(s)
        people = {
            name: f.person(s, name, role)[0]
            for name, role in (("ann", "trainee"), ("bob", "trainee"), ("tess", "trainer"), ("val", "validator"))
        }
        tess, val = (principal_for(people[n], session=s) for n in ("tess", "val"))
        coll = f.collection(s, "North")
        fields = {
            "title": ANSWER["title"],
            "findings": ANSWER["findings"],
            "diagnosis": ANSWER["diagnosis"],
            "differential_diagnoses": [ANSWER["differential"]],
            "discussion": ANSWER["discussion"],
            "teaching_points": ANSWER["teaching_points"],
            "tags": [ANSWER["tag"]],
            "curriculum_codes": [BLIND_CODE],
            "clinical_history": HISTORY,
            "modalities": ["CT"],
        }
        blind = create_case(collection_uid=coll, fields=fields, session=s, principal=tess)
        other = create_case(
            collection_uid=coll,
            fields={
                "title": "Ordinary infarct",
                "diagnosis": "Infarct",
                "curriculum_codes": ["NEURO.STROKE.ISCHAEMIC"],
                "modalities": ["CT"],
            },
            session=s,
            principal=tess,
        )
        s.commit()
        summary = import_paths(
            [_answer_file(tmp)],
            target=ImportTarget(coll, blind.uid),
            session=s,
            principal=SYSTEM,
            store=store,
            secret=b"blind-leak-test-secret-0123456789",
        )
        assert summary.imported == 1, summary.text()
        marked = s.exec(
            select(Instance)
            .join(Series, col(Series.uid) == Instance.series_uid)
            .join(Study, col(Study.uid) == Series.study_uid)
            .where(Study.case_uid == blind.uid)
        ).one()
        s.expire_all()
        arrow = AnnotationSpec(instance=marked.uid, kind="ARROW", points=[[40, 40], [80, 90]], text=ANNOTATION_TEXT)
        save_annotations(
            blind.uid, [arrow], expected_version=blind.version, probe=StoreProbe(store), session=s, principal=tess
        )
        for case in (blind, other):
            transition(case.uid, Transition.SUBMIT, session=s, principal=tess)
            transition(case.uid, Transition.VALIDATE, session=s, principal=val)
        wl = create_worklist(
            WorklistSpec(title="Neuro on call", mode="LONG_CASE", case_uids=(blind.uid,)), session=s, principal=tess
        )
        [assignment] = assign_worklist(wl.uid, trainee_uids=[people["ann"].uid], session=s, principal=tess)
        ann = principal_for(people["ann"], session=s)
        report = save_draft(
            assignment.uid, blind.uid, ReportFields(observations="Not sure yet"), session=s, principal=ann
        )
        from content.users.service import add_to_cohort, get_or_create_cohort

        cohort = get_or_create_cohort("ST1", session=s, principal=SYSTEM)
        add_to_cohort(cohort.uid, people["ann"].uid, session=s, principal=SYSTEM)
        study = s.exec(select(Study).where(Study.case_uid == blind.uid)).one()
        series = s.exec(select(Series).where(Series.study_uid == study.uid)).one()
        instance = s.exec(select(Instance).where(Instance.series_uid == series.uid)).one()
        assert DICOM_ANSWER["StudyDescription"] in study.description, "the import kept the study description"
        w.ids.update(
            blind=to_global_id("Case", blind.uid),
            other=to_global_id("Case", other.uid),
            collection=to_global_id("Collection", coll),
            worklist=to_global_id("Worklist", wl.uid),
            assignment=to_global_id("Assignment", assignment.uid),
            report=to_global_id("Report", report.uid),
            ann=to_global_id("User", people["ann"].uid),
            cohort=to_global_id("Cohort", cohort.uid),
            study=to_global_id("Study", study.uid),
            instance_id=to_global_id("Instance", instance.uid),
        )
        w.dicom.update(
            study=study.study_instance_uid,
            series=series.series_instance_uid,
            sop=instance.sop_instance_uid,
            instance=instance.uid,
            series_id=series.uid,
            blind_id=w.ids["blind"],
        )
    for name in ("ann", "bob"):
        _sign_in(w, name)


def _sign_in(w: World, name: str) -> None:
    out = w.client.post(
        "/graphql",
        json={
            "query": "mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) { token } }",
            "variables": {"u": name, "p": PASSWORD},
        },
    ).json()
    w.tokens[name] = out["data"]["login"]["token"]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(
    request: pytest.FixtureRequest, migrated: dict[str, Settings], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    base = migrated[request.param]
    data = tmp_path_factory.mktemp(f"blind-{request.param}")
    # Generated selections are far past the limits a client is held to; the limits have their own tests.
    settings = base.model_copy(
        update={
            "data_dir": data,
            "database_url": base.db_url,
            "max_query_depth": 100,
            "max_query_tokens": 1_000_000,
            "max_aliases": 1000,
            "rate_limit_per_minute": 1_000_000,
        }
    )
    app = create_app(settings)
    with TestClient(app) as client:
        runtime = app.state.runtime
        _truncate(runtime.engine)
        w = World(client=client)
        _seed(w, runtime.sessions, ContentStore(settings.media_dir), data / "files")
        w.app = app
        yield w
    shutil.rmtree(data, ignore_errors=True)


# ------------------------------------------------------------------ finding a leak

_B64 = re.compile(r"^[A-Za-z0-9_\-+/=]{16,}$")


def _texts(tree: Any) -> Iterator[str]:
    if isinstance(tree, dict):
        for v in tree.values():
            yield from _texts(v)
    elif isinstance(tree, list):
        for v in tree:
            yield from _texts(v)
    elif isinstance(tree, str):
        yield tree
        if _B64.match(tree):  # an opaque-looking string (a cursor): what is inside, if anything
            with contextlib.suppress(binascii.Error, ValueError):
                yield base64.urlsafe_b64decode(tree + "=" * (-len(tree) % 4)).decode("utf-8", "replace")


def needles_in(blob: bytes | str) -> set[str]:
    text = (blob.decode("latin-1") if isinstance(blob, bytes) else blob).lower()
    return {name for name, value in NEEDLES.items() if value.lower() in text}


def _counts(tree: Any, key: str = "") -> Iterator[tuple[str, int]]:
    """Every count in an answer: integers under a key ending in "count", at any depth."""
    if isinstance(tree, dict):
        for k, v in tree.items():
            yield from _counts(v, k)
    elif isinstance(tree, list):
        for v in tree:
            yield from _counts(v, key)
    elif isinstance(tree, int) and not isinstance(tree, bool) and key.lower().endswith("count"):
        yield key, tree


def code_leaks(root: str, data: Any) -> list[str]:
    """The blind case's code counted, named outside a curriculum listing, or missing from a gap list."""
    out: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if BLIND_CODE in node.values():
                if root not in CODE_LISTINGS:
                    out.append(f"{root} names {BLIND_CODE}")
                counted = [n for key, n in _counts(node) if n]
                if counted:
                    out.append(f"{root} counts {BLIND_CODE}: {node}")
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
        elif isinstance(node, str) and BLIND_CODE in node and node != BLIND_CODE:
            for line in node.splitlines():  # CSV exports: the code's row must count nothing
                if BLIND_CODE in line and any(c.strip().isdigit() and int(c) for c in line.split(",")):
                    out.append(f"{root} counts {BLIND_CODE} in text: {line}")

    walk(data)
    if root in MUST_LIST_CODE and BLIND_CODE not in json.dumps(data):
        out.append(f"{root} leaves {BLIND_CODE} off: the gap list names it as covered")
    return out


def run_probe(w: World, caller: str, probe: Probe) -> list[tuple[str, dict[str, Any]]]:
    """The probe's responses: every page of a connection, following its end cursor."""
    out, after = [], None
    for _ in range(30):
        body = w.gql(caller, *document(probe, w.ids, after))
        out.append((f"{probe.id} after={after}", body))
        value = (body.get("data") or {}).get(probe.field)
        page = value.get("pageInfo") if isinstance(value, dict) else None
        if not page or not page.get("hasNextPage"):
            break
        after = page["endCursor"]
    return out


def graphql_findings(w: World, caller: str, probe: Probe) -> tuple[set[str], list[str]]:
    found: set[str] = set()
    leaks: list[str] = []
    for label, body in run_probe(w, caller, probe):
        for text in _texts(body):
            hit = needles_in(text)
            found |= hit
            leaks += [f"{label}: {name}" for name in hit]
        if body.get("data"):
            leaks += code_leaks(probe.field, body["data"])
        assert not any(
            e.get("extensions", {}).get("code") in ("INTERNAL", "INVALID_QUERY") for e in body.get("errors") or []
        ), f"{label}: {json.dumps(body)[:400]}"
    return found, leaks


def http_requests() -> list[tuple[str, str, str, dict[str, str]]]:
    out = [(method, path, url, headers) for (method, path), reqs in ROUTE_PROBES.items() for url, headers in reqs]
    out.append(("GET", "/graphql", "/graphql?query={q}", {}))
    return out


def http_findings(w: World, caller: str, method: str, url: str, headers: dict[str, str]) -> set[str]:
    values = {**w.dicom, "q": '{ node(id: "' + w.ids["blind"] + '") { ... on Case { title diagnosis } } }'}
    response = w.client.request(
        method, url.format(**values), headers={"Authorization": f"Bearer {w.tokens[caller]}", **headers}
    )
    assert response.status_code < 500, f"{method} {url}: {response.status_code} {response.text[:300]}"
    if (method, url) == ("DELETE", "/ui/session"):  # signing out ends the token: the next probes need a new one
        _sign_in(w, caller)
    blob = response.content + "\n".join(f"{k}: {v}" for k, v in response.headers.items()).encode()
    found = needles_in(blob)
    if response.headers.get("content-type", "").startswith(("application/json", "application/dicom+json")):
        for text in _texts(response.json()):
            found |= needles_in(text)
    return found


# ------------------------------------------------------------------ the tests


def _routes(app: Any) -> set[tuple[str, str]]:
    """(method, path) of every route of the app, walking included routers."""
    out: set[tuple[str, str]] = set()
    for route in app.routes:
        candidates = route.effective_candidates() if hasattr(route, "effective_candidates") else [route]
        for c in candidates:
            for method in getattr(c, "methods", None) or ["GET"]:
                out.add((method, c.path))
    return out


def test_every_root_field_and_route_is_probed(world: World) -> None:
    from schema.build import build_schema

    schema = build_schema()._schema
    probed = {p.field for p in graphql_probes() if p.kind == "query"}
    assert set(schema.query_type.fields) - probed == set(), "root query fields with no probe in QUERY_ARGS"
    assert set(QUERY_ARGS) <= set(schema.query_type.fields), "QUERY_ARGS names fields the schema no longer has"
    assert schema.mutation_type is not None
    mutations = set(schema.mutation_type.fields)
    unprobed = mutations - set(MUTATION_INPUTS) - set(MUTATIONS_ALLOWED)
    assert unprobed == set(), "mutations neither probed nor allowed (with a reason)"
    assert (set(MUTATION_INPUTS) | set(MUTATIONS_ALLOWED)) <= mutations, "tables name mutations that are gone"
    routes = {(m, p) for m, p in _routes(world.app) if m != "HEAD"}  # HEAD answers as GET, without a body
    assert routes - set(ROUTE_PROBES) - set(ROUTES_ALLOWED) == set(), "routes neither probed nor allowed"
    assert set(ROUTE_PROBES) <= routes, "ROUTE_PROBES names routes the app no longer has"
    for probe in graphql_probes():  # every generated document is valid against the schema
        errors = graphql.validate(schema, graphql.parse(document(probe, world.ids)[0]))
        assert errors == [], f"{probe.id}: {errors[:2]}"


PROBES = graphql_probes()


@pytest.mark.parametrize("probe", PROBES, ids=[p.id for p in PROBES])
def test_graphql_shows_the_blind_trainee_no_answer(world: World, probe: Probe) -> None:
    _, leaks = graphql_findings(world, "ann", probe)
    assert leaks == [], "\n".join(leaks[:20])


REQUESTS = http_requests()


@pytest.mark.parametrize(("method", "path", "url", "headers"), REQUESTS, ids=[f"{m} {u}" for m, _, u, _ in REQUESTS])
def test_routes_show_the_blind_trainee_no_answer(
    world: World, method: str, path: str, url: str, headers: dict[str, str]
) -> None:
    found = http_findings(world, "ann", method, url, headers)
    assert found == set(), f"{method} {url} shows {sorted(found)}"


def test_ui_session_shows_the_blind_trainee_no_answer(world: World) -> None:
    response = world.client.post("/ui/session", json={"username": "ann", "password": PASSWORD})
    assert response.status_code < 500
    assert needles_in(response.content) == set()


def test_the_probes_reach_every_answer_for_a_trainee_it_is_not_blind_to(world: World) -> None:
    """The control: as bob (no assignment), the same probes show every needle and count the code."""
    found: set[str] = set()
    counted = False
    for probe in PROBES:
        got, leaks = graphql_findings(world, "bob", probe)
        found |= got
        counted |= any("counts" in leak for leak in leaks)
    for method, _, url, headers in REQUESTS:
        found |= http_findings(world, "bob", method, url, headers)
    assert found == set(NEEDLES), f"never shown even without blinding: {sorted(set(NEEDLES) - found)}"
    assert counted, f"no probe counts {BLIND_CODE} even for bob"


def test_the_blind_trainee_still_gets_the_images(world: World) -> None:
    """Withheld attributes, not withheld images: the instance, its pixels and its geometry still load."""
    headers = {"Authorization": f"Bearer {world.tokens['ann']}"}
    d = world.dicom
    base = f"/dicomweb/studies/{d['study']}/series/{d['series']}/instances/{d['sop']}"
    meta = world.client.get(f"{base}/metadata", headers=headers)
    assert meta.status_code == 200, meta.text[:300]
    [attrs] = meta.json()
    assert attrs["00280010"]["Value"] == [128] and attrs["00280030"]["Value"] == [0.661468, 0.661468]
    assert "00081030" not in attrs and "0008103E" not in attrs and "00081032" not in attrs
    part = world.client.get(base, headers=headers)
    assert part.status_code == 200
    body = part.content
    start = body.index(b"\r\n\r\n") + 4
    ds = pydicom.dcmread(BytesIO(body[start : body.rindex(b"\r\n--")]))
    original = pydicom.dcmread(PYDICOM / "CT_small.dcm")
    assert (ds.pixel_array == original.pixel_array).all()
    assert "StudyDescription" not in ds and "ProcedureCodeSequence" not in ds
    rendered = world.client.get(f"/media/instances/{d['instance']}/rendered", headers=headers)
    assert rendered.status_code == 200 and rendered.headers["content-type"].startswith("image/")
    original_file = world.client.get(f"/media/instances/{d['instance']}/original", headers=headers)
    assert original_file.status_code in (403, 404)


def test_the_annotation_sr_is_served_to_bob_and_withheld_from_ann(world: World) -> None:
    """The blind case's arrow was exported as a DICOM SR when it was validated: bob (no assignment) is
    served it beside the image, ann (the case blind to her) is not told it exists."""
    d = world.dicom
    seen = {}
    for name in ("ann", "bob"):
        headers = {"Authorization": f"Bearer {world.tokens[name]}"}
        series = world.client.get(f"/dicomweb/studies/{d['study']}/series", headers=headers).json()
        seen[name] = sorted(s["00080060"]["Value"][0] for s in series)
    assert seen == {"ann": ["CT"], "bob": ["CT", "SR"]}
