"""Imports every table module so SQLModel.metadata is complete (for Alembic and tests)."""

from sqlmodel import SQLModel

from content import audit
from content.annotations import models as annotations
from content.cases import models as cases
from content.collections import models as collections
from content.curriculum import models as curriculum
from content.imaging import models as imaging
from content.partners import models as partners
from content.security import models as security
from content.users import models as users
from content.webhooks import models as webhooks
from content.worklists import models as worklists

metadata = SQLModel.metadata
MODULES = (audit, annotations, cases, collections, curriculum, imaging, partners, security, users, webhooks, worklists)
