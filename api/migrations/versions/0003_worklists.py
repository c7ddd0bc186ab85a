"""worklists, assignments pinning case versions, reports, feedback and moderation

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "worklist",
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("path", sa.String(length=1000), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("instructions", sa.String(), nullable=False),
        sa.Column("mode", sa.String(length=20), nullable=False),
        sa.Column("time_limit_minutes", sa.Integer(), nullable=True),
        sa.Column("cohort_uid", sa.String(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("creator_id", sa.String(), nullable=True),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("modified", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["cohort_uid"],
            ["cohort.uid"],
        ),
        sa.ForeignKeyConstraint(
            ["creator_id"],
            ["user.uid"],
        ),
        sa.PrimaryKeyConstraint("uid"),
        sa.UniqueConstraint("path"),
    )
    with op.batch_alter_table("worklist", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_worklist_cohort_uid"), ["cohort_uid"], unique=False)
        batch_op.create_index(batch_op.f("ix_worklist_creator_id"), ["creator_id"], unique=False)

    op.create_table(
        "assignment",
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("worklist_uid", sa.String(), nullable=False),
        sa.Column("worklist_version", sa.Integer(), nullable=False),
        sa.Column("trainee_uid", sa.String(), nullable=False),
        sa.Column("cohort_uid", sa.String(), nullable=True),
        sa.Column("assigned_by", sa.String(), nullable=True),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assigned_by"],
            ["user.uid"],
        ),
        sa.ForeignKeyConstraint(
            ["cohort_uid"],
            ["cohort.uid"],
        ),
        sa.ForeignKeyConstraint(
            ["trainee_uid"],
            ["user.uid"],
        ),
        sa.ForeignKeyConstraint(
            ["worklist_uid"],
            ["worklist.uid"],
        ),
        sa.PrimaryKeyConstraint("uid"),
    )
    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assignment_cohort_uid"), ["cohort_uid"], unique=False)
        batch_op.create_index(batch_op.f("ix_assignment_trainee_uid"), ["trainee_uid"], unique=False)
        batch_op.create_index(batch_op.f("ix_assignment_worklist_uid"), ["worklist_uid"], unique=False)

    op.create_table(
        "worklist_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("worklist_uid", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("author_uid", sa.String(), nullable=True),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("comment", sa.String(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_uid"],
            ["user.uid"],
        ),
        sa.ForeignKeyConstraint(
            ["worklist_uid"],
            ["worklist.uid"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("worklist_uid", "version"),
    )
    with op.batch_alter_table("worklist_version", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_worklist_version_worklist_uid"), ["worklist_uid"], unique=False)

    op.create_table(
        "assignment_item",
        sa.Column("assignment_uid", sa.String(), nullable=False),
        sa.Column("case_uid", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("case_version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignment_uid"],
            ["assignment.uid"],
        ),
        sa.ForeignKeyConstraint(
            ["case_uid"],
            ["case.uid"],
        ),
        sa.PrimaryKeyConstraint("assignment_uid", "case_uid"),
    )
    with op.batch_alter_table("assignment_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assignment_item_case_uid"), ["case_uid"], unique=False)

    op.create_table(
        "report",
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("assignment_uid", sa.String(), nullable=False),
        sa.Column("case_uid", sa.String(), nullable=False),
        sa.Column("case_version", sa.Integer(), nullable=False),
        sa.Column("trainee_uid", sa.String(), nullable=False),
        sa.Column("mode", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("observations", sa.String(), nullable=False),
        sa.Column("interpretation", sa.String(), nullable=False),
        sa.Column("principal_diagnosis", sa.String(), nullable=False),
        sa.Column("differential_diagnoses", sa.JSON(), nullable=False),
        sa.Column("management", sa.String(), nullable=False),
        sa.Column("abnormal", sa.Boolean(), nullable=True),
        sa.Column("abnormality", sa.String(), nullable=False),
        sa.Column("site", sa.String(), nullable=False),
        sa.Column("normal_correct", sa.Boolean(), nullable=True),
        sa.Column("abnormality_correct", sa.Boolean(), nullable=True),
        sa.Column("auto_correct", sa.Boolean(), nullable=True),
        sa.Column("over_time", sa.Boolean(), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("modified", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["assignment_uid"],
            ["assignment.uid"],
        ),
        sa.ForeignKeyConstraint(
            ["case_uid"],
            ["case.uid"],
        ),
        sa.ForeignKeyConstraint(
            ["trainee_uid"],
            ["user.uid"],
        ),
        sa.PrimaryKeyConstraint("uid"),
        sa.UniqueConstraint("assignment_uid", "case_uid"),
    )
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_assignment_uid"), ["assignment_uid"], unique=False)
        batch_op.create_index(batch_op.f("ix_report_case_uid"), ["case_uid"], unique=False)
        batch_op.create_index(batch_op.f("ix_report_trainee_uid"), ["trainee_uid"], unique=False)

    op.create_table(
        "worklist_item",
        sa.Column("worklist_uid", sa.String(), nullable=False),
        sa.Column("case_uid", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_uid"],
            ["case.uid"],
        ),
        sa.ForeignKeyConstraint(
            ["worklist_uid"],
            ["worklist.uid"],
        ),
        sa.PrimaryKeyConstraint("worklist_uid", "case_uid"),
    )
    with op.batch_alter_table("worklist_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_worklist_item_case_uid"), ["case_uid"], unique=False)

    op.create_table(
        "report_feedback",
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("report_uid", sa.String(), nullable=False),
        sa.Column("trainer_uid", sa.String(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("sections", sa.JSON(), nullable=False),
        sa.Column("comment", sa.String(), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_uid"],
            ["report.uid"],
        ),
        sa.ForeignKeyConstraint(
            ["trainer_uid"],
            ["user.uid"],
        ),
        sa.PrimaryKeyConstraint("uid"),
        sa.UniqueConstraint("report_uid"),
    )
    with op.batch_alter_table("report_feedback", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_feedback_trainer_uid"), ["trainer_uid"], unique=False)

    op.create_table(
        "report_moderation",
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("feedback_uid", sa.String(), nullable=False),
        sa.Column("moderator_uid", sa.String(), nullable=False),
        sa.Column("agreed", sa.Boolean(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("comment", sa.String(), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["feedback_uid"],
            ["report_feedback.uid"],
        ),
        sa.ForeignKeyConstraint(
            ["moderator_uid"],
            ["user.uid"],
        ),
        sa.PrimaryKeyConstraint("uid"),
        sa.UniqueConstraint("feedback_uid"),
    )
    with op.batch_alter_table("report_moderation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_moderation_moderator_uid"), ["moderator_uid"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("report_moderation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_moderation_moderator_uid"))

    op.drop_table("report_moderation")
    with op.batch_alter_table("report_feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_feedback_trainer_uid"))

    op.drop_table("report_feedback")
    with op.batch_alter_table("worklist_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_worklist_item_case_uid"))

    op.drop_table("worklist_item")
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_trainee_uid"))
        batch_op.drop_index(batch_op.f("ix_report_case_uid"))
        batch_op.drop_index(batch_op.f("ix_report_assignment_uid"))

    op.drop_table("report")
    with op.batch_alter_table("assignment_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assignment_item_case_uid"))

    op.drop_table("assignment_item")
    with op.batch_alter_table("worklist_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_worklist_version_worklist_uid"))

    op.drop_table("worklist_version")
    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assignment_worklist_uid"))
        batch_op.drop_index(batch_op.f("ix_assignment_trainee_uid"))
        batch_op.drop_index(batch_op.f("ix_assignment_cohort_uid"))

    op.drop_table("assignment")
    with op.batch_alter_table("worklist", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_worklist_creator_id"))
        batch_op.drop_index(batch_op.f("ix_worklist_cohort_uid"))

    op.drop_table("worklist")
