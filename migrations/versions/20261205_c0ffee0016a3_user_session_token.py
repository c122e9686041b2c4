"""Users: ``session_token`` — what the login cookies name besides the id, so that logout, a new
password, a disabled account or "Cerrar todas las sesiones" end every session (issue 16, finding 3).

Every existing account gets its own random token; cookies issued before this carry the bare id and
are refused, so everybody logs in once more after the upgrade.

Revision ID: c0ffee0016a3
Revises: c0ffee0006a1
Create Date: 2026-12-05 08:00:00
"""
import secrets

import sqlalchemy as sa
from alembic import op

revision = "c0ffee0016a3"
down_revision = "c0ffee0006a1"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("users", sa.Column("session_token", sa.String(length=64), nullable=True))
    users = sa.table("users", sa.column("id", sa.Integer), sa.column("session_token", sa.String))
    conn = op.get_bind()
    for (user_id,) in conn.execute(sa.select(users.c.id)).all():
        conn.execute(
            users.update().where(users.c.id == user_id).values(session_token=secrets.token_urlsafe(32))
        )
    with op.batch_alter_table("users") as batch_op:
        batch_op.alter_column("session_token", existing_type=sa.String(length=64), nullable=False)


def downgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("session_token")
