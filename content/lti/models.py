"""LTI tables: platforms and their deployments, the tool's keys, login states (replay), launches, links, line items."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from content.base import dt_column, new_uid, utcnow


class LtiPlatform(SQLModel, table=True):
    """A VLE registered to launch Lightbox: its issuer, our client id there, and its endpoints."""

    __tablename__ = "lti_platform"
    __table_args__ = (sa.UniqueConstraint("issuer", "client_id"),)

    uid: str = Field(default_factory=new_uid, primary_key=True, max_length=32)
    issuer: str = Field(max_length=500, index=True)
    client_id: str = Field(max_length=200)
    auth_url: str = Field(max_length=1000)
    token_url: str = Field(max_length=1000)
    jwks_url: str = Field(max_length=1000)
    name: str = Field(default="", max_length=200)
    created: datetime = Field(default_factory=utcnow, sa_column=dt_column())


class LtiDeployment(SQLModel, table=True):
    """One deployment of the tool on a platform (a site, a course category): launches must name one."""

    __tablename__ = "lti_deployment"
    __table_args__ = (sa.UniqueConstraint("platform_uid", "deployment_id"),)

    uid: str = Field(default_factory=new_uid, primary_key=True, max_length=32)
    platform_uid: str = Field(foreign_key="lti_platform.uid", index=True, max_length=32)
    deployment_id: str = Field(max_length=255)
    created: datetime = Field(default_factory=utcnow, sa_column=dt_column())


class LtiToolKey(SQLModel, table=True):
    """A key pair the tool signs with; the newest unretired one signs, every unretired one is published."""

    __tablename__ = "lti_tool_key"

    kid: str = Field(primary_key=True, max_length=100)
    # Sealed with the server secret (AES-GCM): a copy of the database alone cannot sign as the tool.
    private_sealed: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    public_pem: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    created: datetime = Field(default_factory=utcnow, sa_column=dt_column())
    retired_at: datetime | None = Field(default=None, sa_column=dt_column(nullable=True))


class LtiNonce(SQLModel, table=True):
    """An OIDC login's state and nonce, kept server-side; a launch consumes it once (replay refused)."""

    __tablename__ = "lti_nonce"

    state: str = Field(primary_key=True, max_length=100)
    nonce: str = Field(max_length=100, unique=True)
    platform_uid: str = Field(foreign_key="lti_platform.uid", index=True, max_length=32)
    created: datetime = Field(default_factory=utcnow, sa_column=dt_column())
    expires: datetime = Field(sa_column=dt_column())
    used_at: datetime | None = Field(default=None, sa_column=dt_column(nullable=True))


class LtiLaunch(SQLModel, table=True):
    """Every launch, accepted or refused (the audit of what the platform sent and what we did)."""

    __tablename__ = "lti_launch"

    uid: str = Field(default_factory=new_uid, primary_key=True, max_length=32)
    at: datetime = Field(default_factory=utcnow, sa_column=dt_column(index=True))
    platform_uid: str | None = Field(default=None, max_length=32, index=True)
    issuer: str = Field(default="", max_length=500)
    sub: str = Field(default="", max_length=255)
    deployment_id: str = Field(default="", max_length=255)
    message_type: str = Field(default="", max_length=60)
    user_uid: str | None = Field(default=None, max_length=32, index=True)
    accepted: bool = False
    reason: str = Field(default="", max_length=500)
    target: str = Field(default="", max_length=1000)
    # A deep-linking launch: the picker's one-time ticket (hashed) and what the platform asked for.
    ticket_hash: str | None = Field(default=None, max_length=64)
    claims: dict[str, Any] = Field(default_factory=dict, sa_column=sa.Column(sa.JSON, nullable=False))


class LtiUserLink(SQLModel, table=True):
    """Who a platform's `sub` is in Lightbox."""

    __tablename__ = "lti_user_link"
    __table_args__ = (sa.UniqueConstraint("platform_uid", "sub"),)

    uid: str = Field(default_factory=new_uid, primary_key=True, max_length=32)
    platform_uid: str = Field(foreign_key="lti_platform.uid", index=True, max_length=32)
    sub: str = Field(max_length=255)
    user_uid: str = Field(foreign_key="user.uid", index=True, max_length=32)
    email: str | None = Field(default=None, max_length=300)
    created: datetime = Field(default_factory=utcnow, sa_column=dt_column())


class LtiLineItem(SQLModel, table=True):
    """A gradebook column on a platform that a worklist's scores go to (from a launch's AGS claim)."""

    __tablename__ = "lti_line_item"
    __table_args__ = (sa.UniqueConstraint("platform_uid", "lineitem_url"),)

    uid: str = Field(default_factory=new_uid, primary_key=True, max_length=32)
    platform_uid: str = Field(foreign_key="lti_platform.uid", index=True, max_length=32)
    deployment_id: str = Field(max_length=255)
    worklist_uid: str = Field(foreign_key="worklist.uid", index=True, max_length=32)
    lineitem_url: str = Field(max_length=1000)
    scopes: list[str] = Field(default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False))
    created: datetime = Field(default_factory=utcnow, sa_column=dt_column())


class LtiScore(SQLModel, table=True):
    """A score sent (or tried) to a line item for one trainee's assignment."""

    __tablename__ = "lti_score"

    uid: str = Field(default_factory=new_uid, primary_key=True, max_length=32)
    line_item_uid: str = Field(foreign_key="lti_line_item.uid", index=True, max_length=32)
    assignment_uid: str = Field(foreign_key="assignment.uid", index=True, max_length=32)
    sub: str = Field(max_length=255)
    score_given: float
    score_maximum: float
    sent_at: datetime = Field(default_factory=utcnow, sa_column=dt_column())
    status: int = 0  # the platform's HTTP status; 0 when it could not be reached
    error: str = Field(default="", max_length=500)
