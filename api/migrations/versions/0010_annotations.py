"""annotations: arrows and measurements on a case's images (versioned with it) and a trainee's own marks

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Every existing case and report has no annotations yet: an empty list, not null.
    with op.batch_alter_table("case") as batch:
        batch.add_column(sa.Column("annotations", sa.JSON(), nullable=False, server_default="[]"))
    with op.batch_alter_table("report") as batch:
        batch.add_column(sa.Column("annotations", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("report") as batch:
        batch.drop_column("annotations")
    with op.batch_alter_table("case") as batch:
        batch.drop_column("annotations")
