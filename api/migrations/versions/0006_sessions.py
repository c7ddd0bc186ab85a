"""sessions: a row per sign-in (revocable), the revocation clock, and the forced password change

A bearer token now names its sign-in session; logout, a password change or reset and
deactivation set revoked_at, and bump revocation_clock so every process drops its cache.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sign_in_session",
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("user_uid", sa.String(length=32), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_by", sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_uid"],
            ["user.uid"],
        ),
        sa.PrimaryKeyConstraint("uid"),
    )
    with op.batch_alter_table("sign_in_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sign_in_session_user_uid"), ["user_uid"], unique=False)
    op.create_table(
        "revocation_clock",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("must_change_password")
    op.drop_table("revocation_clock")
    with op.batch_alter_table("sign_in_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sign_in_session_user_uid"))
    op.drop_table("sign_in_session")
