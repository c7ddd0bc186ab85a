"""The case validation workflow as data (DCWorkflow-style): states, per-state role rules, transitions."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from content.security.roles import Permission, Role


class State(str, Enum):
    """The workflow states of a case."""

    DRAFT = "DRAFT"
    SUBMITTED = "SUBMITTED"
    VALIDATED = "VALIDATED"
    RETIRED = "RETIRED"


class Transition(str, Enum):
    """The workflow transitions between states."""

    SUBMIT = "SUBMIT"
    REQUEST_CHANGES = "REQUEST_CHANGES"
    VALIDATE = "VALIDATE"
    RETIRE = "RETIRE"
    REOPEN = "REOPEN"


R = Role
_EDITORS = frozenset({R.ADMINISTRATOR, R.TRAINER, R.OWNER})
_EVERYONE = frozenset(Role)

# Which roles hold View, ViewHistory and Edit on a case in each state. A role must also hold the
# permission in content.security.roles to use it; the state only ever narrows. History follows View
# of the working copy: its versions and comments are the working copy's, so those who see only the
# published version (a validator while a draft is edited) must not read them.
STATE_RULES: dict[State, dict[Permission, frozenset[Role]]] = {
    State.DRAFT: {
        Permission.VIEW: _EDITORS,
        Permission.VIEW_HISTORY: _EDITORS,
        Permission.EDIT: _EDITORS,
    },
    State.SUBMITTED: {
        Permission.VIEW: _EDITORS | {R.VALIDATOR},
        Permission.VIEW_HISTORY: _EDITORS | {R.VALIDATOR},
        Permission.EDIT: _EDITORS,
    },
    State.VALIDATED: {
        Permission.VIEW: _EVERYONE,
        Permission.VIEW_HISTORY: _EVERYONE,
        # Editing a validated case starts a working copy; the published version stays visible.
        Permission.EDIT: _EDITORS | {R.VALIDATOR},
    },
    State.RETIRED: {
        Permission.VIEW: _EDITORS | {R.VALIDATOR},
        Permission.VIEW_HISTORY: _EDITORS | {R.VALIDATOR},
        Permission.EDIT: frozenset({R.ADMINISTRATOR}),
    },
}


@dataclass(frozen=True)
class TransitionRule:
    """One transition as data: its source and target states, permission and guards."""

    name: Transition
    source: State
    target: State
    permission: Permission
    guards: tuple[str, ...] = ()
    comment_required: bool = False


# Guards are named here and implemented in content.cases.transitions, so the table stays data.
TRANSITIONS: dict[Transition, TransitionRule] = {
    t.name: t
    for t in (
        TransitionRule(
            Transition.SUBMIT, State.DRAFT, State.SUBMITTED, Permission.SUBMIT, guards=("no_quarantined_images",)
        ),
        TransitionRule(
            Transition.REQUEST_CHANGES, State.SUBMITTED, State.DRAFT, Permission.REQUEST_CHANGES, comment_required=True
        ),
        TransitionRule(
            Transition.VALIDATE, State.SUBMITTED, State.VALIDATED, Permission.VALIDATE, guards=("four_eyes",)
        ),
        TransitionRule(Transition.RETIRE, State.VALIDATED, State.RETIRED, Permission.RETIRE),
        TransitionRule(Transition.REOPEN, State.RETIRED, State.DRAFT, Permission.REOPEN),
    )
}


def roles_allowed(state: State, permission: Permission) -> frozenset[Role] | None:
    """Roles the state allows for a permission; None when the state does not govern it."""
    return STATE_RULES[state].get(permission)


def published_viewers() -> frozenset[Role]:
    """The roles that may view a validated (published) case."""
    return STATE_RULES[State.VALIDATED][Permission.VIEW]
