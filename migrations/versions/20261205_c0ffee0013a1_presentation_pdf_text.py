"""The text of each page of a presentation's PDF, extracted at upload, for the live room's text-only
mode (issue 13). A PDF stored before has none (NULL): its pages say so in text-only mode, and
uploading it again extracts its text.

Revision ID: c0ffee0013a1
Revises: c0ffee0012c1
Create Date: 2026-12-05 16:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "c0ffee0013a1"
down_revision = "c0ffee0012c1"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("presentations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pdf_text", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("presentations", schema=None) as batch_op:
        batch_op.drop_column("pdf_text")
