"""LTI roles to Lightbox roles, as data.

Learner → trainee; Instructor and TeachingAssistant → trainer; ContentDeveloper → contributor. A
VLE's Administrator (institution or system) becomes a trainer, never a Lightbox administrator:
administering Lightbox is granted in Lightbox, not asserted by a platform. Mentor, Observer and
other roles map to nothing, and a launch with no mapped role is refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from content.security.roles import Role

MEMBERSHIP: Final = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
INSTITUTION: Final = "http://purl.imsglobal.org/vocab/lis/v2/institution/person#"
SYSTEM: Final = "http://purl.imsglobal.org/vocab/lis/v2/system/person#"

# The role's last name (after '#', or the deprecated simple name) → Lightbox role.
BY_NAME: Final[dict[str, Role]] = {
    "Learner": Role.TRAINEE,
    "Student": Role.TRAINEE,
    "Instructor": Role.TRAINER,
    "Faculty": Role.TRAINER,
    "TeachingAssistant": Role.TRAINER,
    "ContentDeveloper": Role.CONTRIBUTOR,
    "Administrator": Role.TRAINER,
    "SysAdmin": Role.TRAINER,
}
PREFIXES: Final = (MEMBERSHIP, INSTITUTION, SYSTEM, f"{MEMBERSHIP[:-1]}/Instructor#")


def _name(uri: str) -> str | None:
    for prefix in PREFIXES:
        if uri.startswith(prefix):
            return uri[len(prefix) :]
    return uri if "/" not in uri and "#" not in uri else None  # a simple name ("Learner")


def lightbox_roles(lti_roles: Iterable[str]) -> list[Role]:
    """The Lightbox roles the LTI roles map to, most capable first (empty: refuse the launch)."""
    found = {BY_NAME[n] for r in lti_roles if isinstance(r, str) and (n := _name(r)) in BY_NAME}
    order = (Role.TRAINER, Role.CONTRIBUTOR, Role.TRAINEE)
    return [r for r in order if r in found]
