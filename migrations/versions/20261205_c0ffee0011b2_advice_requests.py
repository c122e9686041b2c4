"""Requests for outside advice (issue 11): one per commitment ticked *requiere asesoría externa* or
agreement of kind *asesoria*, opened at the close, with its zone, school, problem, topic, status
(recibida, en atención, atendida) and the advisor's reply.

Revision ID: c0ffee0011b2
Revises: c0ffee0011a1
Create Date: 2026-12-05 13:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "c0ffee0011b2"
down_revision = "c0ffee0011a1"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "advice_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("encounter_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("zone_id", sa.Integer(), nullable=True),
        sa.Column("school_id", sa.Integer(), nullable=True),
        sa.Column("problem_id", sa.Integer(), nullable=True),
        sa.Column("commitment_id", sa.Integer(), nullable=True),
        sa.Column("agreement_id", sa.Integer(), nullable=True),
        sa.Column("topic", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reply", sa.Text(), nullable=True),
        sa.Column("replied_by_id", sa.Integer(), nullable=True),
        sa.Column("replied_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["encounter_id"], ["encounters.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["group_id"], ["encounter_groups.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["zone_id"], ["zones.id"]),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"]),
        sa.ForeignKeyConstraint(["problem_id"], ["problems.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["commitment_id"], ["commitments.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["agreement_id"], ["agreements.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["replied_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("commitment_id"),
        sa.UniqueConstraint("agreement_id"),
    )
    op.create_index("ix_advice_requests_encounter_id", "advice_requests", ["encounter_id"])
    op.create_index("ix_advice_requests_zone_id", "advice_requests", ["zone_id"])
    op.create_index("ix_advice_requests_school_id", "advice_requests", ["school_id"])
    op.create_index("ix_advice_requests_status", "advice_requests", ["status"])


def downgrade():
    op.drop_table("advice_requests")
