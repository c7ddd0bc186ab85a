"""LTI roles to Lightbox roles (content/lti/roles.py), as a table."""

from __future__ import annotations

import pytest

from content.lti.roles import lightbox_roles
from content.security.roles import Role

M = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
I = "http://purl.imsglobal.org/vocab/lis/v2/institution/person#"  # noqa: E741
S = "http://purl.imsglobal.org/vocab/lis/v2/system/person#"


@pytest.mark.parametrize(
    ("lti", "expected"),
    [
        ([f"{M}Learner"], [Role.TRAINEE]),
        (["Learner"], [Role.TRAINEE]),  # the deprecated simple name
        ([f"{I}Student"], [Role.TRAINEE]),
        ([f"{M}Instructor"], [Role.TRAINER]),
        (["http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant"], [Role.TRAINER]),
        ([f"{M}ContentDeveloper"], [Role.CONTRIBUTOR]),
        ([f"{M}Administrator"], [Role.TRAINER]),  # never a Lightbox administrator
        ([f"{I}Administrator", f"{S}SysAdmin"], [Role.TRAINER]),
        ([f"{M}Instructor", f"{M}Learner"], [Role.TRAINER, Role.TRAINEE]),
        ([f"{M}Mentor"], []),
        (
            ["http://purl.imsglobal.org/vocab/lis/v2/membership/Learner#NonCredit"],
            [],
        ),  # a sub-role alone is not the context role
        (["https://example.com/roles#Learner", 7, None], []),
    ],
)
def test_roles_map_and_nothing_grants_administrator(lti: list[object], expected: list[Role]) -> None:
    got = lightbox_roles(lti)  # type: ignore[arg-type]
    assert got == expected and Role.ADMINISTRATOR not in got
