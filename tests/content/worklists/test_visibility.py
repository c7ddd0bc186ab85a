"""content/cases/visibility.py: one answer to "what may this person see of this case, in which version".

A case assigned to ann and not reported is blind to her: every count comes from the same secured set
as the search (so no difference names its codes), it sorts as untitled on both catalog backends and
in the SQL listing, and no cursor carries a readable or forgeable sort value.
"""

from __future__ import annotations

import base64

import pytest

from content.cases.listing import CaseFilter, list_cases
from content.cases.visibility import blind_case_uids, case_view, validated_snapshots
from content.errors import DomainError, ErrorCode
from content.worklists.assignments import assign_worklist
from content.worklists.coverage import archive_coverage, curriculum_counts, gap_list
from content.worklists.progress import trainee_progress
from content.worklists.report_fields import ReportFields
from content.worklists.reports import submit_report
from search import SearchBackend
from search.service import CaseSearchRequest, search_cases
from tests.content.worklists.conftest import World

SECRET = b"a test secret of more than thirty-two bytes"


@pytest.fixture
def blind(world: World):  # type: ignore[no-untyped-def]
    """ann's open assignment holds the only SAH case ("Aardvark aneurysm", which sorts first by title)."""
    sah = world.case(
        "Aardvark aneurysm",
        diagnosis="Subarachnoid haemorrhage",
        codes=("NEURO.STROKE.HAEMORRHAGIC",),
        modalities=("CT",),
        clinical_history="Thunderclap headache",
    )
    others = [
        world.case(t, codes=("NEURO.STROKE.ISCHAEMIC",), modalities=("CT",))
        for t in ("Bravo infarct", "Charlie infarct", "Delta infarct")
    ]
    wl = world.worklist([sah], title="Neuro on call")
    [mine] = assign_worklist(wl.uid, trainee_uids=[world.uids["ann"]], session=world.session, principal=world.trainer)
    world.session.commit()
    return sah, others, mine


def _counts(world: World, who) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {n.code: c for n, c in curriculum_counts(root="NEURO", session=world.session, principal=who)}


def test_the_version_and_the_blind_decision_come_from_one_place(world: World, blind) -> None:  # type: ignore[no-untyped-def]
    sah, _, _ = blind
    assert blind_case_uids(world.session, world.ann) == {sah.uid}
    assert blind_case_uids(world.session, world.bob) == frozenset()
    view = case_view(sah, world.ann, blind_label="Case 1 of Neuro on call", snapshot=lambda v: None)
    assert view is not None and view.blind
    assert view is not None and view.data["title"] == "Case 1 of Neuro on call"
    assert view.data["diagnosis"] is None and view.data["curriculum_codes"] is None
    assert view.data["clinical_history"] == "Thunderclap headache"
    assert not view.path.endswith("aardvark-aneurysm") and sah.path.endswith("aardvark-aneurysm")
    # A draft: the trainee sees nothing of it, blind or not.
    draft = world.case("Draft only", validate=False)
    assert case_view(draft, world.ann, blind_label=None, snapshot=lambda v: None) is None


def test_every_count_leaves_out_the_case_blind_to_the_caller(world: World, blind, catalog: SearchBackend) -> None:  # type: ignore[no-untyped-def]
    sah, _, mine = blind
    assert sah.uid not in validated_snapshots(world.session, world.ann)
    assert sah.uid in validated_snapshots(world.session, world.bob)
    mine_counts, bobs = _counts(world, world.ann), _counts(world, world.bob)
    assert (mine_counts["NEURO.STROKE.HAEMORRHAGIC"], bobs["NEURO.STROKE.HAEMORRHAGIC"]) == (0, 1)
    assert (mine_counts["NEURO"], bobs["NEURO"]) == (3, 4)
    coverage = {
        n.code: n.validated_case_count
        for n in archive_coverage(root="NEURO", session=world.session, principal=world.ann)
    }
    gaps = {n.code for n in gap_list(root="NEURO", session=world.session, principal=world.ann)}
    progress = {
        n.code: n.validated_case_count for n in trainee_progress(session=world.session, principal=world.ann).coverage
    }
    for code in ("NEURO", "NEURO.STROKE", "NEURO.STROKE.HAEMORRHAGIC", "NEURO.STROKE.ISCHAEMIC"):
        searched = search_cases(
            CaseSearchRequest(curriculum=(code,)), session=world.session, principal=world.ann, catalog=catalog
        )
        # The same secured set everywhere: a count that differed from the search would name the codes.
        assert mine_counts[code] == coverage[code] == progress[code] == searched.total, code
    assert "NEURO.STROKE.HAEMORRHAGIC" in gaps
    # Reported: the answer is open, and the case counts again.
    submit_report(
        mine.uid,
        sah.uid,
        ReportFields(observations="Blood", principal_diagnosis="SAH", differential_diagnoses=[], management="CTA"),
        session=world.session,
        principal=world.ann,
    )
    assert _counts(world, world.ann)["NEURO.STROKE.HAEMORRHAGIC"] == 1


def _titles_in_order(world: World, catalog: SearchBackend, who, first: int) -> list[str]:  # type: ignore[no-untyped-def]
    out, after = [], None
    while True:
        page = search_cases(
            CaseSearchRequest(order="TITLE", modalities=("CT",), first=first, after=after),
            session=world.session,
            principal=who,
            catalog=catalog,
            cursor_secret=SECRET,
        )
        out += [h.case_id for h in page.hits]
        if not page.has_next:
            return out
        after = page.end_cursor


@pytest.mark.parametrize("first", [1, 2, 10])
def test_a_blind_case_sorts_as_untitled(world: World, blind, catalog: SearchBackend, first: int) -> None:  # type: ignore[no-untyped-def]
    sah, others, _ = blind
    # The real title ("Aardvark...") sorts first for everyone; "untitled" sorts first too, so a
    # second blind case with a late title shows the rule rather than the alphabet.
    zulu = world.case("Zulu aneurysm", codes=("NEURO.STROKE.HAEMORRHAGIC",), modalities=("CT",))
    wl = world.worklist([zulu], title="Second list")
    assign_worklist(wl.uid, trainee_uids=[world.uids["ann"]], session=world.session, principal=world.trainer)
    world.session.commit()
    everyone = [sah.uid, *(c.uid for c in others), zulu.uid]
    assert _titles_in_order(world, catalog, world.bob, first) == everyone
    untitled_first = sorted([sah.uid, zulu.uid])  # ties between untitled cases: by entry id, not title
    ann_order = _titles_in_order(world, catalog, world.ann, first)
    assert set(ann_order[:2]) == set(untitled_first) and ann_order[2:] == [c.uid for c in others]
    listed = list_cases(
        CaseFilter(order="TITLE"),
        first=100,
        after=None,
        session=world.session,
        principal=world.ann,
        cursor_secret=SECRET,
    )
    listed_uids = [c.uid for c in listed.cases]
    assert set(listed_uids[:2]) == {sah.uid, zulu.uid} and listed_uids[2:] == [c.uid for c in others]


def test_cursors_are_sealed_and_tamper_evident(world: World, blind, catalog: SearchBackend) -> None:  # type: ignore[no-untyped-def]
    _, others, _ = blind
    page = search_cases(
        CaseSearchRequest(order="TITLE", first=1),
        session=world.session,
        principal=world.bob,
        catalog=catalog,
        cursor_secret=SECRET,
    )
    listed = list_cases(
        CaseFilter(order="TITLE"), first=1, after=None, session=world.session, principal=world.bob, cursor_secret=SECRET
    )
    for cursor in (page.end_cursor, listed.cursors[0]):
        assert cursor is not None
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        assert b"aardvark" not in raw.lower() and b"Aardvark" not in raw  # no field value inside
    # The same cursor resumes; a flipped byte, a cursor under another key or of the other listing is refused.
    resumed = search_cases(
        CaseSearchRequest(order="TITLE", first=1, after=page.end_cursor),
        session=world.session,
        principal=world.bob,
        catalog=catalog,
        cursor_secret=SECRET,
    )
    assert resumed.hits[0].case_id == others[0].uid
    token = page.end_cursor
    assert token is not None
    flipped = token[:10] + ("A" if token[10] != "A" else "B") + token[11:]
    bad = [flipped, token[:-2], "eyJvcmRlciI6IlRJVExFIn0", "not base64 at all!", "x" * 5000]
    for after in bad:
        with pytest.raises(DomainError) as refused:
            search_cases(
                CaseSearchRequest(order="TITLE", first=1, after=after),
                session=world.session,
                principal=world.bob,
                catalog=catalog,
                cursor_secret=SECRET,
            )
        assert (refused.value.code, refused.value.field) == (ErrorCode.INVALID_INPUT, "after")
    for after, secret in ((token, b"another server's secret, also long enough"), (listed.cursors[0], SECRET)):
        with pytest.raises(DomainError) as refused:
            search_cases(
                CaseSearchRequest(order="TITLE", first=1, after=after),
                session=world.session,
                principal=world.bob,
                catalog=catalog,
                cursor_secret=secret,
            )
        assert refused.value.code is ErrorCode.INVALID_INPUT
    with pytest.raises(DomainError) as refused:
        list_cases(
            CaseFilter(order="TITLE"),
            first=1,
            after=token,
            session=world.session,
            principal=world.bob,
            cursor_secret=SECRET,
        )
    assert refused.value.code is ErrorCode.INVALID_INPUT
