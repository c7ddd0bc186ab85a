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
    # What a published version's annotations were exported as (DICOM SR), served beside its images.
    op.create_table(
        "annotation_export",
        sa.Column("case_uid", sa.String(length=32), sa.ForeignKey("case.uid"), primary_key=True),
        sa.Column("version", sa.Integer(), primary_key=True),
        sa.Column("study_uid", sa.String(length=32), sa.ForeignKey("study.uid"), primary_key=True),
        sa.Column("series_instance_uid", sa.String(length=64), nullable=False),
        sa.Column("sop_instance_uid", sa.String(length=64), nullable=False, unique=True),
        sa.Column("sop_class_uid", sa.String(length=64), nullable=False),
        sa.Column("description", sa.String(length=64), nullable=False),
        sa.Column("file_key", sa.String(length=64), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("annotation_export")
    with op.batch_alter_table("report") as batch:
        batch.drop_column("annotations")
    with op.batch_alter_table("case") as batch:
        batch.drop_column("annotations")
