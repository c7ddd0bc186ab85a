"""lti: LTI 1.3 platforms, deployments, the tool's keys, login nonces (replay), launches (audit), user links,
AGS line items and the scores sent to them

Revision ID: 0012
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lti_launch",
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("platform_uid", sa.String(length=32), nullable=True),
        sa.Column("issuer", sa.String(length=500), nullable=False),
        sa.Column("sub", sa.String(length=255), nullable=False),
        sa.Column("deployment_id", sa.String(length=255), nullable=False),
        sa.Column("message_type", sa.String(length=60), nullable=False),
        sa.Column("user_uid", sa.String(length=32), nullable=True),
        sa.Column("accepted", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("target", sa.String(length=1000), nullable=False),
        sa.Column("ticket_hash", sa.String(length=64), nullable=True),
        sa.Column("claims", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("uid"),
    )
    with op.batch_alter_table("lti_launch", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lti_launch_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_lti_launch_platform_uid"), ["platform_uid"], unique=False)
        batch_op.create_index(batch_op.f("ix_lti_launch_user_uid"), ["user_uid"], unique=False)

    op.create_table(
        "lti_platform",
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("issuer", sa.String(length=500), nullable=False),
        sa.Column("client_id", sa.String(length=200), nullable=False),
        sa.Column("auth_url", sa.String(length=1000), nullable=False),
        sa.Column("token_url", sa.String(length=1000), nullable=False),
        sa.Column("jwks_url", sa.String(length=1000), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("uid"),
        sa.UniqueConstraint("issuer", "client_id"),
    )
    with op.batch_alter_table("lti_platform", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lti_platform_issuer"), ["issuer"], unique=False)

    op.create_table(
        "lti_tool_key",
        sa.Column("kid", sa.String(length=100), nullable=False),
        sa.Column("private_sealed", sa.Text(), nullable=False),
        sa.Column("public_pem", sa.Text(), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("kid"),
    )
    op.create_table(
        "lti_deployment",
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("platform_uid", sa.String(length=32), nullable=False),
        sa.Column("deployment_id", sa.String(length=255), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["platform_uid"],
            ["lti_platform.uid"],
        ),
        sa.PrimaryKeyConstraint("uid"),
        sa.UniqueConstraint("platform_uid", "deployment_id"),
    )
    with op.batch_alter_table("lti_deployment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lti_deployment_platform_uid"), ["platform_uid"], unique=False)

    op.create_table(
        "lti_nonce",
        sa.Column("state", sa.String(length=100), nullable=False),
        sa.Column("nonce", sa.String(length=100), nullable=False),
        sa.Column("platform_uid", sa.String(length=32), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["platform_uid"],
            ["lti_platform.uid"],
        ),
        sa.PrimaryKeyConstraint("state"),
        sa.UniqueConstraint("nonce"),
    )
    with op.batch_alter_table("lti_nonce", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lti_nonce_platform_uid"), ["platform_uid"], unique=False)

    op.create_table(
        "lti_user_link",
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("platform_uid", sa.String(length=32), nullable=False),
        sa.Column("sub", sa.String(length=255), nullable=False),
        sa.Column("user_uid", sa.String(length=32), nullable=False),
        sa.Column("email", sa.String(length=300), nullable=True),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["platform_uid"],
            ["lti_platform.uid"],
        ),
        sa.ForeignKeyConstraint(
            ["user_uid"],
            ["user.uid"],
        ),
        sa.PrimaryKeyConstraint("uid"),
        sa.UniqueConstraint("platform_uid", "sub"),
    )
    with op.batch_alter_table("lti_user_link", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lti_user_link_platform_uid"), ["platform_uid"], unique=False)
        batch_op.create_index(batch_op.f("ix_lti_user_link_user_uid"), ["user_uid"], unique=False)

    op.create_table(
        "lti_line_item",
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("platform_uid", sa.String(length=32), nullable=False),
        sa.Column("deployment_id", sa.String(length=255), nullable=False),
        sa.Column("worklist_uid", sa.String(length=32), nullable=False),
        sa.Column("lineitem_url", sa.String(length=1000), nullable=False),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["platform_uid"],
            ["lti_platform.uid"],
        ),
        sa.ForeignKeyConstraint(
            ["worklist_uid"],
            ["worklist.uid"],
        ),
        sa.PrimaryKeyConstraint("uid"),
        sa.UniqueConstraint("platform_uid", "lineitem_url"),
    )
    with op.batch_alter_table("lti_line_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lti_line_item_platform_uid"), ["platform_uid"], unique=False)
        batch_op.create_index(batch_op.f("ix_lti_line_item_worklist_uid"), ["worklist_uid"], unique=False)

    op.create_table(
        "lti_score",
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("line_item_uid", sa.String(length=32), nullable=False),
        sa.Column("assignment_uid", sa.String(length=32), nullable=False),
        sa.Column("sub", sa.String(length=255), nullable=False),
        sa.Column("score_given", sa.Float(), nullable=False),
        sa.Column("score_maximum", sa.Float(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("error", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignment_uid"],
            ["assignment.uid"],
        ),
        sa.ForeignKeyConstraint(
            ["line_item_uid"],
            ["lti_line_item.uid"],
        ),
        sa.PrimaryKeyConstraint("uid"),
    )
    with op.batch_alter_table("lti_score", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lti_score_assignment_uid"), ["assignment_uid"], unique=False)
        batch_op.create_index(batch_op.f("ix_lti_score_line_item_uid"), ["line_item_uid"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("lti_score", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lti_score_line_item_uid"))
        batch_op.drop_index(batch_op.f("ix_lti_score_assignment_uid"))

    op.drop_table("lti_score")
    with op.batch_alter_table("lti_line_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lti_line_item_worklist_uid"))
        batch_op.drop_index(batch_op.f("ix_lti_line_item_platform_uid"))

    op.drop_table("lti_line_item")
    with op.batch_alter_table("lti_user_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lti_user_link_user_uid"))
        batch_op.drop_index(batch_op.f("ix_lti_user_link_platform_uid"))

    op.drop_table("lti_user_link")
    with op.batch_alter_table("lti_nonce", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lti_nonce_platform_uid"))

    op.drop_table("lti_nonce")
    with op.batch_alter_table("lti_deployment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lti_deployment_platform_uid"))

    op.drop_table("lti_deployment")
    op.drop_table("lti_tool_key")
    with op.batch_alter_table("lti_platform", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lti_platform_issuer"))

    op.drop_table("lti_platform")
    with op.batch_alter_table("lti_launch", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lti_launch_user_uid"))
        batch_op.drop_index(batch_op.f("ix_lti_launch_platform_uid"))
        batch_op.drop_index(batch_op.f("ix_lti_launch_at"))

    op.drop_table("lti_launch")
