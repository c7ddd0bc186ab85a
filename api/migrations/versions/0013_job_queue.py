"""job queue: procrastinate's tables, types and functions (PostgreSQL only; a no-op on SQLite,
where no queue runs)

Revision ID: 0013
Revises: 0012
"""

from typing import Any

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    from procrastinate.schema import SchemaManager

    # The schema of the installed procrastinate, as its own `procrastinate schema --apply` would
    # run it: many statements with $$ bodies, so through psycopg directly (no parameter parsing).
    driver: Any = bind.connection.driver_connection
    driver.execute(SchemaManager.get_schema())


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    driver: Any = bind.connection.driver_connection
    # Everything procrastinate created is named procrastinate_*: tables (with their triggers),
    # then functions, then types (enums and the composite types of its functions).
    for (name,) in driver.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE 'procrastinate%'"
    ).fetchall():
        driver.execute(f'DROP TABLE IF EXISTS "{name}" CASCADE')
    for (signature,) in driver.execute(
        "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
        " WHERE n.nspname = current_schema() AND p.proname LIKE 'procrastinate%'"
    ).fetchall():
        driver.execute(f"DROP FUNCTION IF EXISTS {signature} CASCADE")
    for (name,) in driver.execute(
        "SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace"
        " WHERE n.nspname = current_schema() AND t.typname LIKE 'procrastinate%' AND t.typtype IN ('e', 'c', 'd')"
    ).fetchall():
        driver.execute(f'DROP TYPE IF EXISTS "{name}" CASCADE')
