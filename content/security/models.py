"""Security tables: local role grants, API tokens, the failed-login throttle, sign-in sessions and the
revocation clock."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from content.base import dt_column, new_uid, utcnow

# ApiToken.partner_uid refers to the partner table: its model must be in the same metadata.
from content.partners import models as _partners  # noqa: F401


class LocalRoleGrant(SQLModel, table=True):
    """A role granted to a person, a cohort or a partner on a collection and everything under it."""

    __tablename__ = "local_role_grant"

    uid: str = Field(default_factory=new_uid, primary_key=True, max_length=32)
    collection_uid: str = Field(foreign_key="collection.uid", index=True)
    principal_type: str = Field(max_length=10)  # "user" | "cohort" | "partner"
    principal_uid: str = Field(max_length=32, index=True)
    role: str = Field(max_length=30)
    created: datetime = Field(default_factory=utcnow, sa_column=dt_column())


class ApiToken(SQLModel, table=True):
    """A partner system's token. Only its SHA-256 is kept; the token is shown once."""

    __tablename__ = "api_token"

    uid: str = Field(default_factory=new_uid, primary_key=True, max_length=32)
    name: str = Field(max_length=200)
    prefix: str = Field(max_length=16, index=True)
    token_hash: str = Field(max_length=64, unique=True)
    scope: str = Field(max_length=10)  # "read" | "write"
    collection_uid: str | None = Field(default=None, foreign_key="collection.uid")
    # A partner organisation's token reads that partner's collections, whatever collection_uid says.
    partner_uid: str | None = Field(default=None, foreign_key="partner.uid", index=True, max_length=32)
    user_uid: str = Field(foreign_key="user.uid")  # the partner account the token acts as
    created: datetime = Field(default_factory=utcnow, sa_column=dt_column())
    last_used: datetime | None = Field(default=None, sa_column=dt_column(nullable=True))
    revoked: bool = False


class LoginThrottle(SQLModel, table=True):
    """Failed logins per username (existing or not), to slow password guessing."""

    __tablename__ = "login_throttle"

    username: str = Field(primary_key=True, max_length=100)
    failures: int = 0
    first_failure: datetime = Field(default_factory=utcnow, sa_column=dt_column())
    blocked_until: datetime | None = Field(default=None, sa_column=dt_column(nullable=True))


class SignInSession(SQLModel, table=True):
    """One sign-in: its id travels in the token; ending it (revoked_at) refuses the token at once."""

    __tablename__ = "sign_in_session"

    uid: str = Field(default_factory=new_uid, primary_key=True, max_length=32)
    user_uid: str = Field(foreign_key="user.uid", index=True, max_length=32)
    created: datetime = Field(default_factory=utcnow, sa_column=dt_column())
    expires: datetime = Field(sa_column=dt_column())
    revoked_at: datetime | None = Field(default=None, sa_column=dt_column(nullable=True))
    # logout, password, reset, deactivated
    ended_by: str | None = Field(default=None, max_length=20)


class RevocationClock(SQLModel, table=True):
    """One row whose counter moves with every revocation; each process polls it (at most once a
    second) to learn that its cache of live sessions and API tokens has gone stale."""

    __tablename__ = "revocation_clock"

    id: int = Field(default=1, primary_key=True)
    generation: int = 0
