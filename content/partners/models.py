"""Partner: a school (an organisation) that reads part of the archive through API tokens.

The collections a partner may read are local role grants (role `partner`, principal type
`partner`) on those collections, as Plone grants a local role to a group: the catalog then
carries `partner:<uid>` on every case under them, so a partner's search is filtered inside
the index (content.security.policy.allowed_tokens), and the SQL and object checks read the
same rows when the partner's principal is built (content.partners.access).
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from content.base import dt_column, new_uid, utcnow

GRANT_TYPE = "partner"  # LocalRoleGrant.principal_type of a partner's collections


class PartnerBase(SQLModel):
    """The fields of a partner organisation that callers set."""

    # Lengths are checked by the service (coded errors); the table declares them for the columns.
    name: str
    contact: str = ""
    may_see_retired: bool = False


class Partner(PartnerBase, table=True):
    """A partner organisation that reads chosen collections through its API tokens."""

    __tablename__ = "partner"

    uid: str = Field(default_factory=new_uid, primary_key=True, max_length=32)
    name: str = Field(max_length=200, unique=True)
    contact: str = Field(default="", max_length=300)
    # The service account its tokens act as (audit trail, `me`); it never signs in.
    account_uid: str = Field(foreign_key="user.uid")
    created: datetime = Field(default_factory=utcnow, sa_column=dt_column())
    modified: datetime = Field(default_factory=utcnow, sa_column=dt_column())


class PartnerCreate(PartnerBase):
    """A new partner's fields and the collections it may read."""

    collection_uids: list[str] = []


class PartnerUpdate(SQLModel):
    """A partial update: only the fields set are changed (`model_dump(exclude_unset=True)`)."""

    name: str | None = None
    contact: str | None = None
    may_see_retired: bool | None = None
    collection_uids: list[str] | None = None  # the whole new set
