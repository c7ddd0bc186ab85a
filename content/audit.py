"""The audit trail: one row per change, written in the same transaction as the change."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, Session, SQLModel, col, select

from content.base import dt_column, utcnow
from content.principal import Principal


class AuditEvent(SQLModel, table=True):
    """One row of the audit trail: who did what to which object, and when."""

    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_column=dt_column(index=True))
    actor_uid: str | None = Field(default=None, max_length=32)
    actor_name: str = Field(max_length=100)
    action: str = Field(max_length=60)
    object_type: str = Field(max_length=40)
    object_uid: str | None = Field(default=None, max_length=32, index=True)
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=sa.Column(sa.JSON, nullable=False))


def record(
    session: Session, principal: Principal, action: str, object_type: str, object_uid: str | None, **detail: Any
) -> None:
    """Add an audit row to the caller's transaction; it commits or rolls back with the change."""
    session.add(
        AuditEvent(
            actor_uid=principal.user_id,
            actor_name=principal.username,
            action=action,
            object_type=object_type,
            object_uid=object_uid,
            detail=detail,
        )
    )


def trail(session: Session, object_uid: str) -> list[AuditEvent]:
    """The audit events of one object, oldest first."""
    stmt = select(AuditEvent).where(AuditEvent.object_uid == object_uid).order_by(col(AuditEvent.id))
    return list(session.exec(stmt))
