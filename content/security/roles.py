"""Roles and permissions as data: which role holds which permission, before workflow state is considered."""

from __future__ import annotations

from enum import Enum

from content.errors import DomainError, ErrorCode


class Role(str, Enum):
    """The global roles a user may hold."""

    ADMINISTRATOR = "administrator"
    TRAINER = "trainer"
    VALIDATOR = "validator"
    CONTRIBUTOR = "contributor"
    TRAINEE = "trainee"
    PARTNER = "partner"
    # Local only: given to the creator of an object, never granted by hand.
    OWNER = "owner"


ASSIGNABLE_ROLES = frozenset(r for r in Role if r is not Role.OWNER)


def parse_role(name: str, *, field: str) -> Role:
    """A role a person may be given, by name (any case); INVALID_INPUT naming the choices otherwise."""
    try:
        role = Role(name.strip().lower())
    except ValueError:
        role = None
    if role is None or role not in ASSIGNABLE_ROLES:
        allowed = ", ".join(sorted(r.value for r in ASSIGNABLE_ROLES))
        raise DomainError(ErrorCode.INVALID_INPUT, f"unknown role {name!r}; one of {allowed}", field=field)
    return role


class Permission(str, Enum):
    """What a caller may do; roles grant permissions, per workflow state (content.workflow)."""

    VIEW = "View"
    ADD_COLLECTION = "AddCollection"
    ADD_CASE = "AddCase"
    EDIT = "Edit"
    SUBMIT = "Submit"
    VALIDATE = "Validate"
    REQUEST_CHANGES = "RequestChanges"
    RETIRE = "Retire"
    REOPEN = "Reopen"
    VIEW_MODEL_ANSWER = "ViewModelAnswer"
    VIEW_HISTORY = "ViewHistory"
    MANAGE_WORKLISTS = "ManageWorklists"
    MANAGE_USERS = "ManageUsers"
    MANAGE_CURRICULUM = "ManageCurriculum"
    MANAGE_LOCAL_ROLES = "ManageLocalRoles"
    MANAGE_PARTNERS = "ManagePartners"
    IMPORT = "Import"


P = Permission
_ALL = frozenset(Permission)

# What each role may do anywhere (global) or inside the container it was granted on (local).
# Workflow states narrow View/Edit/transition permissions on cases: see content.workflow.
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMINISTRATOR: _ALL,
    Role.TRAINER: frozenset(
        {
            P.VIEW,
            P.ADD_COLLECTION,
            P.ADD_CASE,
            P.EDIT,
            P.SUBMIT,
            P.RETIRE,
            P.REOPEN,
            P.VIEW_MODEL_ANSWER,
            P.VIEW_HISTORY,
            P.MANAGE_WORKLISTS,
            P.MANAGE_LOCAL_ROLES,
            P.IMPORT,
        }
    ),
    Role.VALIDATOR: frozenset(
        {
            P.VIEW,
            P.ADD_CASE,
            P.EDIT,
            P.VALIDATE,
            P.REQUEST_CHANGES,
            P.RETIRE,
            P.REOPEN,
            P.VIEW_MODEL_ANSWER,
            P.VIEW_HISTORY,
            P.IMPORT,
        }
    ),
    Role.CONTRIBUTOR: frozenset({P.VIEW, P.ADD_CASE, P.IMPORT}),
    Role.OWNER: frozenset({P.VIEW, P.EDIT, P.SUBMIT, P.VIEW_MODEL_ANSWER, P.VIEW_HISTORY}),
    Role.TRAINEE: frozenset({P.VIEW, P.VIEW_MODEL_ANSWER}),
    Role.PARTNER: frozenset({P.VIEW, P.VIEW_MODEL_ANSWER}),
}

# API tokens scoped "read" never carry these, whatever the role behind them.
WRITE_PERMISSIONS = frozenset(_ALL - {P.VIEW, P.VIEW_MODEL_ANSWER, P.VIEW_HISTORY})


def permissions_of(roles: frozenset[Role]) -> frozenset[Permission]:
    """Every permission the given roles grant."""
    out: set[Permission] = set()
    for role in roles:
        out |= ROLE_PERMISSIONS[role]
    return frozenset(out)
