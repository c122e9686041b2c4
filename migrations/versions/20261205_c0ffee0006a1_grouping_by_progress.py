"""Groupings: ``by_progress`` — the proposal also places schools that solved a problem with those
still working on it (complementarity), as the zone council asked.

Revision ID: c0ffee0006a1
Revises: c0ffee000003
Create Date: 2026-12-05 07:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = "c0ffee0006a1"
down_revision = "c0ffee000003"
branch_labels = None
depends_on = None


def upgrade():
    # Proposals made before this column were by similarity only: false for them.
    op.add_column("groupings", sa.Column("by_progress", sa.Boolean(), server_default=sa.false(),
                                         nullable=False))


def downgrade():
    op.execute("ALTER TABLE groupings DROP COLUMN by_progress")  # SQLite 3.35+ and PostgreSQL
