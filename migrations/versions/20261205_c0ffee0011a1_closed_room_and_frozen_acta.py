"""A concluded encounter's room takes no new writes (issue 11): contributions, commitments and
agreements keep when the client says they were typed (``typed_at``) and whether they arrived after
the close (``after_close``, the acta's annex); the acta keeps the SHA-256 of its frozen content
(``content_hash``). Actas written before this revision get theirs the next time the close runs.

Revision ID: c0ffee0011a1
Revises: c0ffee0012b1
Create Date: 2026-12-05 12:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "c0ffee0011a1"
down_revision = "c0ffee0012b1"
branch_labels = None
depends_on = None

TABLES = ("contributions", "commitments", "agreements")


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("typed_at", sa.DateTime(timezone=True), nullable=True))
            batch.add_column(
                sa.Column("after_close", sa.Boolean(), server_default=sa.false(), nullable=False)
            )
    with op.batch_alter_table("minutes") as batch:
        batch.add_column(sa.Column("content_hash", sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table("minutes") as batch:
        batch.drop_column("content_hash")
    for table in reversed(TABLES):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("after_close")
            batch.drop_column("typed_at")
