"""self-study: a trainee's FSRS card per case, every rated review, and the answer-sharing flag

Revision ID: 0011
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "study_card",
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("trainee_uid", sa.String(), nullable=False),
        sa.Column("case_uid", sa.String(), nullable=False),
        sa.Column("state", sa.Integer(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=True),
        sa.Column("stability", sa.Float(), nullable=True),
        sa.Column("difficulty", sa.Float(), nullable=True),
        sa.Column("due", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_review", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reps", sa.Integer(), nullable=False),
        sa.Column("lapses", sa.Integer(), nullable=False),
        sa.Column("case_version", sa.Integer(), nullable=True),
        sa.Column("answer", sa.String(), nullable=True),
        sa.Column("abnormal", sa.Boolean(), nullable=True),
        sa.Column("revealed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_uid"], ["case.uid"]),
        sa.ForeignKeyConstraint(["trainee_uid"], ["user.uid"]),
        sa.PrimaryKeyConstraint("uid"),
        sa.UniqueConstraint("trainee_uid", "case_uid"),
    )
    with op.batch_alter_table("study_card", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_study_card_case_uid"), ["case_uid"], unique=False)
        batch_op.create_index(batch_op.f("ix_study_card_due"), ["due"], unique=False)
        batch_op.create_index(batch_op.f("ix_study_card_trainee_uid"), ["trainee_uid"], unique=False)

    op.create_table(
        "study_review",
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("trainee_uid", sa.String(), nullable=False),
        sa.Column("case_uid", sa.String(), nullable=False),
        sa.Column("case_version", sa.Integer(), nullable=False),
        sa.Column("curriculum_codes", sa.JSON(), nullable=False),
        sa.Column("answer", sa.String(), nullable=False),
        sa.Column("abnormal", sa.Boolean(), nullable=True),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("state_before", sa.Integer(), nullable=False),
        sa.Column("due_after", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_uid"], ["case.uid"]),
        sa.ForeignKeyConstraint(["trainee_uid"], ["user.uid"]),
        sa.PrimaryKeyConstraint("uid"),
    )
    with op.batch_alter_table("study_review", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_study_review_case_uid"), ["case_uid"], unique=False)
        batch_op.create_index(batch_op.f("ix_study_review_reviewed_at"), ["reviewed_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_study_review_trainee_uid"), ["trainee_uid"], unique=False)

    op.create_table(
        "study_sharing",
        sa.Column("trainee_uid", sa.String(), nullable=False),
        sa.Column("share_answers", sa.Boolean(), nullable=False),
        sa.Column("modified", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["trainee_uid"], ["user.uid"]),
        sa.PrimaryKeyConstraint("trainee_uid"),
    )


def downgrade() -> None:
    op.drop_table("study_sharing")
    with op.batch_alter_table("study_review", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_study_review_trainee_uid"))
        batch_op.drop_index(batch_op.f("ix_study_review_reviewed_at"))
        batch_op.drop_index(batch_op.f("ix_study_review_case_uid"))
    op.drop_table("study_review")
    with op.batch_alter_table("study_card", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_study_card_trainee_uid"))
        batch_op.drop_index(batch_op.f("ix_study_card_due"))
        batch_op.drop_index(batch_op.f("ix_study_card_case_uid"))
    op.drop_table("study_card")
