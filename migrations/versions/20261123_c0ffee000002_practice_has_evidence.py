"""Practices: ``has_evidence``, kept by the application when evidence is added or removed.

Revision ID: c0ffee000002
Revises: c0ffee000001
Create Date: 2026-11-23 00:20:00
"""
import sqlalchemy as sa
from alembic import op

revision = "c0ffee000002"
down_revision = "c0ffee000001"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ALTER TABLE on both databases: a batch "move and copy" on SQLite would drop the full-text
    # triggers of the practices table.
    op.add_column("practices", sa.Column("has_evidence", sa.Boolean(), server_default=sa.false(),
                                         nullable=False))
    op.create_index("ix_practices_has_evidence", "practices", ["has_evidence"], unique=False)
    # The practices that already have evidence.
    op.execute("UPDATE practices SET has_evidence = (EXISTS "
               "(SELECT 1 FROM evidence WHERE evidence.practice_id = practices.id))")


def downgrade():
    op.drop_index("ix_practices_has_evidence", table_name="practices")
    op.execute("ALTER TABLE practices DROP COLUMN has_evidence")  # SQLite 3.35+ and PostgreSQL
