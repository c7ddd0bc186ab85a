"""People, the cohorts they train in, and cohort membership."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from content.base import dt_column, new_uid, utcnow


class User(SQLModel, table=True):
    """A person who signs in: username, roles, password hash and state."""

    __tablename__ = "user"

    uid: str = Field(default_factory=new_uid, primary_key=True, max_length=32)
    username: str = Field(unique=True, max_length=100)
    display_name: str = Field(max_length=200)
    email: str | None = Field(default=None, max_length=300)
    password_hash: str | None = Field(default=None, max_length=300)
    # Global roles, comma-free list kept as JSON so a person may hold several.
    roles: list[str] = Field(default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False))
    active: bool = True
    # Set by an administrator's password reset: until a new password is chosen, a sign-in only
    # opens a session that may change the password (content.security.sessions).
    must_change_password: bool = False
    created: datetime = Field(default_factory=utcnow, sa_column=dt_column())


class Cohort(SQLModel, table=True):
    """A named group of users (a training year), to assign and grant to at once."""

    __tablename__ = "cohort"

    uid: str = Field(default_factory=new_uid, primary_key=True, max_length=32)
    title: str = Field(unique=True, max_length=200)
    created: datetime = Field(default_factory=utcnow, sa_column=dt_column())


class CohortMember(SQLModel, table=True):
    """One user's membership of one cohort."""

    __tablename__ = "cohort_member"

    cohort_uid: str = Field(foreign_key="cohort.uid", primary_key=True)
    user_uid: str = Field(foreign_key="user.uid", primary_key=True, index=True)


class UserUpdate(SQLModel):
    """A partial change of a person: only the fields set change (`model_dump(exclude_unset=True)`)."""

    display_name: str | None = None
    roles: list[str] | None = None
    active: bool | None = None
