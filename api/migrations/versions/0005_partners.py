"""partners: partner schools, their service accounts, and tokens that read for a partner

A partner's collections are local_role_grant rows (principal_type 'partner', role 'partner'),
so no table is needed for them.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "partner",
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("contact", sa.String(length=300), nullable=False),
        sa.Column("may_see_retired", sa.Boolean(), nullable=False),
        sa.Column("account_uid", sa.String(), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("modified", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_uid"],
            ["user.uid"],
        ),
        sa.PrimaryKeyConstraint("uid"),
        sa.UniqueConstraint("name"),
    )
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.add_column(sa.Column("partner_uid", sa.String(length=32), nullable=True))
        batch_op.create_index(batch_op.f("ix_api_token_partner_uid"), ["partner_uid"], unique=False)
        batch_op.create_foreign_key("fk_api_token_partner_uid_partner", "partner", ["partner_uid"], ["uid"])


def downgrade() -> None:
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.drop_constraint("fk_api_token_partner_uid_partner", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_api_token_partner_uid"))
        batch_op.drop_column("partner_uid")
    op.drop_table("partner")
