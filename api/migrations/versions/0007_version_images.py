"""version images: each case version records its image set (studies) alongside its text

Existing versions are given every study their case holds today: before this revision a
study, once attached, was shown by every version, so that is what each of them showed.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_version_study",
        sa.Column("case_uid", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("study_uid", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_uid"],
            ["case.uid"],
        ),
        sa.ForeignKeyConstraint(
            ["study_uid"],
            ["study.uid"],
        ),
        sa.PrimaryKeyConstraint("case_uid", "version", "study_uid"),
    )
    with op.batch_alter_table("case_version_study", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_version_study_study_uid"), ["study_uid"], unique=False)
    op.execute(
        "INSERT INTO case_version_study (case_uid, version, study_uid) "
        "SELECT cv.case_uid, cv.version, s.uid FROM case_version cv JOIN study s ON s.case_uid = cv.case_uid"
    )


def downgrade() -> None:
    with op.batch_alter_table("case_version_study", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_version_study_study_uid"))
    op.drop_table("case_version_study")
