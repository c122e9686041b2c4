"""An index on contributions (group_id, author_id): the cap on a person's contributions in a room
counts them under the room's row lock instead of keeping the count in the room's state (issue 15).

Revision ID: c0ffee0015d1
Revises: c0ffee0011f1
Create Date: 2026-12-06 08:20:00
"""

from alembic import op

revision = "c0ffee0015d1"
down_revision = "c0ffee0011f1"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("contributions") as batch_op:
        batch_op.create_index("ix_contributions_group_author", ["group_id", "author_id"], unique=False)


def downgrade():
    with op.batch_alter_table("contributions") as batch_op:
        batch_op.drop_index("ix_contributions_group_author")
