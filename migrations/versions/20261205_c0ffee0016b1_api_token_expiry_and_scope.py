"""API tokens: ``expires_at`` and ``scope`` (issue 16, finding 9).

A token works until it expires (30, 90 or 365 days, chosen when it is made) and either only reads
(``lectura``) or also writes (``lectura_escritura``). Tokens made before this keep what they could
do (``lectura_escritura``) and expire 90 days after this upgrade.

Revision ID: c0ffee0016b1
Revises: c0ffee0011b2
Create Date: 2026-12-05 12:45:00
"""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision = "c0ffee0016b1"
down_revision = "c0ffee0011b2"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("api_tokens") as batch_op:
        batch_op.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("scope", sa.String(length=20), nullable=False, server_default="lectura_escritura")
        )
    tokens = sa.table("api_tokens", sa.column("expires_at", sa.DateTime(timezone=True)))
    op.execute(tokens.update().values(expires_at=datetime.now(UTC) + timedelta(days=90)))
    with op.batch_alter_table("api_tokens") as batch_op:
        batch_op.alter_column("expires_at", existing_type=sa.DateTime(timezone=True), nullable=False)
        batch_op.alter_column("scope", existing_type=sa.String(length=20), server_default=None)


def downgrade():
    with op.batch_alter_table("api_tokens") as batch_op:
        batch_op.drop_column("scope")
        batch_op.drop_column("expires_at")
