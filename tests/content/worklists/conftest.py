"""A small school: a trainer pair, a validator, trainees in a cohort and validated cases (four eyes)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlmodel import Session, func, select

from content.cases.models import Case
from content.cases.service import create_case, update_case
from content.cases.transitions import transition
from content.curriculum.service import load_tree
from content.principal import SYSTEM, Principal
from content.users.service import add_to_cohort, get_or_create_cohort, principal_for
from content.workflow import Transition
from content.worklists.models import WorklistMode
from content.worklists.service import WorklistSpec, create_worklist
from tests.content import factories as f

EXTRA_NODES = [{"code": "CHEST.NORMAL", "title": "Normal chest radiograph", "plain_film": True, "normal": True}]


@dataclass
class World:
    session: Session
    coll: str
    trainer: Principal
    trainer2: Principal
    validator: Principal
    ann: Principal  # trainee, in the cohort
    bob: Principal  # trainee, in the cohort
    cat: Principal  # trainee, not in the cohort
    cohort: str
    uids: dict[str, str] = field(default_factory=dict)

    def case(
        self,
        title: str,
        *,
        diagnosis: str = "",
        findings: str = "",
        codes: tuple[str, ...] = (),
        modalities: tuple[str, ...] = ("CR",),
        validate: bool = True,
        **extra: Any,
    ) -> Case:
        fields = {
            "title": title,
            "diagnosis": diagnosis,
            "findings": findings,
            "curriculum_codes": list(codes),
            "modalities": list(modalities),
            "teaching_points": f"Teaching: {title}",
            **extra,
        }
        case = create_case(collection_uid=self.coll, fields=fields, session=self.session, principal=self.trainer)
        if validate:
            transition(case.uid, Transition.SUBMIT, session=self.session, principal=self.trainer)
            case = transition(case.uid, Transition.VALIDATE, session=self.session, principal=self.validator)
        return case

    def revalidate(self, uid: str, **changes: Any) -> Case:
        case = self.session.get(Case, uid)
        assert case is not None
        update_case(uid, expected_version=case.version, changes=changes, session=self.session, principal=self.trainer)
        transition(uid, Transition.SUBMIT, session=self.session, principal=self.trainer)
        return transition(uid, Transition.VALIDATE, session=self.session, principal=self.validator)

    def worklist(self, cases: list[Case], *, mode: WorklistMode = WorklistMode.LONG_CASE, title: str = "Chest list"):
        spec = WorklistSpec(title=title, mode=mode.value, case_uids=tuple(c.uid for c in cases))
        return create_worklist(spec, session=self.session, principal=self.trainer)


def count(session: Session, table: type) -> int:
    return int(session.exec(select(func.count()).select_from(table)).one())


@pytest.fixture
def world(session: Session) -> World:
    f.curriculum(session)
    load_tree(EXTRA_NODES, session=session, principal=SYSTEM)
    people = {
        name: f.person(session, name, role)
        for name, role in (
            ("trainer", "trainer"),
            ("trainer2", "trainer"),
            ("validator", "validator"),
            ("ann", "trainee"),
            ("bob", "trainee"),
            ("cat", "trainee"),
        )
    }
    cohort = get_or_create_cohort("ST1 2026", session=session, principal=SYSTEM)
    for name in ("ann", "bob", "trainer2"):  # a trainer in a cohort gets no assignment
        add_to_cohort(cohort.uid, people[name][0].uid, session=session, principal=SYSTEM)
    # Principals again: cohort membership is read when a principal is built.
    p = {name: principal_for(user, session=session) for name, (user, _) in people.items()}
    return World(
        session=session,
        coll=f.collection(session),
        trainer=p["trainer"],
        trainer2=p["trainer2"],
        validator=p["validator"],
        ann=p["ann"],
        bob=p["bob"],
        cat=p["cat"],
        cohort=cohort.uid,
        uids={name: user.uid for name, (user, _) in people.items()},
    )
