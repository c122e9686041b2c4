"""Contributions record the activity of the agenda the room was on when they were written
(issue 11: contributions on a problem; ``problem_id`` already existed).

Revision ID: c0ffee0011d1
Revises: c0ffee0014e1
Create Date: 2026-12-05 17:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "c0ffee0011d1"
down_revision = "c0ffee0014e1"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("contributions") as batch_op:
        batch_op.add_column(sa.Column("activity", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("contributions") as batch_op:
        batch_op.drop_column("activity")
