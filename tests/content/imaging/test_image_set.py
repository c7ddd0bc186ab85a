"""The image-set services on their own: text edits keep the set, detaching drops its key images,
revert brings an old set back, and an import into a case is one new version."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import select

from content.cases.history import case_diff, revert_case
from content.cases.models import Case
from content.cases.service import update_case
from content.cases.versions import version_studies
from content.imaging.image_set import detach_study, set_key_images
from content.imaging.models import Instance, Series, Study
from tests.content.imaging.school import School


def test_text_edits_keep_the_set_and_revert_restores_it(school: School, tmp_path: Path) -> None:
    s, author = school.session, school.people["author"]
    school.import_file(tmp_path, "CT_small.dcm")
    case = s.exec(select(Case)).one()
    school.import_file(tmp_path, "MR_small.dcm", case=case.uid)
    s.expire_all()
    ct, mr = (s.exec(select(Study).where(Study.modality == m)).one() for m in ("CT", "MR"))
    assert version_studies(s, [(case.uid, 1), (case.uid, 2)]) == {
        (case.uid, 1): {ct.uid},
        (case.uid, 2): {ct.uid, mr.uid},
    }
    key = s.exec(
        select(Instance).join(Series, Series.uid == Instance.series_uid).where(Series.study_uid == mr.uid)
    ).one()
    set_key_images(case.uid, [key.uid], expected_version=2, session=s, principal=author)
    update_case(case.uid, expected_version=3, changes={"findings": "Two studies"}, session=s, principal=author)
    assert version_studies(s, [(case.uid, 4)])[(case.uid, 4)] == {ct.uid, mr.uid}
    detached = detach_study(case.uid, mr.uid, expected_version=4, session=s, principal=author)
    assert detached.version == 5 and detached.key_images == []  # the key image left with its study
    diff = {c.field: c for c in case_diff(case.uid, 4, 5, session=s, principal=author)}
    assert set(diff) == {"key_images", "studies", "series"}
    assert (
        diff["series"].before == sorted([key.series_uid, *s.exec(select(Series.uid).where(Series.study_uid == ct.uid))])
        and key.series_uid not in diff["series"].after
    )
    reverted = revert_case(case.uid, to_version=4, expected_version=5, session=s, principal=author)
    assert reverted.key_images == [key.uid]
    assert version_studies(s, [(case.uid, 6)])[(case.uid, 6)] == {ct.uid, mr.uid}
