"""Agreements recorded in the live room (issue 11): each keeps the card's activity, the problem, the
topic of an outside-advice need, the classroom to observe, the contribution it comes from and every
school it names; an advice request is opened per school an agreement names.

Revision ID: c0ffee0011e1
Revises: c0ffee0011d1
Create Date: 2026-12-05 19:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "c0ffee0011e1"
down_revision = "c0ffee0011d1"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("agreements") as batch_op:
        batch_op.add_column(sa.Column("activity", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("problem_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("topic", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("classroom", sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column("contribution_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("school_ids", sa.JSON(), nullable=True))
        batch_op.create_foreign_key(
            "fk_agreements_problem_id_problems", "problems", ["problem_id"], ["id"], ondelete="SET NULL"
        )
        batch_op.create_foreign_key(
            "fk_agreements_contribution_id_contributions",
            "contributions",
            ["contribution_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("advice_requests") as batch_op:
        batch_op.drop_constraint("uq_advice_requests_agreement_id", type_="unique")
        batch_op.create_unique_constraint(
            "uq_advice_requests_agreement_school", ["agreement_id", "school_id"]
        )


def downgrade():
    with op.batch_alter_table("advice_requests") as batch_op:
        batch_op.drop_constraint("uq_advice_requests_agreement_school", type_="unique")
        batch_op.create_unique_constraint("uq_advice_requests_agreement_id", ["agreement_id"])
    with op.batch_alter_table("agreements") as batch_op:
        batch_op.drop_constraint("fk_agreements_contribution_id_contributions", type_="foreignkey")
        batch_op.drop_constraint("fk_agreements_problem_id_problems", type_="foreignkey")
        for column in ("school_ids", "contribution_id", "classroom", "topic", "problem_id", "activity"):
            batch_op.drop_column(column)
