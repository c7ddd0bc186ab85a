"""late answers: a timed worklist says whether an answer after its time limit is refused or flagged

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing worklists keep what they did: late answers were recorded and flagged.
    with op.batch_alter_table("worklist") as batch:
        batch.add_column(sa.Column("late_answers", sa.String(length=10), nullable=False, server_default="FLAG"))


def downgrade() -> None:
    with op.batch_alter_table("worklist") as batch:
        batch.drop_column("late_answers")
