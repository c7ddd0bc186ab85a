"""content/learning: the queue (due first, then new), blind cases kept out, answer before reveal, FSRS
intervals, "my gaps", progress and what a cohort's trainers see (counts; answers only when shared).
Every test runs on SQLite and PostgreSQL (the `session` fixture)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from content.cases.models import Case
from content.errors import DomainError, ErrorCode
from content.learning.answers import rate, reveal
from content.learning.models import StudyCard, StudyReview
from content.learning.progress import cohort_study_progress, my_study_progress, set_sharing
from content.learning.queue import study_queue
from content.learning.scheduling import CardState, StudyRating, state_of
from content.worklists.assignments import assign_worklist
from content.worklists.report_fields import ReportFields
from content.worklists.reports import submit_report
from tests.content.worklists.conftest import World, count

T0 = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)


def _queue(world: World, topic: str | None, who=None, now: datetime = T0, first: int = 10):  # type: ignore[no-untyped-def]
    return study_queue(topic, first=first, session=world.session, principal=who or world.ann, now=now)


def _uids(queue) -> list[str]:  # type: ignore[no-untyped-def]
    return [q.case.uid for q in queue.cards]


def _study(world: World, case: Case, rating: StudyRating, now: datetime, who=None) -> StudyCard:  # type: ignore[no-untyped-def]
    who = who or world.ann
    reveal(case.uid, "my answer", True, session=world.session, principal=who, now=now)
    return rate(case.uid, rating, session=world.session, principal=who, now=now).card


@pytest.fixture
def stroke(world: World) -> list[Case]:
    """Three validated stroke CTs and one chest film; a draft stroke case that never enters a queue."""
    cases = [
        world.case(t, diagnosis=d, codes=(code,), modalities=("CT",))
        for t, d, code in (
            ("Alpha infarct", "Left MCA infarct", "NEURO.STROKE.ISCHAEMIC"),
            ("Bravo bleed", "Lobar haemorrhage", "NEURO.STROKE.HAEMORRHAGIC"),
            ("Charlie infarct", "Right PCA infarct", "NEURO.STROKE.ISCHAEMIC"),
        )
    ]
    world.case("Draft infarct", codes=("NEURO.STROKE.ISCHAEMIC",), modalities=("CT",), validate=False)
    world.case("Pneumothorax film", diagnosis="Right pneumothorax", codes=("CHEST.PLEURA.PNEUMOTHORAX",))
    world.session.commit()
    return cases


def test_a_topic_queue_holds_its_subtree_validated_cases_new_ones_in_a_stable_order(world: World, stroke) -> None:  # type: ignore[no-untyped-def]
    q = _queue(world, "NEURO.STROKE")
    assert q.due_count == 0 and q.new_count == 3
    assert sorted(_uids(q)) == sorted(c.uid for c in stroke)  # not the draft, not the chest film
    assert all(q.card is None for q in q.cards)
    assert _uids(_queue(world, "NEURO.STROKE")) == _uids(q)
    ischaemic = _queue(world, "NEURO.STROKE.ISCHAEMIC")
    assert set(_uids(ischaemic)) == {stroke[0].uid, stroke[2].uid}
    assert len(_queue(world, "NEURO", first=2).cards) == 2


def test_due_reviews_come_first_oldest_due_first_then_new_cases(world: World, stroke) -> None:  # type: ignore[no-untyped-def]
    a, b, c = stroke
    _study(world, a, StudyRating.GOOD, T0)  # learning: due again in 10 minutes
    _study(world, b, StudyRating.AGAIN, T0)  # learning: due again in 1 minute
    now = T0 + timedelta(minutes=5)
    q = _queue(world, "NEURO.STROKE", now=now)
    assert (q.due_count, q.new_count) == (1, 1)
    assert _uids(q) == [b.uid, c.uid]  # a is not due yet
    later = _queue(world, "NEURO.STROKE", now=T0 + timedelta(minutes=30))
    assert _uids(later) == [b.uid, a.uid, c.uid]  # b fell due first
    assert [q.card is not None for q in later.cards] == [True, True, False]


def test_cases_of_an_open_assignment_never_enter_the_queue_nor_reveal(world: World, stroke) -> None:  # type: ignore[no-untyped-def]
    a, b, _ = stroke
    _study(world, b, StudyRating.AGAIN, T0)  # a card made before the case was assigned
    wl = world.worklist([a, b], title="Stroke on call")
    [mine] = assign_worklist(wl.uid, trainee_uids=[world.uids["ann"]], session=world.session, principal=world.trainer)
    world.session.commit()
    q = _queue(world, "NEURO", now=T0 + timedelta(days=1))
    assert a.uid not in _uids(q) and b.uid not in _uids(q)
    assert q.due_count == 0 and q.new_count == 1
    assert a.uid not in _uids(_queue(world, "gaps", now=T0 + timedelta(days=1)))
    cards = count(world.session, StudyCard)
    with pytest.raises(DomainError) as refused:
        reveal(a.uid, "an infarct", session=world.session, principal=world.ann, now=T0)
    assert refused.value.code is ErrorCode.FORBIDDEN and refused.value.field == "case"
    assert "infarct" not in refused.value.message.lower()
    world.session.rollback()
    assert count(world.session, StudyCard) == cards
    assert my_study_progress(session=world.session, principal=world.ann, now=T0 + timedelta(days=1)).due_count == 0
    # bob has no assignment: the same cases are his to study.
    assert {a.uid, b.uid} <= set(_uids(_queue(world, "NEURO", who=world.bob)))
    # Once ann reports it, the case opens and may be studied.
    submit_report(
        mine.uid,
        a.uid,
        ReportFields(observations="Hypodensity", interpretation="Infarct", principal_diagnosis="Left MCA infarct"),
        session=world.session,
        principal=world.ann,
    )
    assert a.uid in _uids(_queue(world, "NEURO", now=T0 + timedelta(days=1)))


def test_reveal_is_refused_before_an_answer_is_committed_and_rating_before_the_reveal(world: World, stroke) -> None:  # type: ignore[no-untyped-def]
    a = stroke[0]
    with pytest.raises(DomainError) as early:
        rate(a.uid, StudyRating.GOOD, session=world.session, principal=world.ann, now=T0)
    assert early.value.code is ErrorCode.INVALID_INPUT and early.value.field == "case"
    for blank in ("", "   \n"):
        with pytest.raises(DomainError) as empty:
            reveal(a.uid, blank, session=world.session, principal=world.ann, now=T0)
        assert empty.value.code is ErrorCode.INVALID_INPUT and empty.value.field == "answer"
    world.session.rollback()
    assert count(world.session, StudyCard) == 0
    shown = reveal(a.uid, "MCA infarct", session=world.session, principal=world.ann, now=T0)
    assert shown.answer["diagnosis"] == "Left MCA infarct" and shown.card.answer == "MCA infarct"
    assert not shown.plain_film and shown.abnormal is None
    # A second reveal before rating keeps the first answer: it was committed before the answer was seen.
    again = reveal(a.uid, "changed my mind", session=world.session, principal=world.ann, now=T0)
    assert again.card.answer == "MCA infarct"
    rate(a.uid, StudyRating.GOOD, session=world.session, principal=world.ann, now=T0)
    [review] = world.session.exec(select(StudyReview)).all()
    assert (
        review.answer == "MCA infarct" and review.rating == 3 and review.curriculum_codes == ["NEURO.STROKE.ISCHAEMIC"]
    )
    with pytest.raises(DomainError):  # a rating needs a fresh reveal
        rate(a.uid, StudyRating.GOOD, session=world.session, principal=world.ann, now=T0)


def test_a_plain_film_needs_the_normal_abnormal_call(world: World) -> None:
    film = world.case("Film", diagnosis="Right pneumothorax", codes=("CHEST.PLEURA.PNEUMOTHORAX",), modalities=("CR",))
    normal = world.case("Normal film", diagnosis="Normal chest", codes=("CHEST.NORMAL",), modalities=("CR",))
    with pytest.raises(DomainError) as refused:
        reveal(film.uid, "pneumothorax", session=world.session, principal=world.ann, now=T0)
    assert refused.value.field == "abnormal"
    world.session.rollback()
    assert reveal(film.uid, "pneumothorax", True, session=world.session, principal=world.ann, now=T0).abnormal is True
    shown = reveal(normal.uid, "normal", False, session=world.session, principal=world.ann, now=T0)
    assert shown.plain_film and shown.abnormal is False


def test_fsrs_intervals_grow_with_good_and_faster_with_easy(world: World, stroke) -> None:  # type: ignore[no-untyped-def]
    a, b, _ = stroke
    now, gaps = T0, []
    card = _study(world, a, StudyRating.GOOD, now)
    for _ in range(4):
        now = card.due
        card = _study(world, a, StudyRating.GOOD, now)
        gaps.append(card.due - now)
    assert state_of(card) is CardState.REVIEW and card.reps == 5
    assert all(later > earlier for earlier, later in itertools.pairwise(gaps))
    assert gaps[-1] > timedelta(days=30)
    # The card is updated in place: keep each due date as it is set.
    easy = _study(world, b, StudyRating.EASY, T0)
    first = easy.due
    assert first - T0 > gaps[0] and state_of(easy) is CardState.REVIEW  # easy skips the learning steps
    second = _study(world, b, StudyRating.EASY, first).due
    assert second - first > first - T0
    lapse = _study(world, b, StudyRating.AGAIN, second)
    assert state_of(lapse) is CardState.RELEARNING and lapse.lapses == 1
    assert lapse.due - second < timedelta(hours=1)


def test_my_gaps_are_cases_of_nodes_my_reports_and_self_study_have_not_covered(world: World, stroke) -> None:  # type: ignore[no-untyped-def]
    a, b, c = stroke
    chest = world.session.exec(select(Case).where(Case.path.endswith("pneumothorax-film"))).one()  # type: ignore[attr-defined]
    assert set(_uids(_queue(world, "gaps"))) == {a.uid, b.uid, c.uid, chest.uid}
    assert _uids(_queue(world, None)) == _uids(_queue(world, "gaps"))  # no topic means my gaps
    _study(world, a, StudyRating.GOOD, T0)  # self-study covers NEURO.STROKE.ISCHAEMIC
    assert set(_uids(_queue(world, "gaps", now=T0))) == {b.uid, chest.uid}
    # A submitted report covers its node too (the curriculum-coverage service's rolled-up counts).
    wl = world.worklist([b], title="Bleeds")
    [mine] = assign_worklist(wl.uid, trainee_uids=[world.uids["ann"]], session=world.session, principal=world.trainer)
    submit_report(
        mine.uid,
        b.uid,
        ReportFields(observations="Bleed", interpretation="ICH", principal_diagnosis="Lobar haemorrhage"),
        session=world.session,
        principal=world.ann,
    )
    gaps = _queue(world, "gaps", now=T0 + timedelta(minutes=30))
    assert [q.case.uid for q in gaps.cards if q.card is None] == [chest.uid]
    assert [q.card is not None for q in gaps.cards] == [True, False]  # the due review of a comes first
    with pytest.raises(DomainError) as bad:
        _queue(world, "NEURO.NOPE")
    assert bad.value.code is ErrorCode.INVALID_CURRICULUM_CODE and bad.value.field == "curriculum"
    with pytest.raises(DomainError) as many:
        _queue(world, "NEURO", first=101)
    assert many.value.field == "first"


def test_progress_counts_due_learned_and_retention_per_system(world: World, stroke) -> None:  # type: ignore[no-untyped-def]
    a, b, _ = stroke
    card = _study(world, a, StudyRating.GOOD, T0)
    _study(world, a, StudyRating.GOOD, card.due)  # learnt: in review
    _study(world, b, StudyRating.AGAIN, T0)
    mine = my_study_progress(session=world.session, principal=world.ann, now=T0 + timedelta(hours=1))
    assert (mine.card_count, mine.learned_count, mine.due_count, mine.review_count) == (2, 1, 1, 3)
    assert mine.retention == round(2 / 3, 3) and not mine.shares_answers
    nodes = {n.code: n for n in mine.nodes}
    assert nodes["NEURO"].card_count == 2 and nodes["NEURO"].retention == round(2 / 3, 3)
    assert nodes["NEURO.STROKE.HAEMORRHAGIC"].retention == 0.0
    assert "CHEST" not in nodes
    assert my_study_progress(session=world.session, principal=world.bob, now=T0).review_count == 0


def test_trainers_see_cohort_counts_and_answers_only_when_shared(world: World, stroke) -> None:  # type: ignore[no-untyped-def]
    a, b, _ = stroke
    reveal(a.uid, "ann's private answer", session=world.session, principal=world.ann, now=T0)
    rate(a.uid, StudyRating.GOOD, session=world.session, principal=world.ann, now=T0)
    reveal(b.uid, "bob's shared answer", session=world.session, principal=world.bob, now=T0)
    rate(b.uid, StudyRating.HARD, session=world.session, principal=world.bob, now=T0)
    reveal(b.uid, "cat is not in the cohort", session=world.session, principal=world.cat, now=T0)
    rate(b.uid, StudyRating.AGAIN, session=world.session, principal=world.cat, now=T0)

    def seen(who=world.trainer2):  # type: ignore[no-untyped-def]
        return cohort_study_progress(world.cohort, session=world.session, principal=who, now=T0)

    total, shared = seen()
    assert (total.trainee_count, total.card_count, total.review_count, total.retention) == (2, 2, 2, 1.0)
    assert shared == []  # nobody shares by default
    assert "ann's private answer" not in repr(total)
    set_sharing(True, session=world.session, principal=world.bob)
    total, shared = seen()
    assert [(s.trainee.username, s.answer, s.case.uid) for s in shared] == [("bob", "bob's shared answer", b.uid)]
    set_sharing(False, session=world.session, principal=world.bob)
    assert seen()[1] == []
    for outsider in (world.trainer, world.ann):  # a trainer not of the cohort; a trainee of it
        with pytest.raises(DomainError) as refused:
            seen(outsider)
        assert refused.value.code is ErrorCode.FORBIDDEN
